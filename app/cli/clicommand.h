#pragma once

#include <QStringList>

namespace aetherv::cli {

// Documented exit codes of aetherv-deploy.
enum ExitCode : int {
    ExitOk = 0,          // everything asked for succeeded
    ExitSomeFailed = 1,  // some hosts failed
    ExitUsage = 2,       // usage or configuration error
    ExitUnreachable = 3, // no host could be reached
};

struct CliCommand
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments); // arguments[0] is the command name
};

// The commands, in help order. Each lives in its own cmd_<name>.cpp.
const QList<CliCommand> &commands();

int runServe(const QStringList &arguments);
int runManifest(const QStringList &arguments);
int runCheck(const QStringList &arguments);
int runDeploy(const QStringList &arguments);
int runStatus(const QStringList &arguments);
int runMetrics(const QStringList &arguments);
int runExec(const QStringList &arguments);
int runSmoke(const QStringList &arguments);
int runPublish(const QStringList &arguments);
int runProfiles(const QStringList &arguments);
int runProvision(const QStringList &arguments);

// Installs SIGINT/SIGTERM handlers that quit the application's event loop cleanly.
void quitOnTerminationSignals();

} // namespace aetherv::cli
