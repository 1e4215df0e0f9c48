#pragma once

#include "core/artifacts/agentbundle.h"
#include "core/common/result.h"
#include "core/deploy/remotescriptexecutor.h"
#include "core/provision/provisioningjob.h"
#include "core/provision/provisioningjobstatus.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <memory>

namespace aetherv::deploy {
class HostDeploymentService;
}
namespace aetherv::tasks {
class RemoteTaskRunner;
class TaskHandle;
struct TaskResult;
} // namespace aetherv::tasks

namespace aetherv::provision {

// Runs provisioning jobs on hosts: validates each job before anything happens, queues jobs per
// host (one at a time per host), holds each at the gate until the host's agent runs the
// console's bundle (asking HostDeploymentService to check/deploy it, and listening to its
// hostsChanged), then runs the deployed Invoke-ProvisioningJob.ps1 from the host's install
// directory through the task runner's Diagnostics pool. The agent's step and progress lines
// arrive live as jobLine(). Lives on the thread that created it (the GUI thread in the console).
class ProvisioningService : public QObject
{
    Q_OBJECT
public:
    ProvisioningService(tasks::RemoteTaskRunner *runner,
                        std::shared_ptr<deploy::RemoteScriptExecutor> executor,
                        deploy::HostDeploymentService *deployment, QObject *parent = nullptr);
    ~ProvisioningService() override;

    // The bundle the gate compares hosts with (version and manifest digest).
    void setBundle(std::shared_ptr<const artifacts::BundleSnapshot> bundle);

    // Validates `job` (a jobId is added when absent) and queues it for `host`. An invalid job
    // is rejected here (InvalidInput, the issues in the detail, one per line) and never queued;
    // `issues` receives them when given. Returns the console's id of the job.
    Result<QString> submit(const QString &host, const QJsonObject &job,
                           QList<JobIssue> *issues = nullptr);
    // Cancels a queued, waiting or running job (a running one is stopped on the host).
    void cancel(const QString &id);
    void cancelAll();

    ProvisioningJob job(const QString &id) const;
    QList<ProvisioningJob> jobs() const; // in submission order
    bool hasActiveJobs() const;

    static QString remoteScriptName()
    {
        return QStringLiteral("Invoke-DeployedProvisioningJob.ps1");
    }

Q_SIGNALS:
    void jobAdded(const QString &id);
    void jobChanged(const QString &id);
    // One output line of the agent script as it arrives ({"event":"step"|"progress",...}),
    // with a one-line text for logs ("" when the line carries nothing to show).
    void jobLine(const QString &id, const QJsonObject &line, const QString &text);
    void jobFinished(const QString &id);

private:
    void pump(const QString &host);
    void pumpOnce(const QString &host);
    void onHostsChanged(const QStringList &hosts);
    void startJob(const QString &id);
    void onJobProgress(const QString &id, const QJsonObject &event);
    void onJobDone(const QString &id, const tasks::TaskResult &result);
    void finish(const QString &id, JobState state, const QString &reason, const QString &code = {});
    void setState(const QString &id, JobState state, const QString &reason);

    struct Entry
    {
        ProvisioningJob info;
        QByteArray jobText;
        qint64 deadlineMs = 0;
        bool setupRequested = false;
        QPointer<tasks::TaskHandle> task;
    };

    tasks::RemoteTaskRunner *m_runner;
    std::shared_ptr<deploy::RemoteScriptExecutor> m_executor;
    QPointer<deploy::HostDeploymentService> m_deployment;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    QHash<QString, Entry> m_jobs;
    QStringList m_order;
    QHash<QString, QStringList> m_queues; // host -> ids not yet final, in order
    QSet<QString> m_pumping;
    QSet<QString> m_repump;
    int m_next = 1;
};

} // namespace aetherv::provision
