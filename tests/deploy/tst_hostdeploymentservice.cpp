#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/tasks/remotetaskrunner.h"

#include "fakeexecutor.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace aetherv;
using namespace aetherv::deploy;
using Behaviour = FakeHost::Behaviour;

class tst_HostDeploymentService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void checkReportsWhatTheHostSays();
    void deployBringsOutdatedHostsToCurrent();
    void ingressGateFailureTouchesNoHost();
    void disabledAndEmptyProfilesAreNeverUpToDate();
    void failuresAreStatedAndBackedOff();
    void claimedSuccessIsVerifiedOnTheHost();
    void lockedHost();
    void cancelStopsRemoteWork();
    void forceRedeploysCurrentHosts();
    void updatesAreCoalesced();

private:
    void makeService(const QStringList &hosts);
    RolloutSummary runToEnd(std::function<void()> start);

    QTemporaryDir m_dir;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    std::unique_ptr<artifacts::ArtifactServer> m_server;
    std::unique_ptr<tasks::RemoteTaskRunner> m_runner;
    std::shared_ptr<FakeExecutor> m_exec;
    std::unique_ptr<HostDeploymentService> m_service;
    DeploySettings m_settings;
};

void tst_HostDeploymentService::init()
{
    QFile v(m_dir.filePath(QStringLiteral("version")));
    QVERIFY(v.open(QIODevice::WriteOnly));
    v.write("2.0.0\n");
    v.close();
    QFile s(m_dir.filePath(QStringLiteral("Inventory.Collect.ps1")));
    QVERIFY(s.open(QIODevice::WriteOnly));
    s.write("Write-Output 1\n");
    s.close();
    auto snap = artifacts::AgentBundle::scan(m_dir.path());
    QVERIFY(snap);
    m_bundle = std::make_shared<const artifacts::BundleSnapshot>(*snap);
    m_server = std::make_unique<artifacts::ArtifactServer>(artifacts::ArtifactServerConfig{});
    QVERIFY(m_server->start());
    m_server->setBundle(m_bundle);
    m_runner = std::make_unique<tasks::RemoteTaskRunner>();
    m_exec = std::make_shared<FakeExecutor>();
}

void tst_HostDeploymentService::cleanup()
{
    m_service.reset();
    m_runner.reset();
    m_server.reset();
}

void tst_HostDeploymentService::makeService(const QStringList &hosts)
{
    m_service = std::make_unique<HostDeploymentService>(m_runner.get(), m_exec);
    m_service->setUpdateInterval(20);
    m_settings.hosts = hosts;
    m_settings.downloadBaseUrl = m_server->baseUrl();
    m_settings.ingressTimeoutSeconds = 2;
    m_settings.ingressIntervalSeconds = 1;
    m_settings.lockOwner = QStringLiteral("test console");
    m_service->setSettings(m_settings);
    m_service->setBundle(m_bundle);
}

RolloutSummary tst_HostDeploymentService::runToEnd(std::function<void()> start)
{
    QSignalSpy done(m_service.get(), &HostDeploymentService::operationFinished);
    start();
    if (done.isEmpty() && !done.wait(20000))
        return {};
    QTest::qWait(50);
    if (done.size() != 1)
        qWarning() << "operationFinished fired" << done.size() << "times";
    return done.first().first().value<RolloutSummary>();
}

void tst_HostDeploymentService::checkReportsWhatTheHostSays()
{
    const QByteArray digest = m_bundle->manifest.digest();
    m_exec->hosts[QStringLiteral("current")] = {true, "2.0.0", digest};
    m_exec->hosts[QStringLiteral("old")] = {true, "1.9.9", QByteArray(64, 'a')};
    m_exec->hosts[QStringLiteral("ahead")] = {true,
                                              "\xFF\xFE"
                                                  + QByteArray("3\0.\0"
                                                               "0\0",
                                                               6),
                                              digest};
    m_exec->hosts[QStringLiteral("fresh")] = {};
    m_exec->hosts[QStringLiteral("drift")] = {true, "2.0.000", QByteArray(64, 'b')};
    m_exec->hosts[QStringLiteral("down")].read = Behaviour::Unreachable;
    m_exec->hosts[QStringLiteral("denied")].read = Behaviour::AuthFail;
    makeService({QStringLiteral("current"), QStringLiteral("old"), QStringLiteral("ahead"),
                 QStringLiteral("fresh"), QStringLiteral("drift"), QStringLiteral("down"),
                 QStringLiteral("denied")});
    const RolloutSummary r = runToEnd([&] { m_service->check(); });
    QCOMPARE(r.total, 7);
    QCOMPARE(r.completed, 7);
    QCOMPARE(m_service->status(QStringLiteral("current")).state, HostState::Current);
    QCOMPARE(m_service->status(QStringLiteral("old")).state, HostState::Outdated);
    QCOMPARE(m_service->status(QStringLiteral("old")).hostVersion, QStringLiteral("1.9.9"));
    QCOMPARE(m_service->status(QStringLiteral("ahead")).state, HostState::Ahead);
    QCOMPARE(m_service->status(QStringLiteral("ahead")).hostVersion, QStringLiteral("3.0"));
    QCOMPARE(m_service->status(QStringLiteral("fresh")).state, HostState::Outdated);
    QVERIFY(m_service->status(QStringLiteral("fresh"))
                .message.contains(QStringLiteral("no version file")));
    QCOMPARE(m_service->status(QStringLiteral("drift")).state, HostState::Drifted);
    QCOMPARE(m_service->status(QStringLiteral("down")).state, HostState::Unreachable);
    QVERIFY(m_service->status(QStringLiteral("down"))
                .message.contains(QStringLiteral("connection refused")));
    QCOMPARE(m_service->status(QStringLiteral("denied")).state, HostState::AuthFailed);
    // A check never deploys.
    for (const FakeHost &h : std::as_const(m_exec->hosts))
        QCOMPARE(h.deployCalls, 0);
    QCOMPARE(m_service->inventoryReadiness(QStringLiteral("current")).readiness, Readiness::Ready);
    QCOMPARE(m_service->inventoryReadiness(QStringLiteral("old")).readiness, Readiness::Unknown);
    QCOMPARE(m_service->inventoryReadiness(QStringLiteral("down")).readiness, Readiness::Failed);
}

void tst_HostDeploymentService::deployBringsOutdatedHostsToCurrent()
{
    const QByteArray digest = m_bundle->manifest.digest();
    m_exec->hosts[QStringLiteral("a")] = {true, "1.0.0", QByteArray(64, 'a')};
    m_exec->hosts[QStringLiteral("b")] = {};
    m_exec->hosts[QStringLiteral("c")] = {true, "2.0.0", digest};
    m_exec->hosts[QStringLiteral("d")] = {true, "9.0.0", digest};
    makeService(
        {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
    const RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.state, RolloutState::Succeeded);
    QCOMPARE(r.total, 4);
    QCOMPARE(r.succeeded, 3);
    QCOMPARE(r.deployed, 2);
    QCOMPARE(r.skipped, 1);
    QCOMPARE(r.failed, 0);
    for (const char *h : {"a", "b", "c"}) {
        const HostStatus s = m_service->status(QString::fromLatin1(h));
        QCOMPARE(s.state, HostState::Current);
        QCOMPARE(s.hostVersion, QStringLiteral("2.0.0"));
        QCOMPARE(s.hostDigest, digest);
    }
    QCOMPARE(m_service->status(QStringLiteral("a")).bytesDone, 1000);
    QCOMPARE(m_service->status(QStringLiteral("a")).bytesTotal, 1000);
    QCOMPARE(m_service->status(QStringLiteral("d")).state, HostState::Ahead);
    QCOMPARE(m_exec->host(QStringLiteral("c")).deployCalls, 0);
    QCOMPARE(m_exec->host(QStringLiteral("d")).deployCalls, 0);
    QCOMPARE(m_exec->host(QStringLiteral("a")).readCalls, 2); // check + verification
    const QJsonObject p = m_exec->deployParams.first();
    QCOMPARE(p.value(QStringLiteral("expectedDigest")).toString().toLatin1(), digest);
    QCOMPARE(p.value(QStringLiteral("baseUrl")).toString(), m_server->baseUrl().toString());
    QCOMPARE(p.value(QStringLiteral("installDirectory")).toString(), m_settings.installDirectory);
    QVERIFY(r.provisioningAvailable);
    QCOMPARE(r.readyHosts, 3);
    QVERIFY(bannerText(r).contains(QStringLiteral("left alone")));
}

void tst_HostDeploymentService::ingressGateFailureTouchesNoHost()
{
    m_exec->hosts[QStringLiteral("a")] = {true, "1.0.0", QByteArray(64, 'a')};
    m_exec->hosts[QStringLiteral("c")] = {true, "2.0.0", m_bundle->manifest.digest()};
    makeService({QStringLiteral("a"), QStringLiteral("c")});
    m_settings.downloadBaseUrl = QUrl(QStringLiteral("http://127.0.0.1:1/agent"));
    m_service->setSettings(m_settings);
    const RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.state, RolloutState::Failed);
    QCOMPARE(m_exec->host(QStringLiteral("a")).deployCalls, 0);
    const HostStatus a = m_service->status(QStringLiteral("a"));
    QCOMPARE(a.state, HostState::Unreachable);
    QVERIFY2(a.message.contains(QStringLiteral("artifact URL unreachable")), qPrintable(a.message));
    QVERIFY(a.message.contains(QStringLiteral("http://127.0.0.1:1/agent/manifest.json")));
    QCOMPARE(m_service->status(QStringLiteral("c")).state, HostState::Current);
    QCOMPARE(m_service->metrics()
                 .value(QStringLiteral("ingress"))
                 .toObject()
                 .value(QStringLiteral("state"))
                 .toString(),
             QStringLiteral("unreachable"));

    // A server that serves a different bundle is refused too.
    QTemporaryDir other;
    QFile v(other.filePath(QStringLiteral("version")));
    QVERIFY(v.open(QIODevice::WriteOnly));
    v.write("1.0.0\n");
    v.close();
    auto otherSnap = artifacts::AgentBundle::scan(other.path());
    QVERIFY(otherSnap);
    artifacts::ArtifactServer stale{artifacts::ArtifactServerConfig{}};
    QVERIFY(stale.start());
    stale.setBundle(std::make_shared<const artifacts::BundleSnapshot>(*otherSnap));
    m_settings.downloadBaseUrl = stale.baseUrl();
    m_service->setSettings(m_settings);
    runToEnd([&] { m_service->deploy({QStringLiteral("a")}); });
    QCOMPARE(m_exec->host(QStringLiteral("a")).deployCalls, 0);
    // The URL answered: the host is not called unreachable, the rollout failed on the copy.
    const HostStatus staleA = m_service->status(QStringLiteral("a"));
    QCOMPARE(staleA.state, HostState::Failed);
    QVERIFY2(staleA.message.contains(QStringLiteral("serves the wrong bundle"))
                 && staleA.message.contains(QStringLiteral("different bundle"))
                 && staleA.message.contains(QStringLiteral("aetherv-deploy publish"))
                 && !staleA.message.contains(QStringLiteral("unreachable")),
             qPrintable(staleA.message));
    QCOMPARE(m_service->metrics()
                 .value(QStringLiteral("ingress"))
                 .toObject()
                 .value(QStringLiteral("state"))
                 .toString(),
             QStringLiteral("wrong-bundle"));
}

void tst_HostDeploymentService::disabledAndEmptyProfilesAreNeverUpToDate()
{
    makeService({});
    RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.state, RolloutState::NoHosts);
    QVERIFY(!bannerText(r).contains(QStringLiteral("complete")));
    QVERIFY(bannerText(r).contains(QStringLiteral("no hosts")));

    m_exec->hosts[QStringLiteral("a")] = {true, "1.0.0", {}};
    makeService({QStringLiteral("a")});
    m_service->setBundle(nullptr, QStringLiteral("the bundle's version file is empty"));
    r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.state, RolloutState::Disabled);
    QCOMPARE(bannerLevel(r), BannerLevel::Error);
    QVERIFY(bannerText(r).contains(QStringLiteral("version file is empty")));
    QCOMPARE(m_exec->host(QStringLiteral("a")).readCalls, 0);
    QCOMPARE(m_service->metrics().value(QStringLiteral("enabled")).toBool(), false);
}

void tst_HostDeploymentService::failuresAreStatedAndBackedOff()
{
    m_exec->hosts[QStringLiteral("bad")] = {true, "1.0.0", {}};
    m_exec->hosts[QStringLiteral("bad")].deploy = Behaviour::Fail;
    makeService({QStringLiteral("bad")});
    const RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.state, RolloutState::Failed);
    QCOMPARE(r.failed, 1);
    QCOMPARE(r.lastErrorHost, QStringLiteral("bad"));
    QVERIFY(r.lastError.contains(QStringLiteral("WindowsProvisioning.iso failed verification")));
    const HostStatus s = m_service->status(QStringLiteral("bad"));
    QCOMPARE(s.state, HostState::Failed);
    QCOMPARE(s.hostVersion, QStringLiteral("1.0.0")); // what the host really holds
    QVERIFY(s.nextRetry > QDateTime::currentDateTimeUtc());
    const InventoryReadiness ir = m_service->inventoryReadiness(QStringLiteral("bad"));
    QCOMPARE(ir.readiness, Readiness::Failed);
    QVERIFY(ir.nextRetry.isValid());
    // Within the backoff, the startup cycle does not redeploy it.
    runToEnd([&] { m_service->ensureHostSetup(QStringLiteral("bad")); });
    QCOMPARE(m_exec->host(QStringLiteral("bad")).deployCalls, 1);
}

void tst_HostDeploymentService::claimedSuccessIsVerifiedOnTheHost()
{
    m_exec->hosts[QStringLiteral("liar")] = {true, "1.0.0", {}};
    m_exec->hosts[QStringLiteral("liar")].deploy = Behaviour::LieAboutSuccess;
    makeService({QStringLiteral("liar")});
    const RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.failed, 1);
    const HostStatus s = m_service->status(QStringLiteral("liar"));
    QCOMPARE(s.state, HostState::Failed);
    QVERIFY2(s.message.contains(QStringLiteral("now reports version 1.0.0")),
             qPrintable(s.message));
}

void tst_HostDeploymentService::lockedHost()
{
    m_exec->hosts[QStringLiteral("l")] = {true, "1.0.0", {}};
    m_exec->hosts[QStringLiteral("l")].deploy = Behaviour::Locked;
    makeService({QStringLiteral("l")});
    runToEnd([&] { m_service->deploy(); });
    const HostStatus s = m_service->status(QStringLiteral("l"));
    QCOMPARE(s.state, HostState::Locked);
    QCOMPARE(s.lockOwner, QStringLiteral("other console"));
    QVERIFY(s.message.contains(QStringLiteral("other console")));
}

void tst_HostDeploymentService::cancelStopsRemoteWork()
{
    m_exec->hosts[QStringLiteral("slow")] = {true, "1.0.0", {}};
    m_exec->hosts[QStringLiteral("slow")].deploy = Behaviour::Hang;
    makeService({QStringLiteral("slow")});
    QSignalSpy done(m_service.get(), &HostDeploymentService::operationFinished);
    m_service->deploy();
    QTRY_COMPARE_WITH_TIMEOUT(m_service->status(QStringLiteral("slow")).state, HostState::Deploying,
                              10000);
    QVERIFY(m_service->isRunning());
    QCOMPARE(m_service->inventoryReadiness(QStringLiteral("slow")).readiness, Readiness::Updating);
    m_service->cancel();
    QVERIFY(done.wait(10000));
    QCOMPARE(done.first().first().value<RolloutSummary>().state, RolloutState::Cancelled);
    QCOMPARE(m_service->status(QStringLiteral("slow")).state, HostState::Cancelled);
    QCOMPARE(m_exec->host(QStringLiteral("slow")).cancelledCalls, 1);
    QVERIFY(!m_service->isRunning());
}

void tst_HostDeploymentService::forceRedeploysCurrentHosts()
{
    m_exec->hosts[QStringLiteral("c")] = {true, "2.0.0", m_bundle->manifest.digest()};
    makeService({QStringLiteral("c")});
    runToEnd([&] { m_service->deploy(); });
    QCOMPARE(m_exec->host(QStringLiteral("c")).deployCalls, 0);
    const RolloutSummary r = runToEnd([&] { m_service->deploy({}, true); });
    QCOMPARE(m_exec->host(QStringLiteral("c")).deployCalls, 1);
    QCOMPARE(r.deployed, 1);
    QVERIFY(m_exec->deployParams.last().value(QStringLiteral("force")).toBool());
}

void tst_HostDeploymentService::updatesAreCoalesced()
{
    QStringList names;
    for (int i = 0; i < 50; ++i) {
        names << QStringLiteral("h%1").arg(i);
        m_exec->hosts[names.last()] = {true, "1.0.0", {}};
    }
    makeService(names);
    m_service->setUpdateInterval(100);
    QSignalSpy changed(m_service.get(), &HostDeploymentService::hostsChanged);
    const RolloutSummary r = runToEnd([&] { m_service->deploy(); });
    QCOMPARE(r.deployed, 50);
    // 50 hosts × (checking, checked, deploying, 4 progress, verifying, current) changes arrive
    // in batches, not one signal per change.
    int hostsReported = 0;
    for (const auto &args : std::as_const(changed))
        hostsReported += int(args.first().toStringList().size());
    QVERIFY2(changed.size() < hostsReported, qPrintable(QString::number(changed.size())));
    QVERIFY(changed.size() < 100);
}

QTEST_GUILESS_MAIN(tst_HostDeploymentService)
#include "tst_hostdeploymentservice.moc"
