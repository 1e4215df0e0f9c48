#include "core/provision/provisioningservice.h"

#include "core/deploy/hostdeploymentservice.h"
#include "core/provision/provisioninggate.h"
#include "core/tasks/remotetaskrunner.h"

#include <QJsonDocument>

namespace aetherv::provision {

using tasks::Category;
using tasks::TaskContext;
using tasks::TaskHandle;
using tasks::TaskOutcome;
using tasks::TaskResult;

namespace {

// Copying the golden image and booting come on top of the job's own wait for the guest.
constexpr qint64 kRunAllowanceSeconds = 3600;
constexpr qint64 kDefaultWaitSeconds = 1800;

} // namespace

ProvisioningService::ProvisioningService(tasks::RemoteTaskRunner *runner,
                                         std::shared_ptr<deploy::RemoteScriptExecutor> executor,
                                         deploy::HostDeploymentService *deployment, QObject *parent)
    : QObject(parent)
    , m_runner(runner)
    , m_executor(std::move(executor))
    , m_deployment(deployment)
{
    qRegisterMetaType<aetherv::provision::ProvisioningJob>();
    if (m_deployment) {
        connect(m_deployment, &deploy::HostDeploymentService::hostsChanged, this,
                &ProvisioningService::onHostsChanged);
        connect(m_deployment, &deploy::HostDeploymentService::operationFinished, this,
                [this] { onHostsChanged(m_queues.keys()); });
    }
}

ProvisioningService::~ProvisioningService()
{
    for (Entry &e : m_jobs) {
        if (e.task)
            e.task->cancel();
    }
}

void ProvisioningService::setBundle(std::shared_ptr<const artifacts::BundleSnapshot> bundle)
{
    m_bundle = std::move(bundle);
    onHostsChanged(m_queues.keys());
}

Result<QString> ProvisioningService::submit(const QString &host, const QJsonObject &job,
                                            QList<JobIssue> *issues)
{
    const QJsonObject complete = withJobId(job);
    const QList<JobIssue> problems = validateJob(complete);
    if (issues)
        *issues = problems;
    if (!problems.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
                    tr("the job is invalid (%n problem(s)); nothing was sent to %1", nullptr,
                       int(problems.size()))
                        .arg(host),
                    describeIssues(problems));
    }
    Entry e;
    e.info.id = u'P' + QString::number(m_next++);
    e.info.host = host;
    e.info.jobId = complete.value(u"jobId").toString();
    e.info.vmName = complete.value(u"vm").toObject().value(u"name").toString();
    e.info.submitted = QDateTime::currentDateTimeUtc();
    e.info.state = JobState::Queued;
    e.info.reason = tr("queued");
    for (const QString &name : provisioningStepNames())
        e.info.steps.append(JobStep{name, QStringLiteral("pending"), QString()});
    e.jobText = QJsonDocument(complete).toJson(QJsonDocument::Compact);
    const qint64 wait = complete.value(u"wait")
                            .toObject()
                            .value(u"timeoutSeconds")
                            .toInteger(kDefaultWaitSeconds);
    e.deadlineMs = (wait + kRunAllowanceSeconds) * 1000;
    const QString id = e.info.id;
    m_jobs.insert(id, e);
    m_order.append(id);
    m_queues[host].append(id);
    Q_EMIT jobAdded(id);
    pump(host);
    return id;
}

void ProvisioningService::cancel(const QString &id)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end() || isFinal(it->info.state))
        return;
    if (it->task) {
        it->task->cancel(); // finishes through onJobDone once the host command is stopped
        return;
    }
    finish(id, JobState::Cancelled, tr("cancelled before it started; nothing changed on the host"));
}

void ProvisioningService::cancelAll()
{
    const QStringList ids = m_order;
    for (const QString &id : ids)
        cancel(id);
}

ProvisioningJob ProvisioningService::job(const QString &id) const
{
    return m_jobs.value(id).info;
}

QList<ProvisioningJob> ProvisioningService::jobs() const
{
    QList<ProvisioningJob> out;
    for (const QString &id : m_order)
        out.append(m_jobs.value(id).info);
    return out;
}

bool ProvisioningService::hasActiveJobs() const
{
    for (const Entry &e : m_jobs) {
        if (!isFinal(e.info.state))
            return true;
    }
    return false;
}

void ProvisioningService::onHostsChanged(const QStringList &hosts)
{
    for (const QString &host : hosts) {
        if (!m_queues.value(host).isEmpty())
            pump(host);
    }
}

void ProvisioningService::pump(const QString &host)
{
    // The gate may call into the deployment service, which may answer synchronously.
    if (m_pumping.contains(host)) {
        m_repump.insert(host);
        return;
    }
    m_pumping.insert(host);
    do {
        m_repump.remove(host);
        pumpOnce(host);
    } while (m_repump.contains(host));
    m_pumping.remove(host);
}

void ProvisioningService::pumpOnce(const QString &host)
{
    const QStringList queue = m_queues.value(host);
    if (queue.isEmpty())
        return;
    const QString head = queue.first();
    const QString behind
        = tr("queued behind job %1 on this host (one job per host at a time)").arg(head);
    for (const QString &id : queue.mid(1)) {
        if (m_jobs[id].info.state != JobState::Queued || m_jobs[id].info.reason != behind)
            setState(id, JobState::Queued, behind);
    }
    Entry &e = m_jobs[head];
    if (e.info.state == JobState::Running)
        return;
    if (!m_deployment) {
        finish(head, JobState::Refused, tr("the console has no deployment service"));
        return;
    }
    GateInput in = gateInputFor(*m_deployment, host, m_bundle ? m_bundle->version : QString(),
                                m_bundle ? m_bundle->manifest.digest() : QByteArray());
    if (!m_bundle) {
        in.serviceEnabled = false;
        if (in.disabledReason.isEmpty())
            in.disabledReason = tr("no agent bundle loaded");
    }
    in.setupRequested = e.setupRequested;
    const GateDecision d = decideGate(in);
    switch (d.action) {
    case GateAction::Start:
        startJob(head);
        return;
    case GateAction::RequestSetup:
        e.setupRequested = true;
        setState(head, JobState::Waiting, d.reason);
        m_deployment->ensureHostSetup(host);
        m_repump.insert(host); // look again: the service may have answered already
        return;
    case GateAction::Wait:
        if (e.info.state != JobState::Waiting || e.info.reason != d.reason)
            setState(head, JobState::Waiting, d.reason);
        return;
    case GateAction::Refuse:
        finish(head, JobState::Refused, d.reason, QStringLiteral("refused"));
        return;
    }
}

void ProvisioningService::setState(const QString &id, JobState state, const QString &reason)
{
    Entry &e = m_jobs[id];
    e.info.state = state;
    e.info.reason = reason;
    Q_EMIT jobChanged(id);
}

void ProvisioningService::startJob(const QString &id)
{
    Entry &e = m_jobs[id];
    const QString host = e.info.host;
    const QString installDirectory = m_deployment->settings().installDirectory;
    e.info.started = QDateTime::currentDateTimeUtc();
    setState(id, JobState::Running,
             tr("running Invoke-ProvisioningJob.ps1 from %1").arg(installDirectory));
    const QJsonObject params{{QStringLiteral("installDirectory"), installDirectory},
                             {QStringLiteral("expectedVersion"), m_bundle->version},
                             {QStringLiteral("jobJson"), QString::fromUtf8(e.jobText)}};
    auto executor = m_executor;
    TaskHandle *h = m_runner->submit(
        Category::Diagnostics, tr("provisioning %1 on %2").arg(e.info.vmName, host), e.deadlineMs,
        [executor, host, params](TaskContext &ctx) -> Result<QVariant> {
            auto progress = [&ctx](const QJsonObject &event) {
                ctx.reportProgress(QVariant(event));
            };
            auto r = executor->run(host, remoteScriptName(), params, progress, ctx);
            if (!r)
                return std::unexpected(r.error());
            return QVariant(*r);
        },
        this);
    e.task = h;
    connect(h, &TaskHandle::progress, this,
            [this, id](const QVariant &v) { onJobProgress(id, v.toJsonObject()); });
    connect(h, &TaskHandle::finished, this, [this, id, h](const TaskResult &r) {
        h->deleteLater();
        onJobDone(id, r);
    });
}

void ProvisioningService::onJobProgress(const QString &id, const QJsonObject &event)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end() || event.value(u"stage").toString() != u"job")
        return;
    const QJsonDocument doc = QJsonDocument::fromJson(event.value(u"line").toString().toUtf8());
    if (!doc.isObject())
        return;
    const QJsonObject line = doc.object();
    const QString text = applyJobLine(it->info, line);
    Q_EMIT jobLine(id, line, text);
    Q_EMIT jobChanged(id);
}

void ProvisioningService::onJobDone(const QString &id, const TaskResult &r)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    it->task = nullptr;
    if (r.outcome == TaskOutcome::Cancelled) {
        finish(id, JobState::Cancelled,
               tr("cancelled while running; the steps show what exists on the host"),
               QStringLiteral("cancelled"));
        return;
    }
    if (r.outcome != TaskOutcome::Succeeded) {
        const bool unreachable = r.error.code == ErrorCode::Network
                                 || r.error.code == ErrorCode::Tls
                                 || r.error.code == ErrorCode::CredentialsRejected;
        finish(id, JobState::Failed, r.error.toString(),
               unreachable ? QStringLiteral("unreachable") : errorCodeName(r.error.code));
        return;
    }
    const QJsonObject out = r.value.toJsonObject();
    if (out.value(u"outcome").toString() != u"ok") {
        finish(id, JobState::Failed,
               out.value(u"error").toString(tr("the job could not be run on the host")),
               out.value(u"code").toString(QStringLiteral("run-failed")));
        return;
    }
    const QJsonDocument result
        = QJsonDocument::fromJson(out.value(u"jobResult").toString().toUtf8());
    applyJobResult(it->info, result.object());
    finish(id, it->info.state, it->info.reason, it->info.errorCode);
}

void ProvisioningService::finish(const QString &id, JobState state, const QString &reason,
                                 const QString &code)
{
    Entry &e = m_jobs[id];
    e.info.state = state;
    e.info.reason = reason;
    e.info.errorCode = state == JobState::Succeeded ? QString() : code;
    e.info.finished = QDateTime::currentDateTimeUtc();
    const QString host = e.info.host;
    m_queues[host].removeAll(id);
    if (m_queues[host].isEmpty())
        m_queues.remove(host);
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id);
    if (m_queues.contains(host))
        pump(host);
}

} // namespace aetherv::provision
