#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"
#include "core/config/profile.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/profileadapter.h"
#include "core/deploy/winrmscriptexecutor.h"
#include "core/provision/provisioningservice.h"
#include "core/tasks/remotetaskrunner.h"

#include "support/hostsimprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace aetherv;
using namespace aetherv::provision;
using deploy::HostState;

// End to end: the console's deployment and provisioning services with the real WinRM executor
// (NTLM with message encryption) against aetherv-hostsim, whose hosts run real PowerShell 7 with
// the simulated Hyper-V module. The agent bundle is deployed by Deploy-AgentBundle.ps1 and the
// job runs the deployed Invoke-ProvisioningJob.ps1 from the install directory.
class tst_ProvisioningEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void invalidJobIsRejectedBeforeAnyChange();
    void jobSubmittedDuringDeployWaitsThenRuns();
    void twoJobsOnOneHostRunOneAfterTheOther();
    void jobToFailedHostIsRefusedWithTheReason();
    void legacyHostIsMigratedThenProvisions();

private:
    QJsonObject job(const QString &vmName, int vlan = 0) const;
    QString hostKey(const QString &name) const;
    QString installDir(const QString &name) const;
    QJsonObject vmState(const QString &name, const QString &vm) const;
    bool waitFinal(const QString &id, int timeoutMs);
    static void writeFile(const QString &path, const QByteArray &bytes);

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
    QString m_closedHost;
    config::Profile m_profile;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    std::unique_ptr<artifacts::ArtifactServer> m_server;
    std::unique_ptr<tasks::RemoteTaskRunner> m_runner;
    std::unique_ptr<deploy::HostDeploymentService> m_deploy;
    std::unique_ptr<ProvisioningService> m_provision;
};

void tst_ProvisioningEndToEnd::writeFile(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

QString tst_ProvisioningEndToEnd::hostKey(const QString &name) const
{
    return u"127.0.0.1:"_qs + QString::number(m_sim.host(name).url.port());
}

QString tst_ProvisioningEndToEnd::installDir(const QString &name) const
{
    return m_sim.host(name).driveRoot + u"/Program Files/Aether-V"_qs;
}

QJsonObject tst_ProvisioningEndToEnd::vmState(const QString &name, const QString &vm) const
{
    QFile f(m_sim.host(name).driveRoot + u"/ProgramData/HyperVSim/vms/"_qs + vm + u".json"_qs);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject tst_ProvisioningEndToEnd::job(const QString &vmName, int vlan) const
{
    ProvisioningFields f;
    f.vmName = vmName;
    f.imageName = u"golden.vhdx"_qs;
    f.switchName = u"LAN"_qs;
    f.vlanId = vlan;
    f.processorCount = 2;
    f.memoryStartupMB = 2048;
    f.data = {{u"role"_qs, u"web"_qs}};
    f.waitTimeoutSeconds = 60;
    f.waitPollSeconds = 1;
    return buildJob(f);
}

bool tst_ProvisioningEndToEnd::waitFinal(const QString &id, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!isFinal(m_provision->job(id).state) && !deadline.hasExpired()) {
        QSignalSpy finished(m_provision.get(), &ProvisioningService::jobFinished);
        finished.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return isFinal(m_provision->job(id).state);
}

void tst_ProvisioningEndToEnd::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(u"users"_qs), "LAB:operator:Prov-Passw0rd\n");
    QVERIFY2(m_sim.start({u"--host-names"_qs, u"HV01,HV02,HV03"_qs, u"--root"_qs,
                          m_dir.filePath(u"root"_qs), u"--users"_qs, m_dir.filePath(u"users"_qs),
                          u"--workers"_qs, u"3"_qs}),
             qPrintable(m_sim.errorString()));
    // Every host has a golden image in Hyper-V's default disk folder.
    QByteArray image(3 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < image.size(); ++i)
        image[i] = char((i * 31 + i / 4096) & 0xff);
    for (const auto &h : m_sim.hosts())
        writeFile(h.driveRoot
                      + u"/Users/Public/Documents/Hyper-V/Virtual Hard Disks/golden.vhdx"_qs,
                  image);
    // HV03 carries the old manual installers' layout: two version files and no "version".
    writeFile(installDir(u"HV03"_qs) + u"/scriptsversion"_qs, "1.2.0\r\n");
    writeFile(installDir(u"HV03"_qs) + u"/isosversion"_qs, "1.1.0\r\n");
    writeFile(installDir(u"HV03"_qs) + u"/Provision-OldStyle.ps1"_qs, "Write-Output old\n");

    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_closedHost = u"127.0.0.1:"_qs + QString::number(probe.serverPort());
    probe.close();

    const QString bundleDir = qEnvironmentVariable("AETHERV_BUILD_DIR") + u"/agent-bundle"_qs;
    auto snap = artifacts::AgentBundle::scan(bundleDir);
    QVERIFY2(snap, qPrintable(snap ? QString() : snap.error().toString()));
    m_bundle = std::make_shared<const artifacts::BundleSnapshot>(*snap);

    m_profile = config::Profile::create(u"Provisioning lab"_qs, config::EnvironmentTag::Test);
    for (const QString &h :
         {hostKey(u"HV01"_qs), hostKey(u"HV02"_qs), hostKey(u"HV03"_qs), m_closedHost})
        m_profile.hosts << *config::HostEntry::parse(h);
    m_profile.bundleDirectory = bundleDir;
    m_profile.artifactServer.listenAddress = u"127.0.0.1"_qs;
    m_profile.artifactServer.port = 0;
    m_profile.winrm.userName = u"LAB\\operator"_qs;
    m_profile.winrm.connectTimeoutSeconds = 5;
    m_profile.ingressGate.timeoutSeconds = 30;
    m_profile.ingressGate.intervalSeconds = 1;
    m_profile.startupDeployment = false;

    m_server
        = std::make_unique<artifacts::ArtifactServer>(deploy::artifactServerConfigFor(m_profile));
    const auto started = m_server->start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
    m_server->setBundle(m_bundle);
    auto settings
        = deploy::deploySettingsFor(m_profile, m_server->baseUrl(), u"tst_provisioning"_qs);
    QVERIFY2(settings, qPrintable(settings ? QString() : settings.error().toString()));
    settings->downloadRetryIntervalSeconds = 1;
    m_runner = std::make_unique<tasks::RemoteTaskRunner>();
    m_runner->setConcurrency(tasks::Category::Deployment, 4);
    m_runner->setConcurrency(tasks::Category::Diagnostics, 4);
    const Credentials credentials{u"LAB\\operator"_qs, u"Prov-Passw0rd"_qs};
    auto executor = deploy::makeWinRmExecutor(m_profile, credentials);
    m_deploy = std::make_unique<deploy::HostDeploymentService>(m_runner.get(), executor);
    m_deploy->setUpdateInterval(50);
    m_deploy->setSettings(*settings);
    m_deploy->setBundle(m_bundle);
    m_provision = std::make_unique<ProvisioningService>(m_runner.get(), executor, m_deploy.get());
    m_provision->setBundle(m_bundle);
}

void tst_ProvisioningEndToEnd::cleanupTestCase()
{
    m_provision.reset();
    m_deploy.reset();
    m_runner.reset();
    m_server.reset();
    m_sim.stop();
    QVERIFY2(!m_sim.stderrText().contains(u"Prov-Passw0rd"_qs), "a password reached the log");
}

void tst_ProvisioningEndToEnd::invalidJobIsRejectedBeforeAnyChange()
{
    QJsonObject bad = job(u"web-00"_qs);
    QJsonObject vm = bad.value(u"vm").toObject();
    vm.insert(u"processorCount"_qs, 0);
    bad.insert(u"vm"_qs, vm);
    QSignalSpy added(m_provision.get(), &ProvisioningService::jobAdded);
    QList<JobIssue> issues;
    const auto r = m_provision->submit(hostKey(u"HV01"_qs), bad, &issues);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::InvalidInput);
    QVERIFY2(issues.contains(JobIssue{u"vm.processorCount"_qs, u"less than 1"_qs}),
             qPrintable(describeIssues(issues)));
    QVERIFY(r.error().detail.contains(u"vm.processorCount: less than 1"_qs));
    QCOMPARE(added.size(), 0);
    QVERIFY(m_provision->jobs().isEmpty());
    // Nothing reached the host: not even a version check.
    QCOMPARE(m_deploy->status(hostKey(u"HV01"_qs)).state, HostState::Unknown);
    QVERIFY(
        !QFileInfo::exists(m_sim.host(u"HV01"_qs).driveRoot + u"/ProgramData/HyperVSim/vms"_qs));
}

void tst_ProvisioningEndToEnd::jobSubmittedDuringDeployWaitsThenRuns()
{
    const QString host = hostKey(u"HV01"_qs);
    QList<JobState> seen;
    connect(m_provision.get(), &ProvisioningService::jobChanged, this, [&](const QString &id) {
        const JobState s = m_provision->job(id).state;
        if (seen.isEmpty() || seen.last() != s)
            seen << s;
    });
    QStringList stepLines;
    connect(m_provision.get(), &ProvisioningService::jobLine, this,
            [&](const QString &, const QJsonObject &line, const QString &) {
                if (line.value(u"event").toString() == u"step")
                    stepLines << line.value(u"step").toString();
            });
    m_deploy->deploy({host});
    QVERIFY(m_deploy->inventoryReadiness(host).readiness == deploy::Readiness::Updating);
    const auto id = m_provision->submit(host, job(u"web-01"_qs, 120));
    QVERIFY(id);
    const ProvisioningJob waiting = m_provision->job(*id);
    QCOMPARE(waiting.state, JobState::Waiting);
    QVERIFY2(waiting.reason.startsWith(u"waiting"_qs), qPrintable(waiting.reason));
    QVERIFY(waitFinal(*id, 150000));
    disconnect(m_provision.get(), nullptr, this, nullptr);

    const ProvisioningJob done = m_provision->job(*id);
    QVERIFY2(done.state == JobState::Succeeded, qPrintable(done.reason));
    QCOMPARE(m_deploy->status(host).state, HostState::Current);
    QVERIFY2(seen.indexOf(JobState::Waiting) < seen.indexOf(JobState::Running),
             qPrintable(QString::number(seen.size())));
    // The steps arrived live, in order, and the job's record agrees.
    QCOMPARE(stepLines, provisioningStepNames());
    for (const JobStep &s : done.steps) {
        if (s.name == u"removeSensitiveData")
            QCOMPARE(s.status, u"skipped"_qs);
        else
            QVERIFY2(s.status == u"succeeded", qPrintable(s.name + u": "_qs + s.status));
    }
    // The simulated Hyper-V host holds the VM as the job described it.
    const QJsonObject vm = vmState(u"HV01"_qs, u"web-01"_qs);
    QCOMPARE(vm.value(u"state").toString(), u"Running"_qs);
    QCOMPARE(vm.value(u"id").toString(), done.vmId);
    QCOMPARE(vm.value(u"generation").toInt(), 2);
    QCOMPARE(vm.value(u"processorCount").toInt(), 2);
    QCOMPARE(vm.value(u"memory").toObject().value(u"startupBytes").toInteger(),
             qint64(2048) * 1024 * 1024);
    const QJsonObject adapter = vm.value(u"networkAdapters").toArray().first().toObject();
    QCOMPARE(adapter.value(u"switchName").toString(), u"LAN"_qs);
    QCOMPARE(adapter.value(u"vlan").toObject().value(u"vlanId").toInt(), 120);
    QVERIFY(vm.value(u"dvdDrives")
                .toArray()
                .first()
                .toObject()
                .value(u"path")
                .toString()
                .endsWith(u"WindowsProvisioning.iso"_qs));
    QCOMPARE(vm.value(u"firmware").toObject().value(u"secureBootTemplate").toString(),
             u"MicrosoftWindows"_qs);
    const QJsonObject kvp = vm.value(u"kvp").toObject().value(u"host").toObject();
    QCOMPARE(kvp.value(u"AetherV.Published").toString(), done.jobId);
    QCOMPARE(kvp.value(u"AetherV.Data.role").toString(), u"web"_qs);
    QVERIFY(QFileInfo::exists(m_sim.host(u"HV01"_qs).driveRoot
                              + u"/ProgramData/Microsoft/Windows/Hyper-V/web-01/Virtual Hard "
                                u"Disks/web-01.vhdx"_qs));
}

void tst_ProvisioningEndToEnd::twoJobsOnOneHostRunOneAfterTheOther()
{
    const QString host = hostKey(u"HV01"_qs);
    const auto first = m_provision->submit(host, job(u"app-01"_qs));
    const auto second = m_provision->submit(host, job(u"app-02"_qs));
    QVERIFY(first && second);
    QTRY_COMPARE_WITH_TIMEOUT(m_provision->job(*first).state, JobState::Running, 30000);
    const ProvisioningJob queued = m_provision->job(*second);
    QCOMPARE(queued.state, JobState::Queued);
    QVERIFY2(queued.reason.contains(*first), qPrintable(queued.reason));
    QVERIFY(waitFinal(*second, 150000));
    const ProvisioningJob a = m_provision->job(*first);
    const ProvisioningJob b = m_provision->job(*second);
    QVERIFY2(a.state == JobState::Succeeded, qPrintable(a.reason));
    QVERIFY2(b.state == JobState::Succeeded, qPrintable(b.reason));
    QVERIFY(b.started >= a.finished);
    QCOMPARE(vmState(u"HV01"_qs, u"app-01"_qs).value(u"state").toString(), u"Running"_qs);
    QCOMPARE(vmState(u"HV01"_qs, u"app-02"_qs).value(u"state").toString(), u"Running"_qs);
}

void tst_ProvisioningEndToEnd::jobToFailedHostIsRefusedWithTheReason()
{
    const auto id = m_provision->submit(m_closedHost, job(u"lost-01"_qs));
    QVERIFY(id);
    QVERIFY(waitFinal(*id, 60000));
    const ProvisioningJob j = m_provision->job(*id);
    QCOMPARE(j.state, JobState::Refused);
    const deploy::HostStatus s = m_deploy->status(m_closedHost);
    QCOMPARE(s.state, HostState::Unreachable);
    QVERIFY2(j.reason.contains(s.message), qPrintable(j.reason + u" | "_qs + s.message));
    // Refused at once from now on: the failure stands until the backoff allows a retry.
    const auto again = m_provision->submit(m_closedHost, job(u"lost-02"_qs));
    QVERIFY(again);
    QCOMPARE(m_provision->job(*again).state, JobState::Refused);
}

void tst_ProvisioningEndToEnd::legacyHostIsMigratedThenProvisions()
{
    const QString host = hostKey(u"HV03"_qs);
    QSignalSpy finished(m_deploy.get(), &deploy::HostDeploymentService::operationFinished);
    m_deploy->check({host});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    const deploy::HostStatus legacy = m_deploy->status(host);
    QCOMPARE(legacy.state, HostState::Legacy);
    QVERIFY2(legacy.message.contains(u"scripts 1.2.0"_qs)
                 && legacy.message.contains(u"ISOs 1.1.0"_qs),
             qPrintable(legacy.message));

    // The job asks for the host to be set up, waits for the deploy, then runs.
    const auto id = m_provision->submit(host, job(u"web-03"_qs));
    QVERIFY(id);
    QCOMPARE(m_provision->job(*id).state, JobState::Waiting);
    QVERIFY(waitFinal(*id, 150000));
    QVERIFY2(m_provision->job(*id).state == JobState::Succeeded,
             qPrintable(m_provision->job(*id).reason));
    QCOMPARE(m_deploy->status(host).state, HostState::Current);

    // Migrated cleanly: exactly the bundle's files, the manifest, no legacy files.
    QStringList expected{u"manifest.json"_qs};
    for (const auto &f : m_bundle->manifest.files())
        expected << f.name;
    QStringList present = QDir(installDir(u"HV03"_qs)).entryList(QDir::Files | QDir::Hidden);
    present.sort();
    expected.sort();
    QCOMPARE(present, expected);
    QFile version(installDir(u"HV03"_qs) + u"/version"_qs);
    QVERIFY(version.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(version.readAll()).trimmed(), m_bundle->version);
    QCOMPARE(vmState(u"HV03"_qs, u"web-03"_qs).value(u"state").toString(), u"Running"_qs);
}

QTEST_GUILESS_MAIN(tst_ProvisioningEndToEnd)
#include "tst_provisioning_e2e.moc"
