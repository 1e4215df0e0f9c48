#pragma once

#include "core/artifacts/agentbundle.h"
#include "core/config/profile.h"
#include "core/deploy/deploysettings.h"
#include "core/deploy/remotescriptexecutor.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <memory>

namespace aetherv::artifacts {
class ArtifactServer;
}
namespace aetherv::deploy {
class HostDeploymentService;
}
namespace aetherv::tasks {
class RemoteTaskRunner;
}

namespace aetherv::ui {

// Everything one selected profile runs: the task runner sized by the profile, the embedded
// artifact server, the bundle (hashed off the GUI thread) and the deployment service. Created
// when the operator selects a profile, destroyed (cancelling its work) when another is selected.
class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    enum class ServerState { Stopped, Hashing, Ready, NotReady, Failed };
    Q_ENUM(ServerState)

    ConsoleSession(config::Profile profile, std::shared_ptr<deploy::RemoteScriptExecutor> executor,
                   QString bundleDirectory, QObject *parent = nullptr);
    ~ConsoleSession() override;

    // Starts the server and the bundle scan; the startup deployment follows the scan when the
    // profile asks for it. Returns at once.
    void start();

    const config::Profile &profile() const { return m_profile; }
    deploy::HostDeploymentService *service() const { return m_service; }
    tasks::RemoteTaskRunner *runner() const { return m_runner.get(); }
    artifacts::ArtifactServer *server() const { return m_server.get(); }
    QString bundleDirectory() const { return m_bundleDirectory; }
    std::shared_ptr<const artifacts::BundleSnapshot> bundle() const { return m_bundle; }

    ServerState serverState() const { return m_serverState; }
    QUrl serverUrl() const;
    QString serverStatusText() const; // one line for the status bar
    QUrl downloadBaseUrl() const { return m_settings.downloadBaseUrl; }

    // Runs Test-AgentInstall.ps1 on each host and compares the host's files with the bundle.
    void smokeTest(const QStringList &hosts);

    // Service metrics, task runner and artifact server statistics, bundle and profile facts.
    QJsonObject diagnostics() const;

Q_SIGNALS:
    void serverStateChanged();
    void bundleLoaded(bool ok, const QString &text);
    // Console-wide (host empty) and per-host events of the session itself (server, bundle,
    // smoke tests); the service's own events come from HostDeploymentService::hostLog.
    void event(const QString &host, const QDateTime &when, const QString &level,
               const QString &text);
    void smokeTestFinished(const QString &host, bool passed, const QString &summary);

private:
    void onBundleScanned();
    void setServerState(ServerState state, const QString &text);
    void log(const QString &host, const QString &level, const QString &text);
    QString evaluateSmokeTest(const QJsonObject &result, bool *passed) const;

    config::Profile m_profile;
    std::shared_ptr<deploy::RemoteScriptExecutor> m_executor;
    QString m_bundleDirectory;
    deploy::DeploySettings m_settings;
    std::unique_ptr<tasks::RemoteTaskRunner> m_runner;
    std::unique_ptr<artifacts::ArtifactServer> m_server;
    deploy::HostDeploymentService *m_service = nullptr;
    std::shared_ptr<artifacts::HashCache> m_hashCache;
    QFutureWatcher<Result<artifacts::BundleSnapshot>> m_scan;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    ServerState m_serverState = ServerState::Stopped;
    QString m_serverText;
    QString m_urlError;
};

} // namespace aetherv::ui
