#include "wsmanmessage.h"

#include <QRegularExpression>
#include <QXmlStreamReader>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

using Kind = WsmanParseError::Kind;

std::unexpected<WsmanParseError> parseError(Kind kind, QString message, QString messageId = {})
{
    return std::unexpected(WsmanParseError{kind, std::move(message), std::move(messageId)});
}

bool is(const QXmlStreamReader &xml, const char16_t *ns, QStringView name)
{
    return xml.namespaceUri() == QStringView(ns) && xml.name() == name;
}

WsmanRequest::Operation operationOf(const QString &action)
{
    using Op = WsmanRequest::Operation;
    static const QMap<QString, Op> actions = {
        {u"http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"_s, Op::Create},
        {u"http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"_s, Op::Delete},
        {u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command"_s, Op::Command},
        {u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send"_s, Op::Send},
        {u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive"_s, Op::Receive},
        {u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal"_s, Op::Signal},
    };
    return actions.value(action, Op::Unknown);
}

} // namespace

qint64 parseDurationMs(const QString &text)
{
    static const QRegularExpression re(
        u"^P(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$"_s);
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch() || text.trimmed() == u"P" || text.trimmed() == u"PT")
        return -1;
    const double seconds = m.captured(1).toDouble() * 86400 + m.captured(2).toDouble() * 3600
                           + m.captured(3).toDouble() * 60 + m.captured(4).toDouble();
    return qint64(seconds * 1000.0 + 0.5);
}

std::expected<WsmanRequest, WsmanParseError> parseWsmanRequest(const QByteArray &bytes)
{
    WsmanRequest request;
    QXmlStreamReader xml(bytes);
    bool sawEnvelope = false;
    bool inHeader = false;
    bool inBody = false;
    QString duration;

    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (is(xml, wsman::soapNs, u"Header"))
                inHeader = false;
            else if (is(xml, wsman::soapNs, u"Body"))
                inBody = false;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        if (!sawEnvelope) {
            if (!is(xml, wsman::soapNs, u"Envelope"))
                return parseError(Kind::NotSoap, u"The root element is not a SOAP 1.2 Envelope."_s);
            sawEnvelope = true;
            continue;
        }
        if (is(xml, wsman::soapNs, u"Header")) {
            inHeader = true;
            continue;
        }
        if (is(xml, wsman::soapNs, u"Body")) {
            inBody = true;
            continue;
        }
        if (inHeader) {
            const auto ns = xml.namespaceUri();
            const auto name = xml.name();
            if (ns == QStringView(wsman::addressingNs) && name == u"Action") {
                request.action = xml.readElementText().trimmed();
            } else if (ns == QStringView(wsman::addressingNs) && name == u"MessageID") {
                request.messageId = xml.readElementText().trimmed();
            } else if (ns == QStringView(wsman::wsmanNs) && name == u"ResourceURI") {
                request.resourceUri = xml.readElementText().trimmed();
            } else if (ns == QStringView(wsman::wsmanNs) && name == u"MaxEnvelopeSize") {
                bool ok = false;
                request.maxEnvelopeSize = xml.readElementText().trimmed().toLongLong(&ok);
                if (!ok || request.maxEnvelopeSize <= 0)
                    return parseError(Kind::InvalidHeader,
                                      u"MaxEnvelopeSize is not a positive number."_s,
                                      request.messageId);
            } else if (ns == QStringView(wsman::wsmanNs) && name == u"OperationTimeout") {
                duration = xml.readElementText().trimmed();
                const qint64 ms = parseDurationMs(duration);
                if (ms < 0)
                    return parseError(Kind::InvalidHeader,
                                      u"OperationTimeout is not a valid positive xs:duration: "_s
                                          + duration,
                                      request.messageId);
                request.operationTimeoutMs
                    = int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
            } else if (ns == QStringView(wsman::wsmanNs) && name == u"Selector") {
                const QString selector = xml.attributes().value(u"Name"_s).toString();
                const QString value = xml.readElementText().trimmed();
                if (selector.compare(u"ShellId"_s, Qt::CaseInsensitive) == 0)
                    request.shellId = value;
            } else if (ns == QStringView(wsman::wsmanNs) && name == u"Option") {
                const QString option = xml.attributes().value(u"Name"_s).toString();
                request.options.insert(option, xml.readElementText().trimmed());
            }
            continue;
        }
        if (!inBody)
            continue;
        const auto attrs = xml.attributes();
        if (xml.namespaceUri() != QStringView(wsman::shellNs))
            continue;
        const auto name = xml.name();
        if (name == u"Shell") {
            request.requestedShellId = attrs.value(u"ShellId"_s).toString();
        } else if (name == u"WorkingDirectory") {
            request.workingDirectory = xml.readElementText().trimmed();
        } else if (name == u"Variable") {
            const QString var = attrs.value(u"Name"_s).toString();
            request.environment.insert(var, xml.readElementText());
        } else if (name == u"CommandLine") {
            request.commandId = attrs.value(u"CommandId"_s).toString();
        } else if (name == u"Command") {
            request.command = xml.readElementText().trimmed();
        } else if (name == u"Arguments") {
            request.arguments << xml.readElementText();
        } else if (name == u"DesiredStream") {
            request.commandId = attrs.value(u"CommandId"_s).toString();
            request.desiredStreams = xml.readElementText().split(u' ', Qt::SkipEmptyParts);
        } else if (name == u"Stream") {
            request.commandId = attrs.value(u"CommandId"_s).toString();
            const QString streamName = attrs.value(u"Name"_s).toString();
            const bool end = attrs.value(u"End"_s).compare(u"true"_s, Qt::CaseInsensitive) == 0;
            const QByteArray text = xml.readElementText().trimmed().toLatin1();
            auto decoded
                = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return parseError(Kind::InvalidBody, u"The stdin stream is not valid base64."_s,
                                  request.messageId);
            if (streamName != u"stdin")
                return parseError(Kind::InvalidBody, u"Send only accepts the stdin stream."_s,
                                  request.messageId);
            request.stdinData += decoded.decoded;
            request.stdinEnd = request.stdinEnd || end;
        } else if (name == u"Signal") {
            request.commandId = attrs.value(u"CommandId"_s).toString();
        } else if (name == u"Code") {
            request.signalCode = xml.readElementText().trimmed();
        }
    }
    if (xml.hasError())
        return parseError(Kind::MalformedXml, xml.errorString(), request.messageId);
    if (!sawEnvelope)
        return parseError(Kind::NotSoap, u"The request holds no SOAP envelope."_s);
    if (request.action.isEmpty() || request.messageId.isEmpty())
        return parseError(Kind::MissingHeader, u"Action and MessageID headers are required."_s,
                          request.messageId);
    request.operation = operationOf(request.action);
    return request;
}

} // namespace aetherv::hostsim
