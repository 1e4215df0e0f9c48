#include "core/winrm/winrmshell.h"

#include "core/winrm/winrmerrors.h"
#include "core/winrm/wsmannamespaces.h"

#include <QPointer>

namespace aetherv::winrm {

WinRmShell::WinRmShell(WsmanTransport *transport, const ConnectionSettings &settings,
                       QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_settings(settings)
{}

RequestHeader WinRmShell::header(const QString &resourceUri) const
{
    RequestHeader h;
    h.to = m_settings.url().toString();
    h.messageId = WsmanEnvelope::newMessageId();
    h.resourceUri = resourceUri.isEmpty() ? ns::cmdResource : resourceUri;
    h.shellId = m_shellId;
    h.maxEnvelopeSize = m_settings.maxEnvelopeSize;
    h.operationTimeoutMs = static_cast<int>(m_settings.operationTimeout.count());
    return h;
}

qsizetype WinRmShell::sendChunkSize(const QString &commandId) const
{
    return WsmanEnvelope::maxSendPayload(header(), commandId);
}

void WinRmShell::abort()
{
    ++m_generation;
    m_busy = false;
    m_transport->abort();
}

void WinRmShell::exchange(const QByteArray &envelope, const QString &messageId, bool repeatable,
                          std::chrono::milliseconds timeout, const QString &operation,
                          ReplyHandler handler)
{
    const quint64 generation = m_generation;
    QPointer<WinRmShell> self(this);
    m_busy = true;
    m_transport->send(
        envelope, repeatable, timeout,
        [self, generation, messageId, operation,
         handler = std::move(handler)](Result<QByteArray> body) {
            if (!self || generation != self->m_generation)
                return;
            self->m_busy = false;
            if (!body) {
                handler(std::unexpected(body.error()));
                return;
            }
            auto reply = WsmanEnvelope::parse(*body);
            if (!reply) {
                handler(std::unexpected(reply.error()));
                return;
            }
            if (!reply->relatesTo.isEmpty() && reply->relatesTo != messageId) {
                handler(fail(ErrorCode::Protocol,
                             QStringLiteral("the host's reply to %1 belongs to another request "
                                            "(RelatesTo mismatch); the exchange is not trusted")
                                 .arg(operation),
                             reply->relatesTo));
                return;
            }
            handler(std::move(*reply));
        });
}

void WinRmShell::create(const ShellOptions &options, std::function<void(Result<QString>)> done)
{
    RequestHeader h = header();
    h.shellId.clear();
    exchange(WsmanEnvelope::createShell(h, options), h.messageId, false,
             m_settings.effectiveReadTimeout(), QStringLiteral("Create"),
             [this, done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 if (reply->fault)
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Create"))));
                 if (reply->shellId.isEmpty())
                     return done(
                         fail(ErrorCode::Protocol,
                              QStringLiteral("the host created a shell but sent no ShellId")));
                 m_shellId = reply->shellId;
                 done(m_shellId);
             });
}

void WinRmShell::command(const QString &command, const QStringList &arguments,
                         bool consoleModeStdin, std::function<void(Result<QString>)> done)
{
    const RequestHeader h = header();
    exchange(WsmanEnvelope::command(h, command, arguments, consoleModeStdin), h.messageId, false,
             m_settings.effectiveReadTimeout(), QStringLiteral("Command"),
             [done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 if (reply->fault)
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Command"))));
                 if (reply->commandId.isEmpty())
                     return done(
                         fail(ErrorCode::Protocol,
                              QStringLiteral("the host started a command but sent no CommandId")));
                 done(reply->commandId);
             });
}

void WinRmShell::send(const QString &commandId, const QByteArray &data, bool end,
                      std::function<void(Result<void>)> done)
{
    const RequestHeader h = header();
    exchange(WsmanEnvelope::send(h, commandId, data, end), h.messageId, false,
             m_settings.effectiveReadTimeout(), QStringLiteral("Send"),
             [done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 if (reply->fault)
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Send"))));
                 done({});
             });
}

void WinRmShell::receive(const QString &commandId, std::function<void(Result<ReceiveResult>)> done)
{
    const RequestHeader h = header();
    exchange(WsmanEnvelope::receive(h, commandId), h.messageId, true,
             m_settings.effectiveReadTimeout(), QStringLiteral("Receive"),
             [commandId, done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 ReceiveResult result;
                 if (reply->fault) {
                     if (reply->fault->isOperationTimeout()) {
                         result.timedOut = true;
                         return done(result);
                     }
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Receive"))));
                 }
                 for (const StreamChunk &chunk : reply->streams) {
                     if (chunk.commandId.isEmpty() || chunk.commandId == commandId)
                         result.streams.append(chunk);
                 }
                 result.done = reply->commandDone;
                 result.exitCode = reply->exitCode;
                 done(result);
             });
}

void WinRmShell::signal(const QString &commandId, const QString &code,
                        std::chrono::milliseconds timeout, std::function<void(Result<void>)> done)
{
    const RequestHeader h = header();
    exchange(WsmanEnvelope::signal(h, commandId, code), h.messageId, true, timeout,
             QStringLiteral("Signal"), [done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 // A command that already ended answers "not found" or "aborted": nothing to stop.
                 if (reply->fault && !reply->fault->isShellGone()
                     && reply->fault->wsmanCode != ns::faultcode::operationAborted)
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Signal"))));
                 done({});
             });
}

void WinRmShell::deleteShell(std::chrono::milliseconds timeout,
                             std::function<void(Result<void>)> done)
{
    const RequestHeader h = header();
    exchange(WsmanEnvelope::deleteShell(h), h.messageId, true, timeout, QStringLiteral("Delete"),
             [this, done = std::move(done)](Result<WsmanReply> reply) {
                 if (!reply)
                     return done(std::unexpected(reply.error()));
                 if (reply->fault && !reply->fault->isShellGone())
                     return done(
                         std::unexpected(errors::fault(*reply->fault, QStringLiteral("Delete"))));
                 m_shellId.clear();
                 done({});
             });
}

} // namespace aetherv::winrm
