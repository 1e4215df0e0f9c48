#include "e2efixture.h"

#include "core/deploy/winrmscriptexecutor.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSignalSpy>

namespace aetherv::e2e {

using namespace Qt::StringLiterals;

QString E2eFixture::bundleDir() const
{
    return m_dir.filePath(u"bundle"_s);
}

QString E2eFixture::usersFile() const
{
    return qEnvironmentVariable("AETHERV_SOURCE_DIR") + u"/tests/hostsim/demo-users.txt"_s;
}

bool E2eFixture::start(const QStringList &hostNames, const QByteArray &faultsJson)
{
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary folder"_s;
        return false;
    }
    // A private copy of the built bundle, so a rebuild elsewhere cannot change it mid-test.
    const QString built = qEnvironmentVariable("AETHERV_BUILD_DIR") + u"/agent-bundle"_s;
    const QDir source(built);
    const QStringList names = source.entryList(QDir::Files);
    if (!names.contains(u"version"_s)) {
        m_error = u"no built agent bundle in %1 (build the agent_bundle target)"_s.arg(built);
        return false;
    }
    QDir().mkpath(bundleDir());
    for (const QString &n : names) {
        if (!QFile::copy(source.filePath(n), bundleDir() + u'/' + n)) {
            m_error = u"cannot copy %1"_s.arg(n);
            return false;
        }
    }
    auto snap = artifacts::AgentBundle::scan(bundleDir());
    if (!snap) {
        m_error = snap.error().toString();
        return false;
    }
    m_bundle = std::make_shared<const artifacts::BundleSnapshot>(*snap);

    m_server = std::make_unique<artifacts::ArtifactServer>(artifacts::ArtifactServerConfig{});
    if (const auto started = m_server->start(); !started) {
        m_error = started.error().toString();
        return false;
    }
    m_server->setBundle(m_bundle);
    m_proxy = std::make_unique<FaultProxy>();
    if (!m_proxy->start(m_server->port())) {
        m_error = u"the fault proxy cannot listen"_s;
        return false;
    }

    QStringList args{
        u"--host-names"_s, hostNames.join(u','), u"--root"_s,    m_dir.filePath(u"hosts"_s),
        u"--users"_s,      usersFile(),          u"--workers"_s, u"2"_s};
    if (!faultsJson.isEmpty()) {
        QFile faults(m_dir.filePath(u"faults.json"_s));
        if (!faults.open(QIODevice::WriteOnly) || faults.write(faultsJson) != faultsJson.size()) {
            m_error = u"cannot write the faults file"_s;
            return false;
        }
        args << u"--faults"_s << faults.fileName();
    }
    if (!m_sim.start(args, 90000)) {
        m_error = m_sim.errorString();
        return false;
    }
    return true;
}

bool E2eFixture::updateFaults(const QByteArray &faultsJson)
{
    // Atomic replace: the simulator also watches the file and must never read half of it.
    QSaveFile out(m_dir.filePath(u"faults.json"_s));
    if (!out.open(QIODevice::WriteOnly) || out.write(faultsJson) != faultsJson.size()
        || !out.commit())
        return false;
    return m_sim.reloadFaults();
}

QString E2eFixture::key(const QString &hostName) const
{
    return u"127.0.0.1:%1"_s.arg(winrmPort(hostName));
}

quint16 E2eFixture::winrmPort(const QString &hostName) const
{
    return quint16(m_sim.host(hostName).url.port());
}

QString E2eFixture::driveRoot(const QString &hostName) const
{
    return m_sim.host(hostName).driveRoot;
}

QString E2eFixture::diskPath(const QString &hostName, const QString &windowsPath) const
{
    QString rest = windowsPath;
    if (rest.startsWith(u"C:\\", Qt::CaseInsensitive))
        rest = rest.mid(3);
    rest.replace(u'\\', u'/');
    return rest.isEmpty() ? driveRoot(hostName) : driveRoot(hostName) + u'/' + rest;
}

config::Profile E2eFixture::winrmProfile()
{
    config::Profile p = config::Profile::create(u"E2E"_s);
    p.winrm.transport = config::WinRmTransport::Http;
    p.winrm.auth = config::WinRmAuth::Negotiate;
    p.winrm.userName = u"LAB\\operator"_s;
    return p;
}

Credentials E2eFixture::credentials()
{
    return Credentials{u"LAB\\operator"_s, u"Demo-Passw0rd"_s};
}

deploy::DeploySettings E2eFixture::settings(const QStringList &hostNames,
                                            const QString &installDirectory,
                                            const QUrl &downloadBaseUrl) const
{
    deploy::DeploySettings s;
    for (const QString &h : hostNames)
        s.hosts << key(h);
    s.installDirectory = installDirectory;
    s.downloadBaseUrl = downloadBaseUrl;
    s.downloadMaxAttempts = 3;
    s.downloadRetryIntervalSeconds = 1;
    s.downloadParallelism = 4;
    s.lockExpirySeconds = 600;
    s.checkDeadlineMs = 60000;
    s.deployDeadlineMs = 180000;
    s.ingressTimeoutSeconds = 30;
    s.ingressIntervalSeconds = 1;
    s.lockOwner = u"aetherv-e2e test pid %1"_s.arg(QCoreApplication::applicationPid());
    return s;
}

ServiceRig::ServiceRig(const std::shared_ptr<const artifacts::BundleSnapshot> &bundle,
                       int deploymentConcurrency)
{
    m_runner.setConcurrency(tasks::Category::Deployment, deploymentConcurrency);
    m_executor = std::make_shared<CountingExecutor>(
        deploy::makeWinRmExecutor(E2eFixture::winrmProfile(), E2eFixture::credentials()));
    m_service = std::make_unique<deploy::HostDeploymentService>(&m_runner, m_executor);
    m_service->setUpdateInterval(50);
    m_service->setBundle(bundle);
}

ServiceRig::~ServiceRig()
{
    m_service.reset();
    m_runner.cancelAll();
    m_runner.waitForDone(30000);
}

std::optional<deploy::RolloutSummary> ServiceRig::wait(const std::function<void()> &start,
                                                       int timeoutMs)
{
    QSignalSpy spy(m_service.get(), &deploy::HostDeploymentService::operationFinished);
    start();
    if (spy.isEmpty() && !spy.wait(timeoutMs))
        return std::nullopt;
    return spy.first().first().value<deploy::RolloutSummary>();
}

std::optional<deploy::RolloutSummary> ServiceRig::deploy(const QStringList &hosts, bool force,
                                                         int timeoutMs)
{
    return wait([&] { m_service->deploy(hosts, force); }, timeoutMs);
}

std::optional<deploy::RolloutSummary> ServiceRig::check(const QStringList &hosts, int timeoutMs)
{
    return wait([&] { m_service->check(hosts); }, timeoutMs);
}

} // namespace aetherv::e2e
