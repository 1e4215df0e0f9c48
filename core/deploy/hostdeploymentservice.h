#pragma once

#include "core/artifacts/agentbundle.h"
#include "core/deploy/deploysettings.h"
#include "core/deploy/hoststatus.h"
#include "core/deploy/remotescriptexecutor.h"
#include "core/deploy/rolloutsummary.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace aetherv::tasks {
class RemoteTaskRunner;
class TaskHandle;
struct TaskResult;
} // namespace aetherv::tasks

namespace aetherv::deploy {

class IngressGate;

enum class Readiness { Ready, Updating, Failed, Unknown };
QString readinessName(Readiness r);

struct InventoryReadiness
{
    Readiness readiness = Readiness::Unknown;
    QString reason;
    QDateTime nextRetry; // for Failed: when an automatic retry may happen
};

// The seed's agent deployment service: reads each host's version, decides, and lets the host
// download, verify and activate the bundle — through remote scripts run by RemoteScriptExecutor
// on RemoteTaskRunner's Deployment pool. Lives on the thread that created it (usually the GUI
// thread); all remote work happens on pool threads. Host updates are coalesced into one
// hostsChanged() batch per tick.
class HostDeploymentService : public QObject
{
    Q_OBJECT
public:
    HostDeploymentService(tasks::RemoteTaskRunner *runner,
                          std::shared_ptr<RemoteScriptExecutor> executor,
                          QObject *parent = nullptr);
    ~HostDeploymentService() override;

    void setSettings(const DeploySettings &settings);
    const DeploySettings &settings() const { return m_settings; }
    // The bundle the hosts must hold; null disables the service with `reason`.
    void setBundle(std::shared_ptr<const artifacts::BundleSnapshot> bundle,
                   const QString &reason = {});
    bool isEnabled() const;
    QString disabledReason() const;

    // Reads the version of `hosts` (all when empty). Never changes a host.
    void check(const QStringList &hosts = {});
    // Checks, gates on the artifact URL, and deploys where needed (all hosts when empty).
    void deploy(const QStringList &hosts = {}, bool force = false);
    // The startup rollout: returns at once; honours the verified cache and failure backoff.
    void startStartupDeployment();
    // One host, for readiness requests: uses the verified cache and backoff.
    void ensureHostSetup(const QString &host);
    void cancel(const QStringList &hosts = {});
    bool isRunning() const;

    HostStatus status(const QString &host) const;
    QList<HostStatus> statuses() const;
    RolloutSummary summary() const;
    InventoryReadiness inventoryReadiness(const QString &host) const;
    QJsonObject metrics() const;

    // Coalescing tick for hostsChanged (default 150 ms).
    void setUpdateInterval(int ms) { m_flush.setInterval(ms); }

Q_SIGNALS:
    void hostsChanged(const QStringList &hosts);
    void summaryChanged(const aetherv::deploy::RolloutSummary &summary);
    void hostLog(const QString &host, const QDateTime &when, const QString &level,
                 const QString &text);
    void operationFinished(const aetherv::deploy::RolloutSummary &summary);

private:
    struct Run;
    enum class Mode { Check, Deploy, Ensure };
    void startRun(Mode mode, QStringList hosts, bool force);
    void startCheck(Run *run, const QString &host);
    void onChecked(Run *run, const QString &host, const tasks::TaskResult &r);
    void maybeDeploy(Run *run, const QString &host);
    void startDeploy(Run *run, const QString &host);
    void onDeployProgress(const QString &host, const QJsonObject &event);
    void onDeployed(Run *run, const QString &host, const tasks::TaskResult &r);
    void onGate(Run *run, const Result<bool> &r);
    void hostDone(Run *run, const QString &host, bool success, bool skipped = false);
    void finishRun(Run *run);
    void applyFailure(HostStatus &s, const Error &e);
    void log(const QString &host, const QString &level, const QString &text);
    void touch(const QString &host);
    void touchSummary();
    void flush();
    void recomputeReady();
    HostStatus &mutableStatus(const QString &host);

    tasks::RemoteTaskRunner *m_runner;
    std::shared_ptr<RemoteScriptExecutor> m_executor;
    DeploySettings m_settings;
    std::shared_ptr<const artifacts::BundleSnapshot> m_bundle;
    QString m_disabledReason;
    QHash<QString, HostStatus> m_hosts;
    QStringList m_order;
    QHash<QString, QPointer<tasks::TaskHandle>> m_active; // one operation per host
    QHash<QString, QHash<QString, qint64>> m_fileBytes;   // per host: file -> bytes done
    QHash<QString, QHash<QString, qint64>> m_fileTotals;
    QList<Run *> m_runs;
    RolloutSummary m_summary;
    Run *m_summaryRun = nullptr;
    QSet<QString> m_dirty;
    bool m_summaryDirty = false;
    QTimer m_flush;
    QJsonObject m_ingress;
    QJsonObject m_startup;
};

} // namespace aetherv::deploy
