#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

// Building WS-Management shell requests (QXmlStreamWriter) and parsing replies
// (QXmlStreamReader, by namespace URI) for the Text-based Command Shell of MS-WSMV.
namespace aetherv::winrm {

struct RequestHeader
{
    QString to;          // endpoint URL
    QString messageId;   // "uuid:..."; generated when empty
    QString resourceUri; // defaults to the cmd shell
    QString shellId;     // selector for every operation after Create
    qint64 maxEnvelopeSize = 153600;
    int operationTimeoutMs = 20000;
    QString locale = QStringLiteral("en-US");
};

struct ShellOptions
{
    QString workingDirectory;
    QList<QPair<QString, QString>> environment;
    int codePage = 65001;
    bool noProfile = true;
    int idleTimeoutSeconds = 0; // 0: server default
};

struct WsmanFault
{
    QString code;          // s:Code/s:Value local name (Sender, Receiver)
    QString subcode;       // s:Subcode/s:Value local name (TimedOut, InvalidSelectors, ...)
    QString reason;        // s:Reason/s:Text
    quint32 wsmanCode = 0; // f:WSManFault@Code
    QString machine;       // f:WSManFault@Machine
    QString message;       // f:Message text, provider fault included

    bool isOperationTimeout() const;
    bool isShellGone() const;
    QString text() const; // the most informative human text
};

struct StreamChunk
{
    QString name;
    QString commandId;
    QByteArray data; // decoded base64
    bool end = false;
};

struct WsmanReply
{
    QString action;
    QString relatesTo;
    std::optional<WsmanFault> fault;
    QString shellId;   // Create
    QString commandId; // Command
    QList<StreamChunk> streams;
    bool commandDone = false;
    std::optional<qint64> exitCode;
};

class WsmanEnvelope
{
public:
    static QString newMessageId();

    static QByteArray createShell(const RequestHeader &header, const ShellOptions &options);
    static QByteArray command(const RequestHeader &header, const QString &command,
                              const QStringList &arguments, bool consoleModeStdin);
    static QByteArray send(const RequestHeader &header, const QString &commandId,
                           const QByteArray &data, bool end);
    static QByteArray receive(const RequestHeader &header, const QString &commandId);
    static QByteArray signal(const RequestHeader &header, const QString &commandId,
                             const QString &code);
    static QByteArray deleteShell(const RequestHeader &header);

    // Size of a Send envelope with an empty payload, for chunk sizing.
    static qsizetype sendOverhead(const RequestHeader &header, const QString &commandId);
    // Raw stdin bytes per Send so the request stays within maxEnvelopeSize (base64 + headers +
    // a safety margin), never below 1 KiB.
    static qsizetype maxSendPayload(const RequestHeader &header, const QString &commandId);

    static Result<WsmanReply> parse(const QByteArray &xml);
};

} // namespace aetherv::winrm
