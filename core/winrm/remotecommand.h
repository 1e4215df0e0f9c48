#pragma once

#include "core/common/credentials.h"
#include "core/common/result.h"
#include "core/winrm/connectionsettings.h"
#include "core/winrm/streamdecoder.h"
#include "core/winrm/winrmshell.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

// One command in its own shell, as a job (start / cancel / outputLine / exactly one finished):
// Create → Command → Send stdin in envelope-sized chunks → Receive until Done (the w:TimedOut
// fault just polls again) → Signal terminate → Delete. The shell is deleted on every path,
// including errors, cancellation and the command deadline (Signal ctrl_c, then terminate).
namespace aetherv::winrm {

class WsmanTransport;

enum class OutputStream { Stdout, Stderr };

enum class JobOutcome { Succeeded, Failed, Cancelled };

struct CommandResult
{
    // Succeeded: the command ran to its end (whatever its exit code). Failed: see error.
    JobOutcome outcome = JobOutcome::Failed;
    std::optional<qint64> exitCode; // absent when the host reported none
    QString stdoutText;
    QString stderrText; // CLIXML already turned into text
    qint64 stdoutBytes = 0;
    qint64 stderrBytes = 0;
    Error error;               // meaningful for Failed (and says "cancelled" for Cancelled)
    bool shellDeleted = false; // false only when even cleanup could not reach the host
    QString shellId;           // the host's id of the shell used, for logs and diagnostics
};

struct CommandSpec
{
    QString command;       // e.g. "powershell.exe"
    QStringList arguments; // joined with spaces by the host; quoting is the caller's job
    QByteArray stdinData;  // sent after Command, last chunk with End="true"; empty: none
    ShellOptions shell;
};

class RemoteCommand : public QObject
{
    Q_OBJECT

public:
    // The job owns a transport created from settings and credentials...
    RemoteCommand(const ConnectionSettings &settings, const Credentials &credentials,
                  CommandSpec spec, QObject *parent = nullptr);
    // ...or uses the given one (tests, or a caller that reuses a session). Not owned.
    RemoteCommand(WsmanTransport *transport, const ConnectionSettings &settings, CommandSpec spec,
                  QObject *parent = nullptr);
    ~RemoteCommand() override;

    void start();
    void cancel();
    bool isFinished() const { return m_finished; }
    const CommandResult &result() const { return m_result; }
    // Raw stdin bytes per Send (from maxEnvelopeSize), for diagnostics and tests.
    qsizetype sendChunkSize() const { return m_chunkSize; }
    int sendCount() const { return m_sendCount; }
    int receiveCount() const { return m_receiveCount; }

signals:
    void outputLine(aetherv::winrm::OutputStream stream, const QString &line);
    // Phase changes for progress displays: "create", "command", "send", "receive", "cleanup".
    void phaseChanged(const QString &phase);
    void finished(const aetherv::winrm::CommandResult &result);

private:
    void createShell();
    void startCommand();
    void sendNextChunk();
    void receiveNext();
    void onReceive(Result<ReceiveResult> result);
    void emitStderr(const QStringList &lines, bool final);
    void onDeadline();
    void fail(Error error, JobOutcome outcome = JobOutcome::Failed);
    void stop(bool interrupt);
    void deleteShell();
    void complete();
    void setPhase(const QString &phase);

    std::unique_ptr<WsmanTransport> m_ownedTransport;
    WsmanTransport *m_transport = nullptr;
    ConnectionSettings m_settings;
    CommandSpec m_spec;
    WinRmShell *m_shell = nullptr;
    QTimer m_deadline;
    QTimer m_cleanupTimer;

    QString m_commandId;
    qsizetype m_sendOffset = 0;
    qsizetype m_chunkSize = 0;
    int m_sendCount = 0;
    int m_receiveCount = 0;
    StreamDecoder m_stdout;
    StreamDecoder m_stderr;
    bool m_stderrIsClixml = false;
    bool m_stderrChecked = false;
    QStringList m_stderrHeld;

    bool m_started = false;
    bool m_stopping = false;
    bool m_finished = false;
    CommandResult m_result;
};

} // namespace aetherv::winrm

Q_DECLARE_METATYPE(aetherv::winrm::CommandResult)
Q_DECLARE_METATYPE(aetherv::winrm::OutputStream)
