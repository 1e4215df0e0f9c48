#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace aetherv::hostsim {

namespace wsman {
inline constexpr char16_t soapNs[] = u"http://www.w3.org/2003/05/soap-envelope";
inline constexpr char16_t addressingNs[] = u"http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr char16_t wsmanNs[] = u"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
inline constexpr char16_t msWsmanNs[] = u"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
inline constexpr char16_t shellNs[] = u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
inline constexpr char16_t transferNs[] = u"http://schemas.xmlsoap.org/ws/2004/09/transfer";
inline constexpr char16_t faultNs[] = u"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
inline constexpr char16_t cmdResourceUri[]
    = u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
} // namespace wsman

// One WS-Man request as the simulator understands it, read by namespace URI (never by prefix).
struct WsmanRequest
{
    enum class Operation { Unknown, Create, Delete, Command, Send, Receive, Signal };

    Operation operation = Operation::Unknown;
    QString action;
    QString messageId;
    QString resourceUri;
    QString shellId;                // SelectorSet ShellId
    qint64 maxEnvelopeSize = 0;     // 0: not given
    int operationTimeoutMs = -1;    // -1: not given
    QMap<QString, QString> options; // OptionSet, names as sent

    // Create
    QString workingDirectory;
    QMap<QString, QString> environment;
    QString requestedShellId;
    // Command
    QString command;
    QStringList arguments;
    // Command (client-chosen id), Send, Receive, Signal
    QString commandId;
    // Send
    QByteArray stdinData;
    bool stdinEnd = false;
    // Receive
    QStringList desiredStreams;
    // Signal
    QString signalCode;
};

// What went wrong while reading a request; mapped to the matching WS-Man fault by the caller.
struct WsmanParseError
{
    enum class Kind { MalformedXml, NotSoap, MissingHeader, InvalidHeader, InvalidBody };
    Kind kind = Kind::MalformedXml;
    QString message;
    QString messageId; // when it could be read, so the fault can relate to it
};

std::expected<WsmanRequest, WsmanParseError> parseWsmanRequest(const QByteArray &xml);

// xs:duration (PT20S, PT60.000S, P0DT0H1M0S) in milliseconds; -1 when invalid or negative.
qint64 parseDurationMs(const QString &text);

// A WS-Man fault as Windows shapes it (s:Fault with a WSManFault detail).
struct WsmanFault
{
    QString soapCode;  // "Sender" or "Receiver"
    QString subcodeNs; // namespace of the subcode QName
    QString subcode;   // local name, e.g. "TimedOut"
    QString reason;
    quint32 wsmanCode = 0;
    QString faultDetail; // optional w:FaultDetail URI
};

namespace wsmanfaults {
WsmanFault timedOut();
WsmanFault invalidSelectors(const QString &shellId);
WsmanFault unknownCommand(const QString &commandId);
WsmanFault malformed(const QString &detail);
WsmanFault invalidHeader(const QString &detail);
WsmanFault actionNotSupported(const QString &action);
WsmanFault invalidResourceUri(const QString &uri);
WsmanFault envelopeLimit(qint64 requested);
WsmanFault shellQuota(int maxShells);
WsmanFault accessDenied();
WsmanFault invalidParameter(const QString &detail);
} // namespace wsmanfaults

// Reply envelopes. Each writes a complete SOAP 1.2 envelope whose RelatesTo is the request's
// MessageID.
namespace wsmanreply {
QByteArray fault(const WsmanFault &fault, const QString &relatesTo, const QString &machine);
QByteArray created(const QString &relatesTo, const QString &endpoint, const QString &shellId,
                   const QString &owner, const QString &clientIp);
QByteArray empty(const QString &action, const QString &relatesTo);
QByteArray commandResponse(const QString &relatesTo, const QString &commandId);
QByteArray sendResponse(const QString &relatesTo);
QByteArray signalResponse(const QString &relatesTo);

struct StreamChunk
{
    QString name;
    QByteArray data;
    bool end = false;
};
QByteArray receiveResponse(const QString &relatesTo, const QString &commandId,
                           const QList<StreamChunk> &chunks, bool done, qint64 exitCode);
} // namespace wsmanreply

} // namespace aetherv::hostsim
