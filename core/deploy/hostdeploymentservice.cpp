#include "core/deploy/hostdeploymentservice.h"

#include "core/deploy/agentstate.h"
#include "core/deploy/ingressgate.h"
#include "core/tasks/remotetaskrunner.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace aetherv::deploy {

using tasks::Category;
using tasks::TaskContext;
using tasks::TaskHandle;
using tasks::TaskOutcome;
using tasks::TaskResult;

namespace {

const QString kReadScript = QStringLiteral("Read-AgentState.ps1");
const QString kDeployScript = QStringLiteral("Deploy-AgentBundle.ps1");

HostState stateFor(version::Outcome o, HostState previous)
{
    using version::Outcome;
    switch (o) {
    case Outcome::Current:
        return HostState::Current;
    case Outcome::Ahead:
        return HostState::Ahead;
    case Outcome::Legacy:
        return HostState::Legacy;
    case Outcome::Drifted:
    case Outcome::Unverified:
        return HostState::Drifted;
    case Outcome::Forced:
        return previous == HostState::Ahead ? HostState::Ahead : HostState::Current;
    case Outcome::BundleInvalid:
        return HostState::Unknown;
    case Outcome::Missing:
    case Outcome::Blank:
    case Outcome::Default:
    case Outcome::Unparsable:
    case Outcome::Outdated:
        return HostState::Outdated;
    }
    return HostState::Unknown;
}

} // namespace

struct HostDeploymentService::Run
{
    Mode mode = Mode::Check;
    bool force = false;
    bool cancelled = false;
    QStringList hosts;
    QSet<QString> pending;
    QSet<QString> waitingForGate;
    IngressGate *gate = nullptr;
    enum class Gate { NotNeeded, Pending, Open, Closed } gateState = Gate::NotNeeded;
    QString gateError;
    ErrorCode gateErrorCode = ErrorCode::Network;
    RolloutSummary summary;
};

HostDeploymentService::HostDeploymentService(tasks::RemoteTaskRunner *runner,
                                             std::shared_ptr<RemoteScriptExecutor> executor,
                                             QObject *parent)
    : QObject(parent)
    , m_runner(runner)
    , m_executor(std::move(executor))
{
    qRegisterMetaType<aetherv::deploy::RolloutSummary>();
    m_flush.setSingleShot(true);
    m_flush.setInterval(150);
    connect(&m_flush, &QTimer::timeout, this, &HostDeploymentService::flush);
    m_disabledReason = tr("no agent bundle loaded yet");
    m_summary.state = RolloutState::Disabled;
    m_summary.disabledReason = m_disabledReason;
}

HostDeploymentService::~HostDeploymentService()
{
    for (const auto &h : std::as_const(m_active)) {
        if (h)
            h->cancel();
    }
    qDeleteAll(m_runs);
}

void HostDeploymentService::setSettings(const DeploySettings &settings)
{
    m_settings = settings;
    QStringList order;
    for (const QString &h : settings.hosts) {
        const QString host = h.trimmed();
        if (host.isEmpty() || order.contains(host, Qt::CaseInsensitive))
            continue;
        order << host;
        if (!m_hosts.contains(host)) {
            HostStatus s;
            s.host = host;
            s.bundleVersion = m_bundle ? m_bundle->version : QString();
            m_hosts.insert(host, s);
        }
        touch(host);
    }
    for (auto it = m_hosts.begin(); it != m_hosts.end();) {
        if (!order.contains(it.key()) && !m_active.contains(it.key()))
            it = m_hosts.erase(it);
        else
            ++it;
    }
    m_order = order;
    if (m_summary.state == RolloutState::NoHosts || m_summary.state == RolloutState::Idle
        || m_summary.state == RolloutState::Disabled) {
        m_summary.state = !isEnabled()        ? RolloutState::Disabled
                          : m_order.isEmpty() ? RolloutState::NoHosts
                                              : RolloutState::Idle;
    }
    recomputeReady();
    touchSummary();
}

void HostDeploymentService::setBundle(std::shared_ptr<const artifacts::BundleSnapshot> bundle,
                                      const QString &reason)
{
    m_bundle = std::move(bundle);
    m_disabledReason
        = m_bundle ? QString() : (reason.isEmpty() ? tr("no usable agent bundle") : reason);
    for (HostStatus &s : m_hosts) {
        s.bundleVersion = m_bundle ? m_bundle->version : QString();
        touch(s.host);
    }
    m_summary.bundleVersion = m_bundle ? m_bundle->version : QString();
    m_summary.disabledReason = m_disabledReason;
    if (!m_bundle)
        m_summary.state = RolloutState::Disabled;
    else if (m_summary.state == RolloutState::Disabled)
        m_summary.state = m_order.isEmpty() ? RolloutState::NoHosts : RolloutState::Idle;
    recomputeReady();
    touchSummary();
}

bool HostDeploymentService::isEnabled() const
{
    return bool(m_bundle);
}

QString HostDeploymentService::disabledReason() const
{
    return m_disabledReason;
}

void HostDeploymentService::check(const QStringList &hosts)
{
    startRun(Mode::Check, hosts, false);
}

void HostDeploymentService::deploy(const QStringList &hosts, bool force)
{
    startRun(Mode::Deploy, hosts, force);
}

void HostDeploymentService::startStartupDeployment()
{
    m_startup = QJsonObject{
        {QStringLiteral("state"), QStringLiteral("running")},
        {QStringLiteral("startedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    // Queued: the caller (window, CLI) is fully up before the first host is contacted.
    QMetaObject::invokeMethod(
        this, [this] { startRun(Mode::Ensure, {}, false); }, Qt::QueuedConnection);
}

void HostDeploymentService::ensureHostSetup(const QString &host)
{
    startRun(Mode::Ensure, {host}, false);
}

bool HostDeploymentService::isRunning() const
{
    return !m_runs.isEmpty();
}

HostStatus &HostDeploymentService::mutableStatus(const QString &host)
{
    auto it = m_hosts.find(host);
    if (it == m_hosts.end()) {
        HostStatus s;
        s.host = host;
        s.bundleVersion = m_bundle ? m_bundle->version : QString();
        it = m_hosts.insert(host, s);
    }
    return *it;
}

void HostDeploymentService::startRun(Mode mode, QStringList hosts, bool force)
{
    if (hosts.isEmpty())
        hosts = m_order;
    const bool deploying = mode != Mode::Check;
    if (deploying && !isEnabled()) {
        m_summary.state = RolloutState::Disabled;
        m_summary.disabledReason = m_disabledReason;
        log(QString(), QStringLiteral("error"),
            tr("Agent deployment disabled: %1").arg(m_disabledReason));
        touchSummary();
        if (mode == Mode::Ensure)
            m_startup.insert(QStringLiteral("state"), QStringLiteral("disabled"));
        Q_EMIT operationFinished(m_summary);
        return;
    }
    if (hosts.isEmpty()) {
        if (deploying) {
            m_summary.state = RolloutState::NoHosts;
            touchSummary();
            if (mode == Mode::Ensure)
                m_startup.insert(QStringLiteral("state"), QStringLiteral("no-hosts"));
        }
        Q_EMIT operationFinished(m_summary);
        return;
    }

    auto *run = new Run;
    run->mode = mode;
    run->force = force;
    run->summary.state = RolloutState::Running;
    run->summary.bundleVersion = m_bundle ? m_bundle->version : QString();
    run->summary.startedAt = QDateTime::currentDateTimeUtc();
    m_runs.append(run);
    if (deploying) {
        m_summaryRun = run;
        if (mode == Mode::Deploy || mode == Mode::Ensure) {
            run->gate = new IngressGate(this);
            run->gateState = Run::Gate::Pending;
            connect(run->gate, &IngressGate::finished, this,
                    [this, run](const Result<bool> &r) { onGate(run, r); });
        }
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList toCheck;
    for (const QString &host : std::as_const(hosts)) {
        HostStatus &s = mutableStatus(host);
        if (m_active.contains(host)) {
            log(host, QStringLiteral("warning"),
                tr("skipped: another operation is running on this host"));
            continue;
        }
        run->hosts << host;
        run->pending.insert(host);
        ++run->summary.total;
        if (mode == Mode::Ensure) {
            const bool fresh = s.state == HostState::Current && s.verifiedAt.isValid()
                               && s.verifiedAt.secsTo(now) < m_settings.verifiedCacheTtlSeconds
                               && s.bundleVersion == run->summary.bundleVersion;
            if (fresh) {
                run->pending.remove(host);
                ++run->summary.completed;
                ++run->summary.succeeded;
                continue;
            }
            if (isFailure(s.state) && s.nextRetry.isValid() && s.nextRetry > now) {
                run->pending.remove(host);
                ++run->summary.completed;
                ++run->summary.failed;
                run->summary.lastError = s.message;
                run->summary.lastErrorHost = host;
                continue;
            }
        }
        toCheck << host;
    }
    if (run->gate && !toCheck.isEmpty()) {
        m_ingress = QJsonObject{{QStringLiteral("state"), QStringLiteral("checking")},
                                {QStringLiteral("url"), m_settings.downloadBaseUrl.toString()}};
        run->gate->start(m_settings.downloadBaseUrl, m_bundle->manifest.digest(),
                         m_settings.ingressTimeoutSeconds, m_settings.ingressIntervalSeconds);
    }
    if (deploying) {
        m_summary = run->summary;
        recomputeReady();
        touchSummary();
    }
    for (const QString &host : std::as_const(toCheck))
        startCheck(run, host);
    if (run->pending.isEmpty())
        finishRun(run);
}

void HostDeploymentService::startCheck(Run *run, const QString &host)
{
    HostStatus &s = mutableStatus(host);
    s.state = HostState::Checking;
    s.message = tr("reading the installed version");
    touch(host);
    const QJsonObject params{{QStringLiteral("installDirectory"), m_settings.installDirectory}};
    auto executor = m_executor;
    TaskHandle *h = m_runner->submit(
        Category::Deployment, tr("version check of %1").arg(host), m_settings.checkDeadlineMs,
        [executor, host, params](TaskContext &ctx) -> Result<QVariant> {
            auto r = executor->run(host, kReadScript, params, {}, ctx);
            if (!r)
                return std::unexpected(r.error());
            return QVariant(*r);
        },
        this);
    m_active.insert(host, h);
    connect(h, &TaskHandle::finished, this, [this, run, host, h](const TaskResult &r) {
        h->deleteLater();
        m_active.remove(host);
        onChecked(run, host, r);
    });
}

void HostDeploymentService::onChecked(Run *run, const QString &host, const TaskResult &r)
{
    HostStatus &s = mutableStatus(host);
    s.lastDurationMs = r.runMs;
    if (r.outcome == TaskOutcome::Cancelled || run->cancelled) {
        s.state = HostState::Cancelled;
        s.message = tr("cancelled before anything was changed on the host");
        log(host, QStringLiteral("warning"), s.message);
        hostDone(run, host, false, true);
        return;
    }
    if (r.outcome != TaskOutcome::Succeeded) {
        applyFailure(s, r.error);
        log(host, QStringLiteral("error"), s.message);
        hostDone(run, host, false);
        return;
    }
    const auto parsed = parseAgentState(r.value.toJsonObject());
    if (!parsed) {
        applyFailure(s, parsed.error());
        log(host, QStringLiteral("error"), s.message);
        hostDone(run, host, false);
        return;
    }
    s.lastChecked = QDateTime::currentDateTimeUtc();
    s.hostVersion = parsed->version.versionText;
    s.hostDigest = parsed->version.manifestDigest;
    s.versionFileExists = parsed->version.versionFileExists;
    s.lockOwner = parsed->lockExpired ? QString() : parsed->lockOwner;
    if (!m_bundle) {
        s.state = HostState::Unknown;
        s.message = tr("host runs %1; cannot compare: %2")
                        .arg(s.hostVersion.isEmpty() ? tr("no version") : s.hostVersion,
                             m_disabledReason);
        hostDone(run, host, true);
        return;
    }
    const version::Assessment a = version::assess(
        parsed->version, {m_bundle->version, m_bundle->manifest.digest()}, run->force);
    s.assessment = a.outcome;
    s.state = stateFor(a.outcome, s.state);
    s.message = a.reason;
    if (parsed->version.legacyInstall) {
        s.message
            = tr("legacy install (scripts %1, ISOs %2): %3")
                  .arg(parsed->legacyScriptsVersion.isEmpty() ? tr("none")
                                                              : parsed->legacyScriptsVersion,
                       parsed->legacyIsosVersion.isEmpty() ? tr("none") : parsed->legacyIsosVersion,
                       a.reason);
    }
    if (s.state == HostState::Current) {
        s.verifiedAt = s.lastChecked;
        s.consecutiveFailures = 0;
        s.nextRetry = QDateTime();
    }
    log(host, QStringLiteral("info"), s.message);
    touch(host);
    if (run->mode == Mode::Check || !a.deploy) {
        const bool skipped = s.state == HostState::Ahead;
        hostDone(run, host, run->mode == Mode::Check || s.state == HostState::Current, skipped);
        return;
    }
    run->waitingForGate.insert(host);
    maybeDeploy(run, host);
}

void HostDeploymentService::maybeDeploy(Run *run, const QString &host)
{
    switch (run->gateState) {
    case Run::Gate::Open:
    case Run::Gate::NotNeeded:
        run->waitingForGate.remove(host);
        startDeploy(run, host);
        return;
    case Run::Gate::Closed: {
        run->waitingForGate.remove(host);
        HostStatus &s = mutableStatus(host);
        // The host itself answered; the bundle could not be offered to it. No answer from the
        // artifact URL means the hosts cannot reach their download; a wrong bundle there is a
        // failed deployment, not an unreachable host.
        s.state
            = run->gateErrorCode == ErrorCode::Network ? HostState::Unreachable : HostState::Failed;
        s.message = tr("not deployed: %1").arg(run->gateError);
        log(host, QStringLiteral("error"), s.message);
        hostDone(run, host, false);
        return;
    }
    case Run::Gate::Pending: {
        HostStatus &s = mutableStatus(host);
        s.message += u" — " + tr("waiting for the artifact URL to serve the bundle");
        touch(host);
        return;
    }
    }
}

void HostDeploymentService::onGate(Run *run, const Result<bool> &r)
{
    const QString url = run->gate ? run->gate->manifestUrl().toString() : QString();
    if (r) {
        run->gateState = Run::Gate::Open;
        m_ingress = QJsonObject{{QStringLiteral("state"), QStringLiteral("ready")},
                                {QStringLiteral("url"), url},
                                {QStringLiteral("attempts"), run->gate->attempts()}};
        log(QString(), QStringLiteral("info"), tr("artifact URL %1 serves the bundle").arg(url));
    } else {
        run->gateState = Run::Gate::Closed;
        run->gateError = r.error().message;
        run->gateErrorCode = r.error().code;
        m_ingress = QJsonObject{{QStringLiteral("state"), r.error().code == ErrorCode::Network
                                                              ? QStringLiteral("unreachable")
                                                              : QStringLiteral("wrong-bundle")},
                                {QStringLiteral("url"), url},
                                {QStringLiteral("error"), run->gateError}};
        log(QString(), QStringLiteral("error"), run->gateError);
    }
    const QStringList waiting(run->waitingForGate.cbegin(), run->waitingForGate.cend());
    for (const QString &host : waiting)
        maybeDeploy(run, host);
}

void HostDeploymentService::startDeploy(Run *run, const QString &host)
{
    HostStatus &s = mutableStatus(host);
    s.state = HostState::Deploying;
    s.message = tr("deploying bundle %1").arg(m_bundle->version);
    s.bytesDone = 0;
    s.bytesTotal = 0;
    s.currentFile.clear();
    ++s.attempts;
    m_fileBytes.remove(host);
    m_fileTotals.remove(host);
    touch(host);
    log(host, QStringLiteral("info"), s.message);

    const QJsonObject params{
        {QStringLiteral("installDirectory"), m_settings.installDirectory},
        {QStringLiteral("baseUrl"), m_settings.downloadBaseUrl.toString()},
        {QStringLiteral("expectedVersion"), m_bundle->version},
        {QStringLiteral("expectedDigest"), QString::fromLatin1(m_bundle->manifest.digest())},
        {QStringLiteral("maxAttempts"), m_settings.downloadMaxAttempts},
        {QStringLiteral("retryIntervalSeconds"), m_settings.downloadRetryIntervalSeconds},
        {QStringLiteral("parallelism"), m_settings.downloadParallelism},
        {QStringLiteral("force"), run->force},
        {QStringLiteral("timeoutSeconds"),
         qint64(std::max<qint64>(60, m_settings.deployDeadlineMs / 1000 - 30))},
        {QStringLiteral("lock"),
         QJsonObject{{QStringLiteral("owner"), m_settings.lockOwner},
                     {QStringLiteral("expirySeconds"), m_settings.lockExpirySeconds}}}};
    const QJsonObject readParams{{QStringLiteral("installDirectory"), m_settings.installDirectory}};
    auto executor = m_executor;
    TaskHandle *h = m_runner->submit(
        Category::Deployment, tr("deployment to %1").arg(host), m_settings.deployDeadlineMs,
        [executor, host, params, readParams](TaskContext &ctx) -> Result<QVariant> {
            auto progress = [&ctx](const QJsonObject &e) {
                ctx.reportProgress(QVariant(e));
            };
            auto deployed = executor->run(host, kDeployScript, params, progress, ctx);
            if (!deployed)
                return std::unexpected(deployed.error());
            QJsonObject out{{QStringLiteral("deploy"), *deployed}};
            // Whatever the script said, the state shown is the one read back from the host.
            progress(QJsonObject{{QStringLiteral("event"), QStringLiteral("progress")},
                                 {QStringLiteral("stage"), QStringLiteral("verify")}});
            auto verify = executor->run(host, kReadScript, readParams, {}, ctx);
            if (verify)
                out.insert(QStringLiteral("verify"), *verify);
            else
                out.insert(QStringLiteral("verifyError"), verify.error().toString());
            return QVariant(out);
        },
        this);
    m_active.insert(host, h);
    connect(h, &TaskHandle::progress, this,
            [this, host](const QVariant &v) { onDeployProgress(host, v.toJsonObject()); });
    connect(h, &TaskHandle::finished, this, [this, run, host, h](const TaskResult &r) {
        h->deleteLater();
        m_active.remove(host);
        onDeployed(run, host, r);
    });
}

void HostDeploymentService::onDeployProgress(const QString &host, const QJsonObject &e)
{
    HostStatus &s = mutableStatus(host);
    const QString stage = e.value(QStringLiteral("stage")).toString();
    if (stage == u"download") {
        const QString file = e.value(QStringLiteral("file")).toString();
        m_fileBytes[host][file] = e.value(QStringLiteral("bytes")).toInteger();
        m_fileTotals[host][file] = e.value(QStringLiteral("total")).toInteger();
        qint64 done = 0, total = 0;
        for (qint64 b : std::as_const(m_fileBytes[host]))
            done += b;
        for (qint64 t : std::as_const(m_fileTotals[host]))
            total += t;
        s.bytesDone = done;
        s.bytesTotal = std::max(total, s.bytesTotal);
        s.currentFile = file;
    } else if (stage == u"plan") {
        // The script's plan names the bytes it is about to download (files already in place
        // are reused and not counted).
        s.bytesTotal = e.value(QStringLiteral("bytes")).toInteger(s.bytesTotal);
        s.bytesDone = 0;
    } else if (stage == u"verify") {
        s.state = HostState::Verifying;
        s.message = tr("verifying the host's files and version");
    }
    const QString message = e.value(QStringLiteral("message")).toString();
    if (!message.isEmpty())
        log(host, QStringLiteral("info"), message);
    touch(host);
}

void HostDeploymentService::onDeployed(Run *run, const QString &host, const TaskResult &r)
{
    HostStatus &s = mutableStatus(host);
    s.lastDurationMs = r.runMs;
    s.currentFile.clear();
    if (r.outcome != TaskOutcome::Succeeded) {
        if (r.outcome == TaskOutcome::Cancelled) {
            s.state = HostState::Cancelled;
            s.message = tr("deployment cancelled; the host keeps its previous complete set "
                           "unless activation had finished (check it to see)");
        } else {
            applyFailure(s, r.error);
        }
        log(host, QStringLiteral("error"), s.message);
        // The task's deadline stops the remote script mid-way: learn the host's real state.
        s.verifiedAt = QDateTime();
        hostDone(run, host, false, r.outcome == TaskOutcome::Cancelled);
        return;
    }
    const QJsonObject out = r.value.toJsonObject();
    const QJsonObject result = out.value(QStringLiteral("deploy")).toObject();
    const QString outcome = result.value(QStringLiteral("outcome")).toString();
    if (out.contains(QStringLiteral("verify"))) {
        if (const auto state = parseAgentState(out.value(QStringLiteral("verify")).toObject())) {
            s.hostVersion = state->version.versionText;
            s.hostDigest = state->version.manifestDigest;
            s.versionFileExists = state->version.versionFileExists;
            s.lastChecked = QDateTime::currentDateTimeUtc();
        }
    }
    if (outcome == u"locked") {
        s.state = HostState::Locked;
        s.lockOwner = result.value(QStringLiteral("lockOwner")).toString();
        s.message
            = tr("locked by %1 until %2: another console is deploying; retry later")
                  .arg(s.lockOwner, result.value(QStringLiteral("lockExpiresUtc")).toString());
        log(host, QStringLiteral("warning"), s.message);
        hostDone(run, host, false);
        return;
    }
    if (outcome != u"deployed" && outcome != u"current") {
        s.state = HostState::Failed;
        const QString code = result.value(QStringLiteral("code")).toString();
        s.message = result.value(QStringLiteral("error")).toString(tr("the deployment failed"));
        if (!code.isEmpty())
            s.message += QStringLiteral(" [%1]").arg(code);
        log(host, QStringLiteral("error"), s.message);
        hostDone(run, host, false);
        return;
    }
    const bool verified = s.versionFileExists && s.hostVersion == m_bundle->version
                          && s.hostDigest == m_bundle->manifest.digest();
    if (!verified) {
        s.state = HostState::Failed;
        s.message = out.contains(QStringLiteral("verifyError"))
                        ? tr("deployment reported %1 but the host could not be re-read: %2")
                              .arg(outcome, out.value(QStringLiteral("verifyError")).toString())
                        : tr("deployment reported %1 but the host now reports version %2 with "
                             "manifest digest %3, not %4/%5")
                              .arg(outcome, s.hostVersion.isEmpty() ? tr("none") : s.hostVersion,
                                   QString::fromLatin1(s.hostDigest.left(12)), m_bundle->version,
                                   QString::fromLatin1(m_bundle->manifest.digest().left(12)));
        log(host, QStringLiteral("error"), s.message);
        hostDone(run, host, false);
        return;
    }
    s.state = HostState::Current;
    s.assessment = version::Outcome::Current;
    s.verifiedAt = QDateTime::currentDateTimeUtc();
    s.bytesDone = std::max(s.bytesDone, s.bytesTotal);
    const int downloaded = result.value(QStringLiteral("downloaded")).toArray().size();
    const int reused = result.value(QStringLiteral("reused")).toArray().size();
    s.message
        = outcome == u"deployed"
              ? tr("deployed %1: %2 files downloaded, %3 already in place, verified on the host")
                    .arg(m_bundle->version)
                    .arg(downloaded)
                    .arg(reused)
              : tr("already current (another console finished first); verified on the host");
    if (outcome == u"deployed")
        ++run->summary.deployed;
    log(host, QStringLiteral("info"), s.message);
    hostDone(run, host, true);
}

void HostDeploymentService::applyFailure(HostStatus &s, const Error &e)
{
    switch (e.code) {
    case ErrorCode::CredentialsRejected:
        s.state = HostState::AuthFailed;
        break;
    case ErrorCode::Network:
    case ErrorCode::Tls:
        s.state = HostState::Unreachable;
        break;
    case ErrorCode::Locked:
        s.state = HostState::Locked;
        break;
    case ErrorCode::Cancelled:
        s.state = HostState::Cancelled;
        break;
    default:
        s.state = HostState::Failed;
        break;
    }
    s.message = e.toString();
}

void HostDeploymentService::hostDone(Run *run, const QString &host, bool success, bool skipped)
{
    if (!run->pending.remove(host))
        return;
    HostStatus &s = mutableStatus(host);
    ++run->summary.completed;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (skipped) {
        ++run->summary.skipped;
    } else if (success) {
        ++run->summary.succeeded;
        if (run->mode != Mode::Check) {
            s.consecutiveFailures = 0;
            s.nextRetry = QDateTime();
        }
    } else {
        ++run->summary.failed;
        run->summary.lastError = s.message;
        run->summary.lastErrorHost = host;
        ++s.consecutiveFailures;
        const qint64 backoff = std::min<qint64>(qint64(m_settings.failureBackoffBaseSeconds)
                                                    << std::min(s.consecutiveFailures - 1, 20),
                                                m_settings.failureBackoffMaxSeconds);
        s.nextRetry = now.addSecs(backoff);
    }
    touch(host);
    if (run == m_summaryRun) {
        const RolloutState keep = m_summary.state;
        m_summary = run->summary;
        m_summary.state = keep;
        recomputeReady();
        touchSummary();
    }
    if (run->pending.isEmpty())
        finishRun(run);
}

void HostDeploymentService::finishRun(Run *run)
{
    run->summary.finishedAt = QDateTime::currentDateTimeUtc();
    run->summary.state = run->cancelled            ? RolloutState::Cancelled
                         : run->summary.failed > 0 ? RolloutState::Failed
                                                   : RolloutState::Succeeded;
    if (run->gate) {
        run->gate->cancel();
        run->gate->deleteLater();
        run->gate = nullptr;
    }
    m_runs.removeOne(run);
    if (run == m_summaryRun) {
        m_summary = run->summary;
        m_summaryRun = nullptr;
        if (run->mode == Mode::Ensure) {
            m_startup.insert(QStringLiteral("state"), rolloutStateName(m_summary.state));
            m_startup.insert(QStringLiteral("finishedAt"),
                             m_summary.finishedAt.toString(Qt::ISODateWithMs));
        }
    }
    recomputeReady();
    run->summary.readyHosts = m_summary.readyHosts;
    run->summary.profileHosts = m_summary.profileHosts;
    run->summary.provisioningAvailable = m_summary.provisioningAvailable;
    touchSummary();
    flush();
    const RolloutSummary result = run->summary;
    delete run;
    Q_EMIT operationFinished(result);
}

void HostDeploymentService::cancel(const QStringList &hosts)
{
    const QStringList targets = hosts.isEmpty() ? m_active.keys() : hosts;
    for (Run *run : std::as_const(m_runs)) {
        if (hosts.isEmpty())
            run->cancelled = true;
        const QStringList waiting(run->waitingForGate.cbegin(), run->waitingForGate.cend());
        for (const QString &host : waiting) {
            if (!hosts.isEmpty() && !hosts.contains(host))
                continue;
            run->waitingForGate.remove(host);
            HostStatus &s = mutableStatus(host);
            s.state = HostState::Cancelled;
            s.message = tr("cancelled before anything was changed on the host");
            hostDone(run, host, false, true);
        }
    }
    for (const QString &host : targets) {
        if (const auto h = m_active.value(host))
            h->cancel();
    }
}

void HostDeploymentService::log(const QString &host, const QString &level, const QString &text)
{
    Q_EMIT hostLog(host, QDateTime::currentDateTimeUtc(), level, text);
}

void HostDeploymentService::touch(const QString &host)
{
    m_dirty.insert(host);
    if (!m_flush.isActive())
        m_flush.start();
}

void HostDeploymentService::touchSummary()
{
    m_summaryDirty = true;
    if (!m_flush.isActive())
        m_flush.start();
}

void HostDeploymentService::flush()
{
    m_flush.stop();
    if (!m_dirty.isEmpty()) {
        QStringList hosts;
        for (const QString &h : std::as_const(m_order)) {
            if (m_dirty.contains(h))
                hosts << h;
        }
        m_dirty.clear();
        if (!hosts.isEmpty())
            Q_EMIT hostsChanged(hosts);
    }
    if (m_summaryDirty) {
        m_summaryDirty = false;
        Q_EMIT summaryChanged(m_summary);
    }
}

} // namespace aetherv::deploy
