#pragma once

#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"
#include "core/common/credentials.h"
#include "core/config/profile.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/tasks/remotetaskrunner.h"

#include <QCommandLineParser>
#include <QObject>
#include <QTextStream>

#include <memory>

namespace aetherv::cli {

// Options every host command shares.
void addCommonOptions(QCommandLineParser &parser);

// One CLI run against one profile: resolves the profile (settings, --profile-file, environment
// overrides), the password (keychain, AETHERV_WINRM_PASSWORD or a 0600 file), hashes the bundle,
// starts the artifact server and the deployment service, and reports progress.
class CliSession : public QObject
{
    Q_OBJECT
public:
    explicit CliSession(const QCommandLineParser &parser, QObject *parent = nullptr);

    // Loads everything; on failure prints the reason and returns the exit code to use.
    int prepare(bool needServer, bool needCredentials = true);
    // Only the profile and the credentials (for commands that talk to one host directly).
    int prepareConnection();
    // Runs an operation to its end with terminal or JSON-lines progress; returns the exit code.
    int runOperation(const std::function<void(deploy::HostDeploymentService &)> &start,
                     bool checkOnly);

    const config::Profile &profile() const { return m_profile; }
    const Credentials &credentials() const { return m_credentials; }
    deploy::HostDeploymentService *service() const { return m_service.get(); }
    artifacts::ArtifactServer *server() const { return m_server.get(); }
    std::shared_ptr<const artifacts::BundleSnapshot> bundle() const { return m_bundle; }
    QStringList selectedHosts() const { return m_hosts; }
    bool json() const { return m_json; }
    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    void emitJson(const QJsonObject &o);

private:
    int loadProfile();
    int loadCredentials();
    void onHostsChanged(const QStringList &hosts);
    void printHost(const deploy::HostStatus &s, bool final);
    int exitCodeFor(const QList<deploy::HostStatus> &hosts, bool checkOnly) const;

    const QCommandLineParser &m_parser;
    QTextStream m_out;
    QTextStream m_err;
    bool m_json = false;
    bool m_checkOnly = false;
    config::Profile m_profile;
    Credentials m_credentials;
    QStringList m_hosts;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    std::unique_ptr<artifacts::ArtifactServer> m_server;
    std::unique_ptr<tasks::RemoteTaskRunner> m_runner;
    std::unique_ptr<deploy::HostDeploymentService> m_service;
    QHash<QString, deploy::HostState> m_lastState;
    QHash<QString, qint64> m_lastProgressMs;
    QElapsedTimer m_clock;
};

} // namespace aetherv::cli
