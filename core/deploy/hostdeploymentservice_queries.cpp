#include "core/deploy/hostdeploymentservice.h"

#include "core/tasks/remotetaskrunner.h"

#include <QCoreApplication>
#include <QJsonArray>

// Read-only views of the service: per-host status, readiness for inventory, metrics JSON.
namespace aetherv::deploy {

using tasks::Category;

QString readinessName(Readiness r)
{
    switch (r) {
    case Readiness::Ready:
        return QStringLiteral("ready");
    case Readiness::Updating:
        return QStringLiteral("updating");
    case Readiness::Failed:
        return QStringLiteral("failed");
    case Readiness::Unknown:
        return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

HostStatus HostDeploymentService::status(const QString &host) const
{
    return m_hosts.value(host);
}

QList<HostStatus> HostDeploymentService::statuses() const
{
    QList<HostStatus> out;
    for (const QString &h : m_order)
        out << m_hosts.value(h);
    return out;
}

RolloutSummary HostDeploymentService::summary() const
{
    return m_summary;
}

InventoryReadiness HostDeploymentService::inventoryReadiness(const QString &host) const
{
    InventoryReadiness r;
    const auto it = m_hosts.constFind(host);
    if (it == m_hosts.cend()) {
        r.reason = tr("not a host of this profile");
        return r;
    }
    const HostStatus &s = *it;
    if (m_active.contains(host) || isBusy(s.state)) {
        r.readiness = Readiness::Updating;
        r.reason = s.message;
        return r;
    }
    if (s.state == HostState::Current && m_bundle && s.hostVersion == m_bundle->version
        && s.hostDigest == m_bundle->manifest.digest()) {
        r.readiness = Readiness::Ready;
        r.reason = s.message;
        return r;
    }
    if (isFailure(s.state)) {
        r.readiness = Readiness::Failed;
        r.reason = s.message;
        r.nextRetry = s.nextRetry;
        return r;
    }
    r.reason = s.message.isEmpty() ? tr("not checked yet") : s.message;
    return r;
}

void HostDeploymentService::recomputeReady()
{
    int ready = 0;
    for (const QString &h : std::as_const(m_order)) {
        if (inventoryReadiness(h).readiness == Readiness::Ready)
            ++ready;
    }
    m_summary.readyHosts = ready;
    m_summary.profileHosts = int(m_order.size());
    m_summary.provisioningAvailable = ready > 0;
    m_summary.bundleVersion = m_bundle ? m_bundle->version : QString();
    m_summary.disabledReason = m_disabledReason;
}

QJsonObject HostDeploymentService::metrics() const
{
    QJsonArray hosts;
    int verified = 0;
    for (const HostStatus &s : statuses()) {
        if (s.verifiedAt.isValid())
            ++verified;
        QJsonObject o{
            {QStringLiteral("host"), s.host},
            {QStringLiteral("state"), hostStateName(s.state)},
            {QStringLiteral("hostVersion"), s.hostVersion},
            {QStringLiteral("bundleVersion"), s.bundleVersion},
            {QStringLiteral("digest"), QString::fromLatin1(s.hostDigest)},
            {QStringLiteral("assessment"), version::outcomeName(s.assessment)},
            {QStringLiteral("message"), s.message},
            {QStringLiteral("durationMs"), s.lastDurationMs},
            {QStringLiteral("attempts"), s.attempts},
            {QStringLiteral("consecutiveFailures"), s.consecutiveFailures},
            {QStringLiteral("readiness"), readinessName(inventoryReadiness(s.host).readiness)}};
        if (s.lastChecked.isValid())
            o.insert(QStringLiteral("lastChecked"), s.lastChecked.toString(Qt::ISODateWithMs));
        if (s.nextRetry.isValid())
            o.insert(QStringLiteral("nextRetry"), s.nextRetry.toString(Qt::ISODateWithMs));
        if (isFailure(s.state))
            o.insert(QStringLiteral("lastError"), s.message);
        hosts.append(o);
    }
    QJsonObject runner;
    for (Category c : {Category::Deployment, Category::Inventory, Category::Diagnostics}) {
        const tasks::CategoryStats st = m_runner->stats(c);
        runner.insert(tasks::categoryName(c),
                      QJsonObject{{QStringLiteral("limit"), st.limit},
                                  {QStringLiteral("queued"), st.queued},
                                  {QStringLiteral("running"), st.running},
                                  {QStringLiteral("succeeded"), qint64(st.succeeded)},
                                  {QStringLiteral("failed"), qint64(st.failed)},
                                  {QStringLiteral("timedOut"), qint64(st.timedOut)},
                                  {QStringLiteral("cancelled"), qint64(st.cancelled)},
                                  {QStringLiteral("totalRunMs"), st.totalRunMs},
                                  {QStringLiteral("maxRunMs"), st.maxRunMs},
                                  {QStringLiteral("maxQueuedMs"), st.maxQueuedMs}});
    }
    QJsonObject o{{QStringLiteral("enabled"), isEnabled()},
                  {QStringLiteral("ingress"), m_ingress},
                  {QStringLiteral("startup"), m_startup},
                  {QStringLiteral("summary"), m_summary.toJson()},
                  {QStringLiteral("hosts"), hosts},
                  {QStringLiteral("cache"),
                   QJsonObject{{QStringLiteral("verifiedHosts"), verified},
                               {QStringLiteral("ttlSeconds"), m_settings.verifiedCacheTtlSeconds}}},
                  {QStringLiteral("taskRunner"), runner}};
    if (!isEnabled())
        o.insert(QStringLiteral("disabledReason"), m_disabledReason);
    if (m_bundle) {
        o.insert(QStringLiteral("bundle"),
                 QJsonObject{
                     {QStringLiteral("version"), m_bundle->version},
                     {QStringLiteral("digest"), QString::fromLatin1(m_bundle->manifest.digest())},
                     {QStringLiteral("directory"), m_bundle->directory}});
    }
    return o;
}

} // namespace aetherv::deploy
