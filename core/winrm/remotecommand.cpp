#include "core/winrm/remotecommand.h"

#include "core/common/logging.h"
#include "core/winrm/clixml.h"
#include "core/winrm/httptransport.h"
#include "core/winrm/winrmerrors.h"
#include "core/winrm/wsmannamespaces.h"

namespace aetherv::winrm {

RemoteCommand::RemoteCommand(const ConnectionSettings &settings, const Credentials &credentials,
                             CommandSpec spec, QObject *parent)
    : RemoteCommand(nullptr, settings, std::move(spec), parent)
{
    auto *transport = new HttpTransport(settings, credentials);
    m_ownedTransport.reset(transport);
    m_transport = transport;
    m_shell = new WinRmShell(m_transport, m_settings, this);
}

RemoteCommand::RemoteCommand(WsmanTransport *transport, const ConnectionSettings &settings,
                             CommandSpec spec, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_settings(settings)
    , m_spec(std::move(spec))
{
    qRegisterMetaType<aetherv::winrm::CommandResult>();
    qRegisterMetaType<aetherv::winrm::OutputStream>();
    if (m_transport)
        m_shell = new WinRmShell(m_transport, m_settings, this);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &RemoteCommand::onDeadline);
    m_cleanupTimer.setSingleShot(true);
    connect(&m_cleanupTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcWinRm).noquote() << "cleanup on" << m_settings.host << "did not finish within"
                                     << m_settings.cleanupTimeout.count()
                                     << "ms; the shell may remain until its idle timeout";
        m_shell->abort();
        m_result.shellDeleted = false;
        complete();
    });
}

RemoteCommand::~RemoteCommand()
{
    // The shell's callbacks must not run into a half-destroyed job.
    if (m_shell)
        m_shell->abort();
}

void RemoteCommand::setPhase(const QString &phase)
{
    emit phaseChanged(phase);
}

void RemoteCommand::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_settings.commandDeadline.count() > 0)
        m_deadline.start(m_settings.commandDeadline);
    createShell();
}

void RemoteCommand::cancel()
{
    if (m_finished || m_stopping)
        return;
    if (!m_started) {
        m_started = true;
        m_result.outcome = JobOutcome::Cancelled;
        m_result.error = errors::cancelled();
        m_result.shellDeleted = true;
        complete();
        return;
    }
    fail(errors::cancelled(), JobOutcome::Cancelled);
}

void RemoteCommand::createShell()
{
    setPhase(QStringLiteral("create"));
    m_shell->create(m_spec.shell, [this](Result<QString> shellId) {
        if (!shellId)
            return fail(shellId.error());
        m_result.shellId = *shellId;
        startCommand();
    });
}

void RemoteCommand::startCommand()
{
    setPhase(QStringLiteral("command"));
    const bool consoleStdin = m_spec.stdinData.isEmpty();
    m_shell->command(m_spec.command, m_spec.arguments, consoleStdin,
                     [this](Result<QString> commandId) {
                         if (!commandId)
                             return fail(commandId.error());
                         m_commandId = *commandId;
                         m_chunkSize = m_shell->sendChunkSize(m_commandId);
                         if (m_spec.stdinData.isEmpty())
                             receiveNext();
                         else
                             sendNextChunk();
                     });
}

void RemoteCommand::sendNextChunk()
{
    if (m_sendOffset == 0)
        setPhase(QStringLiteral("send"));
    const QByteArray chunk = m_spec.stdinData.mid(m_sendOffset, m_chunkSize);
    const bool end = m_sendOffset + chunk.size() >= m_spec.stdinData.size();
    ++m_sendCount;
    m_shell->send(m_commandId, chunk, end, [this, size = chunk.size(), end](Result<void> sent) {
        if (!sent)
            return fail(sent.error());
        m_sendOffset += size;
        if (end) {
            setPhase(QStringLiteral("receive"));
            receiveNext();
        } else {
            sendNextChunk();
        }
    });
}

void RemoteCommand::receiveNext()
{
    if (m_receiveCount == 0 && m_spec.stdinData.isEmpty())
        setPhase(QStringLiteral("receive"));
    ++m_receiveCount;
    m_shell->receive(m_commandId, [this](Result<ReceiveResult> r) { onReceive(std::move(r)); });
}

void RemoteCommand::onReceive(Result<ReceiveResult> r)
{
    if (!r)
        return fail(r.error());
    if (r->timedOut)
        return receiveNext();
    for (const StreamChunk &chunk : r->streams) {
        if (chunk.name == u"stdout") {
            m_result.stdoutBytes += chunk.data.size();
            for (const QString &line : m_stdout.feed(chunk.data))
                emit outputLine(OutputStream::Stdout, line);
        } else if (chunk.name == u"stderr") {
            m_result.stderrBytes += chunk.data.size();
            emitStderr(m_stderr.feed(chunk.data), false);
        }
    }
    if (!r->done)
        return receiveNext();

    m_result.exitCode = r->exitCode;
    for (const QString &line : m_stdout.finish())
        emit outputLine(OutputStream::Stdout, line);
    emitStderr(m_stderr.finish(), true);
    m_result.outcome = JobOutcome::Succeeded;
    stop(false);
}

void RemoteCommand::emitStderr(const QStringList &lines, bool final)
{
    // Whether stderr is CLIXML is known from its first line (or 9 bytes); lines wait until then.
    m_stderrHeld += lines;
    if (!m_stderrChecked && (final || !m_stderrHeld.isEmpty() || m_stderr.bytes().size() >= 9)) {
        m_stderrChecked = true;
        m_stderrIsClixml = clixml::isClixml(m_stderr.text());
    }
    if (!m_stderrChecked)
        return;
    if (!m_stderrIsClixml) {
        for (const QString &line : std::as_const(m_stderrHeld))
            emit outputLine(OutputStream::Stderr, line);
        m_stderrHeld.clear();
        return;
    }
    m_stderrHeld.clear();
    if (!final)
        return;
    // CLIXML becomes readable text once the stream is complete.
    for (QString line : clixml::toText(m_stderr.text()).split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (!line.isEmpty())
            emit outputLine(OutputStream::Stderr, line);
    }
}

void RemoteCommand::onDeadline()
{
    fail(errors::commandDeadline(m_settings.commandDeadline));
}

void RemoteCommand::fail(Error error, JobOutcome outcome)
{
    if (m_stopping || m_finished)
        return;
    qCDebug(lcWinRm).noquote() << "command on" << m_settings.host << "ends:" << error.message;
    m_result.outcome = outcome;
    m_result.error = std::move(error);
    stop(true);
}

void RemoteCommand::stop(bool interrupt)
{
    m_stopping = true;
    m_deadline.stop();
    // A Receive may be waiting for OperationTimeout: drop it rather than wait. That also drops
    // the connection, so cleanup re-authenticates; an idle connection is kept.
    if (m_shell->isBusy())
        m_shell->abort();
    setPhase(QStringLiteral("cleanup"));
    m_cleanupTimer.start(m_settings.cleanupTimeout);
    if (m_shell->shellId().isEmpty()) {
        m_result.shellDeleted = true;
        complete();
        return;
    }
    if (m_commandId.isEmpty()) {
        deleteShell();
        return;
    }
    const auto timeout = m_settings.cleanupTimeout;
    auto terminate = [this, timeout] {
        m_shell->signal(m_commandId, ns::signal::terminate, timeout, [this](Result<void> r) {
            if (!r)
                qCDebug(lcWinRm).noquote() << "terminate signal failed:" << r.error().message;
            deleteShell();
        });
    };
    if (!interrupt) {
        terminate();
        return;
    }
    m_shell->signal(m_commandId, ns::signal::ctrlC, timeout, [terminate](Result<void> r) {
        if (!r)
            qCDebug(lcWinRm).noquote() << "ctrl_c signal failed:" << r.error().message;
        terminate();
    });
}

void RemoteCommand::deleteShell()
{
    m_shell->deleteShell(m_settings.cleanupTimeout, [this](Result<void> r) {
        m_result.shellDeleted = r.has_value();
        if (!r)
            qCWarning(lcWinRm).noquote()
                << "could not delete the shell on" << m_settings.host << ":" << r.error().message;
        complete();
    });
}

void RemoteCommand::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_cleanupTimer.stop();
    m_result.stdoutText = m_stdout.text();
    m_result.stderrText = m_stderrIsClixml ? clixml::toText(m_stderr.text()) : m_stderr.text();
    emit finished(m_result);
}

} // namespace aetherv::winrm
