#include "clicommand.h"
#include "clisession.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace aetherv::cli {

using namespace aetherv::deploy;

namespace {

int runHostCommand(const QStringList &arguments, const QString &description,
                   const std::function<void(QCommandLineParser &)> &extraOptions,
                   const std::function<int(CliSession &, const QCommandLineParser &)> &body,
                   bool needServer)
{
    QCommandLineParser p;
    p.setApplicationDescription(description);
    p.addHelpOption();
    addCommonOptions(p);
    if (extraOptions)
        extraOptions(p);
    p.process(arguments);
    CliSession session(p);
    if (const int rc = session.prepare(needServer); rc != ExitOk)
        return rc;
    return body(session, p);
}

} // namespace

int runCheck(const QStringList &arguments)
{
    return runHostCommand(
        arguments,
        QStringLiteral("Reads every host's installed version and manifest digest and says what a "
                       "deployment would do. Changes nothing. Exit code 0: all current; 1: some "
                       "need the bundle or failed; 3: no host reachable."),
        {},
        [](CliSession &s, const QCommandLineParser &) {
            return s.runOperation([&](HostDeploymentService &svc) { svc.check(s.selectedHosts()); },
                                  true);
        },
        false);
}

int runDeploy(const QStringList &arguments)
{
    return runHostCommand(
        arguments,
        QStringLiteral("Serves the bundle, checks every host, waits until the download URL serves "
                       "the bundle, and deploys where needed: staged download, verification, "
                       "activation, version written last. Exit code 0: all hosts current; 1: some "
                       "failed; 3: no host reachable."),
        [](QCommandLineParser &p) {
            p.addOption({QStringLiteral("force"),
                         QStringLiteral("Redeploy even to current (and newer) hosts.")});
        },
        [](CliSession &s, const QCommandLineParser &p) {
            const bool force = p.isSet(QStringLiteral("force"));
            return s.runOperation(
                [&](HostDeploymentService &svc) { svc.deploy(s.selectedHosts(), force); }, false);
        },
        true);
}

int runStatus(const QStringList &arguments)
{
    return runHostCommand(
        arguments,
        QStringLiteral("Shows the profile, the bundle and every host's state and readiness (reads "
                       "each host once)."),
        {},
        [](CliSession &s, const QCommandLineParser &) {
            const int rc = s.runOperation(
                [&](HostDeploymentService &svc) { svc.check(s.selectedHosts()); }, true);
            if (!s.json()) {
                s.out() << "\nreadiness:\n";
                for (const HostStatus &st : s.service()->statuses()) {
                    const InventoryReadiness r = s.service()->inventoryReadiness(st.host);
                    s.out() << "  " << st.host.leftJustified(22) << ' '
                            << readinessName(r.readiness) << '\n';
                }
                s.out().flush();
            }
            return rc;
        },
        false);
}

int runMetrics(const QStringList &arguments)
{
    return runHostCommand(
        arguments,
        QStringLiteral("Checks the hosts and prints the deployment service's metrics as JSON."), {},
        [](CliSession &s, const QCommandLineParser &) {
            const int rc = s.runOperation(
                [&](HostDeploymentService &svc) { svc.check(s.selectedHosts()); }, true);
            QJsonObject m = s.service()->metrics();
            if (s.server()) {
                const auto st = s.server()->stats();
                m.insert(QStringLiteral("artifactServer"),
                         QJsonObject{{QStringLiteral("url"), s.server()->baseUrl().toString()},
                                     {QStringLiteral("bytesSent"), qint64(st.bytesSent)},
                                     {QStringLiteral("activeDownloads"), st.activeDownloads}});
            }
            s.out() << QJsonDocument(m).toJson(QJsonDocument::Indented);
            s.out().flush();
            return rc;
        },
        false);
}

} // namespace aetherv::cli
