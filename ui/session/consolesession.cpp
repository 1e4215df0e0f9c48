#include "ui/session/consolesession.h"

#include "core/artifacts/artifactserver.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/profileadapter.h"
#include "core/tasks/remotetaskrunner.h"

#include <QJsonArray>
#include <QLocale>
#include <QMetaEnum>
#include <QPointer>
#include <QSet>

namespace aetherv::ui {

using tasks::Category;
using tasks::TaskContext;
using tasks::TaskHandle;
using tasks::TaskOutcome;
using tasks::TaskResult;

namespace {

const QString kSmokeScript = QStringLiteral("Test-AgentInstall.ps1");

} // namespace

ConsoleSession::ConsoleSession(config::Profile profile,
                               std::shared_ptr<deploy::RemoteScriptExecutor> executor,
                               QString bundleDirectory, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_executor(std::move(executor))
    , m_bundleDirectory(std::move(bundleDirectory))
    , m_hashCache(std::make_shared<artifacts::HashCache>())
{
    if (!m_profile.bundleDirectory.isEmpty())
        m_bundleDirectory = m_profile.bundleDirectory;
    if (m_bundleDirectory.isEmpty())
        m_bundleDirectory = artifacts::AgentBundle::defaultDirectory();
    connect(&m_scan, &QFutureWatcher<Result<artifacts::BundleSnapshot>>::finished, this,
            &ConsoleSession::onBundleScanned);
}

ConsoleSession::~ConsoleSession()
{
    m_scan.disconnect(this);
    // The service cancels its tasks; the runner then waits for the pool threads, which return
    // promptly because every task honours cancellation.
    delete m_service;
    m_service = nullptr;
    if (m_runner)
        m_runner->cancelAll();
    m_runner.reset();
    if (m_server)
        m_server->stop();
}

void ConsoleSession::start()
{
    m_runner = std::make_unique<tasks::RemoteTaskRunner>();
    m_runner->setConcurrency(Category::Deployment, m_profile.taskRunner.deploymentConcurrency);
    m_runner->setConcurrency(Category::Inventory, m_profile.taskRunner.inventoryConcurrency);
    m_runner->setConcurrency(Category::Diagnostics, m_profile.taskRunner.diagnosticsConcurrency);

    const config::ArtifactServerSettings &as = m_profile.artifactServer;
    m_server
        = std::make_unique<artifacts::ArtifactServer>(deploy::artifactServerConfigFor(m_profile));
    connect(m_server.get(), &artifacts::ArtifactServer::readinessChanged, this, [this](bool ready) {
        if (m_serverState == ServerState::Failed)
            return;
        setServerState(ready ? ServerState::Ready : ServerState::NotReady,
                       ready ? QString() : m_server->notReadyReason());
    });

    m_service = new deploy::HostDeploymentService(m_runner.get(), m_executor, this);
    m_settings = deploy::deploySettingsWithoutUrl(
        m_profile, deploy::defaultLockOwner(QStringLiteral("aetherv-console")));

    const Result<quint16> listening = m_server->start();
    if (!listening) {
        setServerState(ServerState::Failed, listening.error().toString());
        log(QString(), QStringLiteral("error"),
            tr("The artifact server could not start on %1 port %2: %3")
                .arg(as.listenAddress)
                .arg(as.port)
                .arg(listening.error().toString()));
    } else {
        setServerState(ServerState::Hashing, QString());
        log(QString(), QStringLiteral("info"),
            tr("Artifact server listening on %1").arg(m_server->baseUrl().toString()));
    }
    const QUrl serverUrl = listening ? m_server->baseUrl() : QUrl();
    const Result<QUrl> url = m_profile.effectiveDownloadBaseUrl(serverUrl);
    if (url)
        m_settings.downloadBaseUrl = *url;
    else
        m_urlError = url.error().message;
    m_service->setSettings(m_settings);

    log(QString(), QStringLiteral("info"),
        tr("Hashing the agent bundle in %1").arg(m_bundleDirectory));
    m_scan.setFuture(artifacts::AgentBundle::scanAsync(m_bundleDirectory, m_hashCache));
}

void ConsoleSession::onBundleScanned()
{
    const Result<artifacts::BundleSnapshot> r = m_scan.result();
    if (!r) {
        const QString reason = tr("the agent bundle in %1 cannot be used: %2")
                                   .arg(m_bundleDirectory, r.error().toString());
        m_server->setNotReady(reason);
        m_service->setBundle(nullptr, reason);
        if (m_serverState != ServerState::Failed)
            setServerState(ServerState::NotReady, reason);
        log(QString(), QStringLiteral("error"), reason);
        Q_EMIT bundleLoaded(false, reason);
        return;
    }
    m_bundle = std::make_shared<const artifacts::BundleSnapshot>(*r);
    m_server->setBundle(m_bundle);
    const QString text
        = tr("Agent bundle %1: %n file(s), %2", nullptr, int(m_bundle->files.size()))
              .arg(m_bundle->version, QLocale().formattedDataSize(m_bundle->manifest.totalSize()));
    log(QString(), QStringLiteral("info"), text);
    if (m_serverState == ServerState::Failed || !m_urlError.isEmpty()) {
        // Hosts could not download anything: deployment stays disabled with the reason.
        const QString reason = m_serverState == ServerState::Failed
                                   ? tr("the artifact server is not running: %1").arg(m_serverText)
                                   : tr("the download URL is not usable: %1").arg(m_urlError);
        m_service->setBundle(nullptr, reason);
        log(QString(), QStringLiteral("error"), reason);
        Q_EMIT bundleLoaded(false, reason);
        return;
    }
    m_service->setBundle(m_bundle);
    setServerState(m_server->isReady() ? ServerState::Ready : ServerState::NotReady,
                   m_server->notReadyReason());
    Q_EMIT bundleLoaded(true, text);
    if (m_profile.startupDeployment && !m_profile.hosts.isEmpty()) {
        log(QString(), QStringLiteral("info"), tr("Startup deployment started"));
        m_service->startStartupDeployment();
    }
}

void ConsoleSession::setServerState(ServerState state, const QString &text)
{
    m_serverState = state;
    m_serverText = text;
    Q_EMIT serverStateChanged();
}

QUrl ConsoleSession::serverUrl() const
{
    return m_server && m_server->isListening() ? m_server->baseUrl() : QUrl();
}

QString ConsoleSession::serverStatusText() const
{
    const QString url = serverUrl().toString();
    switch (m_serverState) {
    case ServerState::Stopped:
        return tr("Artifact server stopped");
    case ServerState::Hashing:
        return tr("Artifact server %1: hashing the bundle…").arg(url);
    case ServerState::Ready:
        return tr("Artifact server %1: serving bundle %2")
            .arg(url, m_bundle ? m_bundle->version : QString());
    case ServerState::NotReady:
        return tr("Artifact server %1: not ready (%2)").arg(url, m_serverText);
    case ServerState::Failed:
        return tr("Artifact server failed: %1").arg(m_serverText);
    }
    return {};
}

void ConsoleSession::log(const QString &host, const QString &level, const QString &text)
{
    Q_EMIT event(host, QDateTime::currentDateTimeUtc(), level, text);
}

void ConsoleSession::smokeTest(const QStringList &hosts)
{
    if (!m_runner)
        return;
    const QJsonObject params{{QStringLiteral("installDirectory"), m_profile.installDirectory}};
    for (const QString &host : hosts) {
        log(host, QStringLiteral("info"), tr("Smoke test started"));
        auto executor = m_executor;
        TaskHandle *h = m_runner->submit(
            Category::Diagnostics, tr("smoke test of %1").arg(host),
            qint64(m_profile.taskRunner.checkDeadlineSeconds) * 1000,
            [executor, host, params](TaskContext &ctx) -> Result<QVariant> {
                auto r = executor->run(host, kSmokeScript, params, {}, ctx);
                if (!r)
                    return std::unexpected(r.error());
                return QVariant(*r);
            },
            this);
        connect(h, &TaskHandle::finished, this, [this, host, h](const TaskResult &r) {
            h->deleteLater();
            bool passed = false;
            QString summary;
            if (r.outcome == TaskOutcome::Succeeded) {
                summary = evaluateSmokeTest(r.value.toJsonObject(), &passed);
            } else if (r.outcome == TaskOutcome::Cancelled) {
                summary = tr("smoke test cancelled");
            } else {
                summary = tr("smoke test could not run: %1").arg(r.error.toString());
            }
            log(host, passed ? QStringLiteral("info") : QStringLiteral("error"), summary);
            Q_EMIT smokeTestFinished(host, passed, summary);
        });
    }
}

QString ConsoleSession::evaluateSmokeTest(const QJsonObject &result, bool *passed) const
{
    *passed = false;
    const QString outcome = result.value(QStringLiteral("outcome")).toString();
    if (outcome == u"failed") {
        return tr("smoke test failed on the host: %1")
            .arg(result.value(QStringLiteral("error")).toString());
    }
    if (!result.value(QStringLiteral("exists")).toBool())
        return tr("smoke test failed: the install directory %1 does not exist")
            .arg(m_profile.installDirectory);
    if (!m_bundle)
        return tr("smoke test incomplete: no bundle loaded to compare with");
    QHash<QString, QJsonObject> onHost;
    for (const QJsonValue &v : result.value(QStringLiteral("files")).toArray()) {
        const QJsonObject f = v.toObject();
        onHost.insert(f.value(QStringLiteral("name")).toString(), f);
    }
    QStringList missing, differing;
    for (const artifacts::ManifestEntry &e : m_bundle->manifest.files()) {
        const auto it = onHost.constFind(e.name);
        if (it == onHost.cend()) {
            missing << e.name;
            continue;
        }
        if (it->value(QStringLiteral("size")).toInteger() != e.size
            || it->value(QStringLiteral("sha256")).toString().toLower().toLatin1() != e.sha256) {
            differing << e.name;
        }
    }
    QStringList extra;
    for (auto it = onHost.cbegin(); it != onHost.cend(); ++it) {
        if (!m_bundle->manifest.find(it.key()) && it.key() != u"manifest.json"
            && !it.key().startsWith(u'.'))
            extra << it.key();
    }
    const QString version = result.value(QStringLiteral("version")).toString().trimmed();
    const QString digest = result.value(QStringLiteral("manifestDigest")).toString();
    QStringList problems;
    if (!missing.isEmpty())
        problems << tr("missing: %1").arg(missing.join(u", "));
    if (!differing.isEmpty())
        problems << tr("different content: %1").arg(differing.join(u", "));
    if (!extra.isEmpty())
        problems << tr("not in the bundle: %1").arg(extra.join(u", "));
    if (version != m_bundle->version)
        problems << tr("version file says \"%1\", bundle is %2").arg(version, m_bundle->version);
    if (digest.toLatin1() != m_bundle->manifest.digest())
        problems << tr("deployed manifest digest differs from the bundle's");
    if (!problems.isEmpty())
        return tr("smoke test failed: %1").arg(problems.join(u"; "));
    *passed = true;
    return tr("smoke test passed: %n file(s) match bundle %1", nullptr,
              int(m_bundle->manifest.files().size()))
        .arg(m_bundle->version);
}

QJsonObject ConsoleSession::diagnostics() const
{
    QJsonObject server{
        {QStringLiteral("state"),
         QString::fromLatin1(QMetaEnum::fromType<ServerState>().valueToKey(int(m_serverState)))},
        {QStringLiteral("url"), serverUrl().toString()},
        {QStringLiteral("downloadBaseUrl"), m_settings.downloadBaseUrl.toString()}};
    if (!m_serverText.isEmpty())
        server.insert(QStringLiteral("detail"), m_serverText);
    if (m_server) {
        const artifacts::ArtifactServerStats st = m_server->stats();
        QJsonObject byStatus;
        for (auto it = st.requestsByStatus.cbegin(); it != st.requestsByStatus.cend(); ++it)
            byStatus.insert(QString::number(it.key()), qint64(it.value()));
        server.insert(QStringLiteral("listening"), m_server->isListening());
        server.insert(QStringLiteral("https"), m_server->isHttps());
        server.insert(QStringLiteral("ready"), m_server->isReady());
        server.insert(QStringLiteral("requestsByStatus"), byStatus);
        server.insert(QStringLiteral("bytesSent"), qint64(st.bytesSent));
        server.insert(QStringLiteral("badRequests"), qint64(st.badRequests));
        server.insert(QStringLiteral("downloadsCompleted"), qint64(st.downloadsCompleted));
        server.insert(QStringLiteral("downloadsAborted"), qint64(st.downloadsAborted));
        server.insert(QStringLiteral("connectionsRejected"), qint64(st.connectionsRejected));
        server.insert(QStringLiteral("activeDownloads"), st.activeDownloads);
        server.insert(QStringLiteral("activeConnections"), st.activeConnections);
    }
    QJsonObject bundle{{QStringLiteral("directory"), m_bundleDirectory}};
    if (m_bundle) {
        bundle.insert(QStringLiteral("version"), m_bundle->version);
        bundle.insert(QStringLiteral("files"), int(m_bundle->files.size()));
        bundle.insert(QStringLiteral("bytes"), m_bundle->manifest.totalSize());
        bundle.insert(QStringLiteral("digest"), QString::fromLatin1(m_bundle->manifest.digest()));
    }
    bundle.insert(QStringLiteral("hashCacheHits"), m_hashCache->hits());
    bundle.insert(QStringLiteral("hashCacheMisses"), m_hashCache->misses());
    QJsonObject out{{QStringLiteral("profile"),
                     QJsonObject{{QStringLiteral("id"), m_profile.id},
                                 {QStringLiteral("name"), m_profile.name},
                                 {QStringLiteral("environment"),
                                  config::environmentTagName(m_profile.environment)},
                                 {QStringLiteral("hosts"), int(m_profile.hosts.size())},
                                 {QStringLiteral("installDirectory"), m_profile.installDirectory}}},
                    {QStringLiteral("artifactServer"), server},
                    {QStringLiteral("bundle"), bundle}};
    if (m_service)
        out.insert(QStringLiteral("deployment"), m_service->metrics());
    return out;
}

} // namespace aetherv::ui
