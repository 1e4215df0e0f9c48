#include "clicommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

using namespace aetherv::cli;

namespace aetherv::cli {

const QList<CliCommand> &commands()
{
    static const QList<CliCommand> list{
        {"check", "read every host's version and say what a deployment would do", &runCheck},
        {"deploy", "deploy the bundle to the hosts that need it ([--force] [--hosts a,b])",
         &runDeploy},
        {"status", "show the profile, the bundle and every host's state and readiness", &runStatus},
        {"metrics", "print the deployment service's metrics as JSON", &runMetrics},
        {"exec", "run PowerShell on one host (--host H --script FILE | --command TEXT)", &runExec},
        {"smoke", "check one host's install directory, files, hashes and version", &runSmoke},
        {"provision", "create and provision a VM on one host (--host H --job FILE|-)",
         &runProvision},
        {"profiles", "list, show, import or export the saved environment profiles", &runProfiles},
        {"serve", "serve the agent bundle over HTTP(S) until interrupted", &runServe},
        {"manifest", "print the bundle's manifest.json", &runManifest},
        {"publish", "write the bundle as a static folder for any web server (--to DIR)",
         &runPublish},
    };
    return list;
}

} // namespace aetherv::cli

static int usage(QTextStream &out, int code)
{
    out << "usage: aetherv-deploy <command> [options]\n\ncommands:\n";
    for (const CliCommand &c : commands())
        out << "  " << QString::fromLatin1(c.name).leftJustified(10) << ' ' << c.summary << '\n';
    out << "\nRun 'aetherv-deploy <command> --help' for a command's options.\n"
           "Exit codes: 0 all good, 1 some hosts failed, 2 usage or configuration error,\n"
           "3 no host reachable.\n";
    return code;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("aetherv-deploy"));
    QCoreApplication::setOrganizationName(QStringLiteral("Aether-V"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AETHERV_VERSION_STRING));

    // A terminal tool: results go to stdout; the library's informational log only on request
    // (QT_LOGGING_RULES or a command's --log-rules).
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("aetherv.*.info=false"));

    const QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream err(stderr), out(stdout);
    if (args.isEmpty())
        return usage(err, ExitUsage);
    const QString name = args.first();
    if (name == u"--help" || name == u"-h" || name == u"help")
        return usage(out, ExitOk);
    if (name == u"--version") {
        out << "aetherv-deploy " << AETHERV_VERSION_STRING << '\n';
        return ExitOk;
    }
    for (const CliCommand &c : commands()) {
        if (name == QLatin1StringView(c.name))
            return c.run(args);
    }
    err << "aetherv-deploy: unknown command '" << name << "'\n\n";
    return usage(err, ExitUsage);
}
