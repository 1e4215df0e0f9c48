#pragma once

#include <QString>
#include <QStringList>

namespace aetherv::hostsim {

// How a WinRS command line (rsp:Command plus rsp:Arguments) maps onto the simulated
// powershell.exe: which script runs, whether it comes from stdin, and how stderr is encoded.
struct PowerShellInvocation
{
    enum class Kind {
        Script,        // run `script`
        Stdin,         // -Command - / "-": the script is everything sent to stdin
        NotRecognized, // not PowerShell: cmd.exe's "is not recognized" answer
        BadArguments,  // PowerShell rejected its command line
    };
    Kind kind = Kind::NotRecognized;
    QString script;
    bool clixmlErrors = false; // -EncodedCommand: errors go to stderr as CLIXML
    QString errorText;         // for NotRecognized / BadArguments: what stderr shows
    int exitCode = 0;          // for NotRecognized / BadArguments
};

// Splits a command line the way CommandLineToArgvW does (quotes, doubled quotes, backslashes).
QStringList splitWindowsCommandLine(const QString &line);

PowerShellInvocation parsePowerShellCommandLine(const QString &command,
                                                const QStringList &arguments);

} // namespace aetherv::hostsim
