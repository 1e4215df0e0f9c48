#include "clisession.h"

#include "clicommand.h"
#include "credentials.h"

#include "core/config/validation.h"
#include "core/deploy/profileadapter.h"
#include "core/deploy/winrmscriptexecutor.h"

#include <QCoreApplication>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcessEnvironment>

#include <unistd.h>

namespace aetherv::cli {

using namespace aetherv::deploy;

void addCommonOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("profile"),
                 QStringLiteral("Profile name or id (from --profile-file, or the console's saved "
                                "profiles)."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("profile-file"),
                 QStringLiteral("JSON file with one profile or an export of several."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("settings"),
                 QStringLiteral("The console's settings file (INI) to read saved profiles from."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("hosts"),
                 QStringLiteral("Only these hosts of the profile (comma separated)."),
                 QStringLiteral("list")});
    p.addOption(
        {QStringLiteral("bundle"), QStringLiteral("Agent bundle folder."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON lines instead of text.")});
    p.addOption({QStringLiteral("log-rules"),
                 QStringLiteral("Qt logging rules, e.g. \"aetherv.*.debug=true\"."),
                 QStringLiteral("rules")});
}

CliSession::CliSession(const QCommandLineParser &parser, QObject *parent)
    : QObject(parent)
    , m_parser(parser)
    , m_out(stdout)
    , m_err(stderr)
{
    m_json = parser.isSet(QStringLiteral("json"));
    if (parser.isSet(QStringLiteral("log-rules")))
        QLoggingCategory::setFilterRules(
            parser.value(QStringLiteral("log-rules")).replace(u';', u'\n'));
    m_clock.start();
}

void CliSession::emitJson(const QJsonObject &o)
{
    m_out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    m_out.flush();
}

int CliSession::loadProfile()
{
    const QString wanted = m_parser.value(QStringLiteral("profile"));
    QList<config::Profile> candidates;
    if (m_parser.isSet(QStringLiteral("profile-file"))) {
        const QString path = m_parser.value(QStringLiteral("profile-file"));
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_err << "aetherv-deploy: cannot read profile file " << path << ": " << f.errorString()
                  << '\n';
            return ExitUsage;
        }
        const auto imported = config::importProfiles(f.readAll());
        if (!imported) {
            m_err << "aetherv-deploy: " << path << ": " << imported.error().toString() << '\n';
            return ExitUsage;
        }
        candidates = *imported;
    } else {
        candidates = savedProfiles(m_parser.value(QStringLiteral("settings")));
    }
    if (!wanted.isEmpty()) {
        auto it = std::find_if(candidates.cbegin(), candidates.cend(), [&](const auto &p) {
            return p.id == wanted || p.name.compare(wanted, Qt::CaseInsensitive) == 0;
        });
        if (it == candidates.cend()) {
            m_err << "aetherv-deploy: no profile named '" << wanted
                  << "'; list them with 'aetherv-deploy profiles list'\n";
            return ExitUsage;
        }
        m_profile = *it;
    } else if (candidates.size() == 1) {
        m_profile = candidates.first();
    } else if (candidates.isEmpty()) {
        // No saved profile: the seed's environment variables describe the whole run.
        m_profile = config::Profile::create(QStringLiteral("environment"));
    } else {
        m_err << "aetherv-deploy: " << candidates.size()
              << " profiles available; choose one with --profile\n";
        return ExitUsage;
    }
    const auto overrides = m_profile.applyEnvironment(QProcessEnvironment::systemEnvironment());
    if (!overrides) {
        m_err << "aetherv-deploy: " << overrides.error().toString() << '\n';
        return ExitUsage;
    }
    for (const auto &o : *overrides) {
        if (!m_json)
            m_err << "environment: " << o.variable << " sets " << o.field << " = " << o.value
                  << '\n';
    }
    bool errors = false;
    for (const config::ValidationIssue &issue : m_profile.validate()) {
        const bool isError = issue.severity == config::ValidationIssue::Severity::Error;
        errors = errors || isError;
        m_err << (isError ? "error: " : "warning: ") << issue.field << ": " << issue.message
              << '\n';
    }
    if (errors) {
        m_err << "aetherv-deploy: the profile '" << m_profile.name
              << "' is not valid; fix the errors above\n";
        return ExitUsage;
    }
    m_hosts.clear();
    if (m_parser.isSet(QStringLiteral("hosts"))) {
        const QStringList all = [&] {
            QStringList l;
            for (const auto &h : m_profile.hosts)
                l << h.toString();
            return l;
        }();
        for (QString h : m_parser.value(QStringLiteral("hosts")).split(u',', Qt::SkipEmptyParts)) {
            h = h.trimmed();
            const auto match = std::find_if(all.cbegin(), all.cend(), [&](const QString &x) {
                return x.compare(h, Qt::CaseInsensitive) == 0;
            });
            if (match == all.cend()) {
                m_err << "aetherv-deploy: " << h << " is not a host of profile '" << m_profile.name
                      << "'\n";
                return ExitUsage;
            }
            m_hosts << *match;
        }
    }
    if (m_profile.hosts.isEmpty()) {
        m_err << "aetherv-deploy: the profile '" << m_profile.name
              << "' has no hosts; add some or set HYPERV_HOSTS\n";
        return ExitUsage;
    }
    return ExitOk;
}

int CliSession::loadCredentials()
{
    auto creds = resolveCredentials(m_profile);
    if (!creds) {
        m_err << "aetherv-deploy: " << creds.error().toString() << '\n';
        return ExitUsage;
    }
    m_credentials = *creds;
    return ExitOk;
}

int CliSession::prepareConnection()
{
    if (const int rc = loadProfile(); rc != ExitOk)
        return rc;
    return loadCredentials();
}

int CliSession::prepare(bool needServer, bool needCredentials)
{
    if (const int rc = loadProfile(); rc != ExitOk)
        return rc;
    if (needCredentials) {
        if (const int rc = loadCredentials(); rc != ExitOk)
            return rc;
    }
    QString bundleDir = m_parser.value(QStringLiteral("bundle"));
    if (bundleDir.isEmpty())
        bundleDir = m_profile.bundleDirectory;
    if (bundleDir.isEmpty())
        bundleDir = artifacts::AgentBundle::defaultDirectory();
    QFutureWatcher<Result<artifacts::BundleSnapshot>> watcher;
    QEventLoop loop;
    connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(
        artifacts::AgentBundle::scanAsync(bundleDir, std::make_shared<artifacts::HashCache>()));
    if (!watcher.isFinished())
        loop.exec();
    const auto snap = watcher.result();
    QString disabledReason;
    if (snap)
        m_bundle = std::make_shared<const artifacts::BundleSnapshot>(*snap);
    else
        disabledReason = snap.error().toString();

    QUrl serverUrl;
    if (needServer && m_bundle) {
        m_server = std::make_unique<artifacts::ArtifactServer>(artifactServerConfigFor(m_profile));
        const auto started = m_server->start();
        if (!started) {
            m_err << "aetherv-deploy: " << started.error().toString() << '\n';
            return ExitUsage;
        }
        m_server->setBundle(m_bundle);
        serverUrl = m_server->baseUrl();
    }
    auto settings = deploySettingsFor(
        m_profile, serverUrl.isEmpty() ? QUrl(QStringLiteral("http://localhost/agent")) : serverUrl,
        defaultLockOwner(QStringLiteral("aetherv-deploy")));
    if (!settings) {
        m_err << "aetherv-deploy: " << settings.error().toString() << '\n';
        return ExitUsage;
    }
    m_runner = std::make_unique<tasks::RemoteTaskRunner>();
    m_runner->setConcurrency(tasks::Category::Deployment,
                             m_profile.taskRunner.deploymentConcurrency);
    m_runner->setConcurrency(tasks::Category::Inventory, m_profile.taskRunner.inventoryConcurrency);
    m_runner->setConcurrency(tasks::Category::Diagnostics,
                             m_profile.taskRunner.diagnosticsConcurrency);
    m_service = std::make_unique<HostDeploymentService>(
        m_runner.get(), makeWinRmExecutor(m_profile, m_credentials));
    m_service->setSettings(*settings);
    m_service->setBundle(m_bundle, disabledReason);
    if (!m_bundle && !m_json)
        m_err << "aetherv-deploy: agent deployment disabled: " << disabledReason << '\n';
    connect(m_service.get(), &HostDeploymentService::hostsChanged, this,
            &CliSession::onHostsChanged);
    if (m_json) {
        connect(m_service.get(), &HostDeploymentService::hostLog, this,
                [this](const QString &host, const QDateTime &when, const QString &level,
                       const QString &text) {
                    emitJson({{QStringLiteral("event"), QStringLiteral("log")},
                              {QStringLiteral("host"), host},
                              {QStringLiteral("time"), when.toString(Qt::ISODateWithMs)},
                              {QStringLiteral("level"), level},
                              {QStringLiteral("text"), text}});
                });
    } else if (m_bundle) {
        m_out << "profile " << m_profile.name << ": " << m_profile.hosts.size()
              << " hosts, install directory " << m_profile.installDirectory << '\n'
              << "bundle " << m_bundle->version << " ("
              << QString::fromLatin1(m_bundle->manifest.digest().left(12)) << "…, "
              << m_bundle->files.size() << " files)";
        if (m_server)
            m_out << " served at " << m_server->baseUrl().toString() << ", hosts download from "
                  << settings->downloadBaseUrl.toString();
        m_out << '\n';
        m_out.flush();
    }
    return ExitOk;
}

static QString formatBytes(qint64 n)
{
    if (n >= 1024LL * 1024 * 1024)
        return QString::number(double(n) / (1024.0 * 1024 * 1024), 'f', 2) + QStringLiteral(" GiB");
    if (n >= 1024 * 1024)
        return QString::number(double(n) / (1024.0 * 1024), 'f', 1) + QStringLiteral(" MiB");
    if (n >= 1024)
        return QString::number(double(n) / 1024.0, 'f', 0) + QStringLiteral(" KiB");
    return QString::number(n) + QStringLiteral(" B");
}

static QJsonObject hostJson(const HostStatus &s)
{
    return {{QStringLiteral("event"), QStringLiteral("host")},
            {QStringLiteral("host"), s.host},
            {QStringLiteral("state"), hostStateName(s.state)},
            {QStringLiteral("hostVersion"), s.hostVersion},
            {QStringLiteral("bundleVersion"), s.bundleVersion},
            {QStringLiteral("digest"), QString::fromLatin1(s.hostDigest)},
            {QStringLiteral("bytesDone"), s.bytesDone},
            {QStringLiteral("bytesTotal"), s.bytesTotal},
            {QStringLiteral("message"), s.message}};
}

void CliSession::printHost(const HostStatus &s, bool final)
{
    if (m_json) {
        QJsonObject o = hostJson(s);
        if (final)
            o.insert(QStringLiteral("final"), true);
        emitJson(o);
        return;
    }
    QString line = QStringLiteral("%1  %2  %3")
                       .arg(s.host, -22)
                       .arg(hostStateLabel(s.state), -12)
                       .arg(s.hostVersion.isEmpty() ? QStringLiteral("-") : s.hostVersion, -10);
    if (s.state == HostState::Deploying && s.bytesTotal > 0) {
        line += QStringLiteral("  %1% %2 of %3")
                    .arg(s.bytesDone * 100 / std::max<qint64>(1, s.bytesTotal), 3)
                    .arg(formatBytes(s.bytesDone), formatBytes(s.bytesTotal));
    } else if (!s.message.isEmpty()) {
        line += u"  " + s.message;
    }
    m_out << line << '\n';
    m_out.flush();
}

void CliSession::onHostsChanged(const QStringList &hosts)
{
    if (m_checkOnly && !m_json)
        return; // a check prints its table at the end
    const qint64 now = m_clock.elapsed();
    for (const QString &h : hosts) {
        const HostStatus s = m_service->status(h);
        const bool stateChanged
            = m_lastState.value(h, HostState::Unknown) != s.state || !m_lastState.contains(h);
        const bool progressDue = s.state == HostState::Deploying && s.bytesTotal > 0
                                 && now - m_lastProgressMs.value(h, -100000) >= 2000;
        if ((!stateChanged && !progressDue) || (s.state == HostState::Checking && !m_json))
            continue;
        m_lastState[h] = s.state;
        m_lastProgressMs[h] = now;
        printHost(s, false);
    }
}

int CliSession::exitCodeFor(const QList<HostStatus> &hosts, bool checkOnly) const
{
    if (hosts.isEmpty())
        return ExitUsage;
    int unreachable = 0, bad = 0;
    for (const HostStatus &s : hosts) {
        if (s.state == HostState::Unreachable || s.state == HostState::AuthFailed)
            ++unreachable;
        if (isFailure(s.state) || s.state == HostState::Cancelled || s.state == HostState::Unknown)
            ++bad;
        else if (checkOnly
                 && (s.state == HostState::Outdated || s.state == HostState::Drifted
                     || s.state == HostState::Legacy))
            ++bad;
    }
    if (unreachable == hosts.size())
        return ExitUnreachable;
    return bad > 0 ? ExitSomeFailed : ExitOk;
}

int CliSession::runOperation(const std::function<void(HostDeploymentService &)> &start,
                             bool checkOnly)
{
    m_checkOnly = checkOnly;
    QEventLoop loop;
    deploy::RolloutSummary summary;
    bool finished = false;
    connect(m_service.get(), &HostDeploymentService::operationFinished, &loop,
            [&](const deploy::RolloutSummary &s) {
                summary = s;
                finished = true;
                loop.quit();
            });
    quitOnTerminationSignals();
    connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, m_service.get(),
            [this] { m_service->cancel(); });
    start(*m_service);
    // The service answers some requests at once (deployment disabled, no hosts): a quit()
    // before exec() is lost, and exec() would then wait forever.
    if (!finished)
        loop.exec();

    QList<HostStatus> hosts;
    const QStringList selected = m_hosts.isEmpty() ? [&] {
        QStringList l;
        for (const auto &h : m_profile.hosts)
            l << h.toString();
        return l;
    }()
                                                   : m_hosts;
    for (const QString &h : selected)
        hosts << m_service->status(h);
    if (m_json) {
        for (const HostStatus &s : std::as_const(hosts))
            printHost(s, true);
        QJsonObject o = summary.toJson();
        o.insert(QStringLiteral("event"), QStringLiteral("summary"));
        emitJson(o);
    } else {
        if (!checkOnly)
            m_out << '\n';
        for (const HostStatus &s : std::as_const(hosts))
            printHost(s, true);
        if (!checkOnly || summary.state == deploy::RolloutState::Disabled)
            m_out << '\n' << deploy::bannerText(summary) << '\n';
        m_out.flush();
    }
    if (summary.state == deploy::RolloutState::Disabled)
        return ExitUsage;
    return exitCodeFor(hosts, checkOnly);
}

} // namespace aetherv::cli
