#include "shellservice.h"

#include "hostsimlog.h"
#include "powershellcommandline.h"
#include "workerpool.h"

#include <QUuid>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {
constexpr int ctrlCExitCode = -1073741510; // STATUS_CONTROL_C_EXIT
const QString signalPrefix = u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/"_s;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper();
}
} // namespace

struct ShellService::Command
{
    QString id;
    quint64 job = 0;
    bool running = false;
    bool exited = false;
    int exitCode = 0;
    QByteArray stdoutData;
    QByteArray stderrData;
    // The parked Receive, if any.
    Reply pending;
    QString pendingMessageId;
    qint64 pendingBudget = 0;
    QTimer timer;
    // The last delivered Receive, resent when a client repeats the same MessageID.
    QString lastMessageId;
    QByteArray lastReply;
};

struct ShellService::Shell
{
    QString id;
    QString owner;
    QString workingDirectory;
    QMap<QString, QString> environment;
    QHash<QString, std::shared_ptr<Command>> commands; // by upper-case CommandId
};

ShellService::ShellService(QString hostName, QString rootDir, WorkerPool *pool, Limits limits,
                           QObject *parent)
    : QObject(parent)
    , m_host(std::move(hostName))
    , m_root(std::move(rootDir))
    , m_pool(pool)
    , m_limits(limits)
{}

ShellService::~ShellService()
{
    const auto ids = m_shells.keys();
    for (const QString &id : ids)
        removeShell(id);
}

int ShellService::commandCount() const
{
    int count = 0;
    for (const auto &shell : m_shells)
        count += int(shell->commands.size());
    return count;
}

void ShellService::replyFault(const Reply &reply, const WsmanFault &fault, const QString &relatesTo)
{
    reply(500, wsmanreply::fault(fault, relatesTo, m_host));
}

void ShellService::handle(const WsmanRequest &request, const Caller &caller, Reply reply)
{
    using Op = WsmanRequest::Operation;
    if (request.maxEnvelopeSize > 0 && request.maxEnvelopeSize < 8192)
        return replyFault(reply, wsmanfaults::envelopeLimit(request.maxEnvelopeSize),
                          request.messageId);
    if (request.operation == Op::Unknown)
        return replyFault(reply, wsmanfaults::actionNotSupported(request.action),
                          request.messageId);
    if (request.resourceUri.compare(QString::fromUtf16(wsman::cmdResourceUri), Qt::CaseInsensitive)
        != 0)
        return replyFault(reply, wsmanfaults::invalidResourceUri(request.resourceUri),
                          request.messageId);
    if (request.operation == Op::Create)
        return create(request, caller, reply);

    const auto it = m_shells.find(request.shellId.toUpper());
    // A shell belongs to the user who created it; others see it as absent, as on Windows.
    if (request.shellId.isEmpty() || it == m_shells.end()
        || (*it)->owner.compare(caller.user, Qt::CaseInsensitive) != 0)
        return replyFault(reply, wsmanfaults::invalidSelectors(request.shellId), request.messageId);
    Shell &shell = **it;
    switch (request.operation) {
    case Op::Delete:
        removeShell(shell.id.toUpper());
        reply(200,
              wsmanreply::empty(u"http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse"_s,
                                request.messageId));
        return;
    case Op::Command:
        return command(shell, request, reply);
    case Op::Send:
        return send(shell, request, reply);
    case Op::Receive:
        return receive(shell, request, reply);
    case Op::Signal:
        return signal(shell, request, reply);
    default:
        return replyFault(reply, wsmanfaults::actionNotSupported(request.action),
                          request.messageId);
    }
}

void ShellService::create(const WsmanRequest &request, const Caller &caller, const Reply &reply)
{
    int owned = 0;
    for (const auto &shell : std::as_const(m_shells))
        if (shell->owner.compare(caller.user, Qt::CaseInsensitive) == 0)
            ++owned;
    if (owned >= m_limits.maxShellsPerUser)
        return replyFault(reply, wsmanfaults::shellQuota(m_limits.maxShellsPerUser),
                          request.messageId);
    auto shell = std::make_shared<Shell>();
    shell->id = request.requestedShellId.isEmpty() ? newId() : request.requestedShellId;
    if (m_shells.contains(shell->id.toUpper()))
        return replyFault(reply, wsmanfaults::invalidParameter(u"The ShellId is already in use."_s),
                          request.messageId);
    shell->owner = caller.user;
    shell->workingDirectory = request.workingDirectory;
    shell->environment = request.environment;
    m_shells.insert(shell->id.toUpper(), shell);
    qCInfo(lcHostSim).noquote() << m_host << "shell" << shell->id << "created for" << caller.user;
    reply(200, wsmanreply::created(request.messageId, caller.endpoint, shell->id, caller.user,
                                   caller.clientIp));
}

void ShellService::removeShell(const QString &key)
{
    const auto shell = m_shells.take(key);
    if (!shell)
        return;
    for (const auto &cmd : std::as_const(shell->commands)) {
        cmd->timer.stop();
        if (cmd->running && m_pool)
            m_pool->discard(cmd->job);
        if (cmd->pending) {
            const Reply pending = std::exchange(cmd->pending, {});
            pending(500, wsmanreply::fault(wsmanfaults::invalidSelectors(shell->id),
                                           cmd->pendingMessageId, m_host));
        }
    }
    qCInfo(lcHostSim).noquote() << m_host << "shell" << shell->id << "deleted";
}

void ShellService::command(Shell &shell, const WsmanRequest &request, const Reply &reply)
{
    auto cmd = std::make_shared<Command>();
    cmd->id = request.commandId.isEmpty() ? newId() : request.commandId;
    if (shell.commands.contains(cmd->id.toUpper()))
        return replyFault(reply,
                          wsmanfaults::invalidParameter(u"The CommandId is already in use."_s),
                          request.messageId);
    cmd->timer.setSingleShot(true);
    std::weak_ptr<Command> weak = cmd;
    connect(&cmd->timer, &QTimer::timeout, this, [this, weak] {
        const auto c = weak.lock();
        if (!c || !c->pending)
            return;
        const Reply pending = std::exchange(c->pending, {});
        pending(500, wsmanreply::fault(wsmanfaults::timedOut(), c->pendingMessageId, m_host));
    });
    shell.commands.insert(cmd->id.toUpper(), cmd);

    const PowerShellInvocation inv = parsePowerShellCommandLine(request.command, request.arguments);
    if (inv.kind == PowerShellInvocation::Kind::NotRecognized
        || inv.kind == PowerShellInvocation::Kind::BadArguments || !m_pool) {
        cmd->stderrData = inv.errorText.toUtf8();
        cmd->exited = true;
        cmd->exitCode = inv.exitCode;
    } else {
        const QString user = shell.owner.contains(u'\\') ? shell.owner.section(u'\\', 1)
                                                         : shell.owner.section(u'@', 0, 0);
        const QString domain = shell.owner.contains(u'\\') ? shell.owner.section(u'\\', 0, 0)
                                                           : shell.owner.section(u'@', 1);
        WorkerCommand wc;
        wc.host = m_host;
        wc.root = m_root;
        wc.user = user;
        wc.domain = domain.isEmpty() ? m_host : domain;
        wc.fromStdin = inv.kind == PowerShellInvocation::Kind::Stdin;
        wc.script = inv.script;
        wc.workingDirectory = shell.workingDirectory;
        wc.clixmlErrors = inv.clixmlErrors;
        wc.environment = {
            {u"COMPUTERNAME"_s, m_host},
            {u"USERNAME"_s, user},
            {u"USERDOMAIN"_s, wc.domain},
            {u"USERPROFILE"_s, u"C:\\Users\\"_s + user},
            {u"HOMEDRIVE"_s, u"C:"_s},
            {u"HOMEPATH"_s, u"\\Users\\"_s + user},
            {u"APPDATA"_s, u"C:\\Users\\"_s + user + u"\\AppData\\Roaming"_s},
            {u"LOCALAPPDATA"_s, u"C:\\Users\\"_s + user + u"\\AppData\\Local"_s},
            {u"TEMP"_s, u"C:\\Users\\"_s + user + u"\\AppData\\Local\\Temp"_s},
            {u"TMP"_s, u"C:\\Users\\"_s + user + u"\\AppData\\Local\\Temp"_s},
            {u"SystemDrive"_s, u"C:"_s},
            {u"SystemRoot"_s, u"C:\\Windows"_s},
            {u"windir"_s, u"C:\\Windows"_s},
            {u"ProgramFiles"_s, u"C:\\Program Files"_s},
            {u"ProgramW6432"_s, u"C:\\Program Files"_s},
            {u"ProgramFiles(x86)"_s, u"C:\\Program Files (x86)"_s},
            {u"ProgramData"_s, u"C:\\ProgramData"_s},
            {u"PUBLIC"_s, u"C:\\Users\\Public"_s},
            {u"ComSpec"_s, u"C:\\Windows\\system32\\cmd.exe"_s},
            {u"OS"_s, u"Windows_NT"_s},
            {u"PROCESSOR_ARCHITECTURE"_s, u"AMD64"_s},
            {u"NUMBER_OF_PROCESSORS"_s, u"2"_s},
            {u"PATHEXT"_s, u".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC;.CPL"_s},
            {u"Path"_s,
             u"C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"_s},
        };
        for (auto it = shell.environment.cbegin(); it != shell.environment.cend(); ++it)
            wc.environment.insert(it.key(), it.value());
        WorkerPool::Callbacks callbacks;
        callbacks.output = [this, weak](bool isStderr, const QByteArray &data) {
            const auto c = weak.lock();
            if (!c)
                return;
            (isStderr ? c->stderrData : c->stdoutData) += data;
            deliver(*c);
        };
        callbacks.finished = [this, weak](int exitCode) {
            const auto c = weak.lock();
            if (!c)
                return;
            c->running = false;
            c->exited = true;
            c->exitCode = exitCode;
            deliver(*c);
        };
        cmd->running = true;
        cmd->job = m_pool->startCommand(wc, std::move(callbacks));
    }
    reply(200, wsmanreply::commandResponse(request.messageId, cmd->id));
}

void ShellService::send(Shell &shell, const WsmanRequest &request, const Reply &reply)
{
    const auto cmd = shell.commands.value(request.commandId.toUpper());
    if (!cmd)
        return replyFault(reply, wsmanfaults::unknownCommand(request.commandId), request.messageId);
    if (cmd->running && m_pool)
        m_pool->sendStdin(cmd->job, request.stdinData, request.stdinEnd);
    reply(200, wsmanreply::sendResponse(request.messageId));
}

void ShellService::receive(Shell &shell, const WsmanRequest &request, const Reply &reply)
{
    if (request.commandId.isEmpty())
        return replyFault(reply, wsmanfaults::invalidParameter(u"Receive needs a CommandId."_s),
                          request.messageId);
    const auto cmd = shell.commands.value(request.commandId.toUpper());
    if (!cmd)
        return replyFault(reply, wsmanfaults::unknownCommand(request.commandId), request.messageId);
    if (!cmd->lastMessageId.isEmpty() && request.messageId == cmd->lastMessageId) {
        reply(200, cmd->lastReply); // a retried Receive gets the same answer again
        return;
    }
    if (cmd->pending) {
        // A newer Receive replaces an abandoned one (its connection went away).
        cmd->timer.stop();
        cmd->pending = {};
    }
    const qint64 envelope
        = request.maxEnvelopeSize > 0
              ? std::min<qint64>(request.maxEnvelopeSize, m_limits.maxEnvelopeKb * 1024LL)
              : m_limits.maxEnvelopeKb * 1024LL;
    cmd->pending = reply;
    cmd->pendingMessageId = request.messageId;
    cmd->pendingBudget = std::max<qint64>(1024, (envelope - 2048) * 3 / 4);
    const int timeout = request.operationTimeoutMs >= 0
                            ? std::min(request.operationTimeoutMs, m_limits.maxTimeoutMs)
                            : m_limits.maxTimeoutMs;
    cmd->timer.start(timeout);
    deliver(*cmd);
}

void ShellService::deliver(Command &cmd)
{
    if (!cmd.pending || (cmd.stdoutData.isEmpty() && cmd.stderrData.isEmpty() && !cmd.exited))
        return;
    qint64 budget = cmd.pendingBudget;
    const qsizetype outTake = qsizetype(std::min<qint64>(budget, cmd.stdoutData.size()));
    budget -= outTake;
    const qsizetype errTake = qsizetype(std::min<qint64>(budget, cmd.stderrData.size()));
    QList<wsmanreply::StreamChunk> chunks;
    if (outTake > 0)
        chunks.append({u"stdout"_s, cmd.stdoutData.left(outTake), false});
    if (errTake > 0)
        chunks.append({u"stderr"_s, cmd.stderrData.left(errTake), false});
    const bool done
        = cmd.exited && outTake == cmd.stdoutData.size() && errTake == cmd.stderrData.size();
    if (done) {
        chunks.append({u"stdout"_s, {}, true});
        chunks.append({u"stderr"_s, {}, true});
    }
    const QByteArray xml
        = wsmanreply::receiveResponse(cmd.pendingMessageId, cmd.id, chunks, done, cmd.exitCode);
    cmd.timer.stop();
    const Reply reply = std::exchange(cmd.pending, {});
    if (!reply(200, xml))
        return; // not delivered: the output stays for the next Receive
    cmd.stdoutData.remove(0, outTake);
    cmd.stderrData.remove(0, errTake);
    cmd.lastMessageId = cmd.pendingMessageId;
    cmd.lastReply = xml;
}

void ShellService::signal(Shell &shell, const WsmanRequest &request, const Reply &reply)
{
    const QString key = request.commandId.toUpper();
    const auto cmd = shell.commands.value(key);
    if (!cmd)
        return replyFault(reply, wsmanfaults::unknownCommand(request.commandId), request.messageId);
    const QString code = request.signalCode.startsWith(signalPrefix, Qt::CaseInsensitive)
                             ? request.signalCode.mid(signalPrefix.size()).toLower()
                             : request.signalCode.toLower();
    if (code == u"terminate") {
        cmd->timer.stop();
        if (cmd->running && m_pool)
            m_pool->discard(cmd->job);
        if (cmd->pending) {
            const Reply pending = std::exchange(cmd->pending, {});
            pending(500, wsmanreply::fault(wsmanfaults::unknownCommand(cmd->id),
                                           cmd->pendingMessageId, m_host));
        }
        shell.commands.remove(key);
    } else if (code == u"ctrl_c" || code == u"ctrl_break") {
        if (cmd->running && m_pool)
            m_pool->stop(cmd->job, ctrlCExitCode);
    } else {
        return replyFault(
            reply, wsmanfaults::invalidParameter(u"Unknown signal code "_s + request.signalCode),
            request.messageId);
    }
    reply(200, wsmanreply::signalResponse(request.messageId));
}

} // namespace aetherv::hostsim
