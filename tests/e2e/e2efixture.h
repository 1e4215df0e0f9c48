#pragma once

#include "countingexecutor.h"
#include "faultproxy.h"
#include "hostfiles.h"

#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"
#include "core/common/credentials.h"
#include "core/config/profile.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/tasks/remotetaskrunner.h"
#include "support/hostsimprocess.h"

#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace aetherv::e2e {

// What every end-to-end test executable shares: one aetherv-hostsim with named hosts (real
// PowerShell 7, NTLM + message encryption), a private copy of the built agent bundle, the
// embedded artifact server serving it, and a fault proxy in front of that server.
class E2eFixture
{
public:
    // Starts everything; on failure returns false and error() says why.
    bool start(const QStringList &hostNames, const QByteArray &faultsJson = {});
    QString error() const { return m_error; }
    // Replaces the simulator's faults file and waits until it has loaded it.
    bool updateFaults(const QByteArray &faultsJson);

    const artifacts::BundleSnapshot &bundle() const { return *m_bundle; }
    std::shared_ptr<const artifacts::BundleSnapshot> bundlePtr() const { return m_bundle; }
    artifacts::ArtifactServer &server() { return *m_server; }
    FaultProxy &proxy() { return *m_proxy; }
    testsupport::HostSimProcess &sim() { return m_sim; }
    QString workDir() const { return m_dir.path(); }
    QString bundleDir() const;
    QString usersFile() const;

    // "127.0.0.1:PORT", the host's key in the service and in profiles.
    QString key(const QString &hostName) const;
    quint16 winrmPort(const QString &hostName) const;
    // The host's C: on disk, and a Windows path on that host ("C:\\x\\y") as a path on disk.
    QString driveRoot(const QString &hostName) const;
    QString diskPath(const QString &hostName, const QString &windowsPath) const;

    // The WinRM side of a profile (http, Negotiate, LAB\operator) and its password.
    static config::Profile winrmProfile();
    static Credentials credentials();

    // Deployment settings for some hosts of this fixture.
    deploy::DeploySettings settings(const QStringList &hostNames, const QString &installDirectory,
                                    const QUrl &downloadBaseUrl) const;

private:
    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    std::unique_ptr<artifacts::ArtifactServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    QString m_error;
};

// The real deployment stack of the console in this process: RemoteTaskRunner, the WinRM script
// executor (wrapped to count calls) and HostDeploymentService.
class ServiceRig
{
public:
    explicit ServiceRig(const std::shared_ptr<const artifacts::BundleSnapshot> &bundle,
                        int deploymentConcurrency = 5);
    ~ServiceRig();

    deploy::HostDeploymentService &service() { return *m_service; }
    CountingExecutor &executor() { return *m_executor; }
    tasks::RemoteTaskRunner &runner() { return m_runner; }

    // Runs one operation and waits for its operationFinished; nullopt on timeout.
    std::optional<deploy::RolloutSummary> deploy(const QStringList &hosts, bool force = false,
                                                 int timeoutMs = 120000);
    std::optional<deploy::RolloutSummary> check(const QStringList &hosts, int timeoutMs = 60000);

private:
    std::optional<deploy::RolloutSummary> wait(const std::function<void()> &start, int timeoutMs);

    tasks::RemoteTaskRunner m_runner;
    std::shared_ptr<CountingExecutor> m_executor;
    std::unique_ptr<deploy::HostDeploymentService> m_service;
};

} // namespace aetherv::e2e
