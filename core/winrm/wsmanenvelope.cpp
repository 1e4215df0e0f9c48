#include "core/winrm/wsmanenvelope.h"

#include "core/winrm/wsmannamespaces.h"

#include <QUuid>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <functional>

namespace aetherv::winrm {

namespace {

QString durationText(int ms)
{
    return QStringLiteral("PT%1.%2S").arg(ms / 1000).arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_xml(out)
    {
        m_xml.writeNamespace(ns::soap, QStringLiteral("s"));
        m_xml.writeNamespace(ns::addressing, QStringLiteral("a"));
        m_xml.writeNamespace(ns::wsman, QStringLiteral("w"));
        m_xml.writeNamespace(ns::msWsman, QStringLiteral("p"));
        m_xml.writeNamespace(ns::shell, QStringLiteral("rsp"));
        m_xml.writeStartElement(ns::soap, QStringLiteral("Envelope"));
    }

    void header(const RequestHeader &h, const QString &action,
                const QList<QPair<QString, QString>> &options = {})
    {
        m_xml.writeStartElement(ns::soap, QStringLiteral("Header"));
        m_xml.writeTextElement(ns::addressing, QStringLiteral("To"), h.to);
        m_xml.writeStartElement(ns::addressing, QStringLiteral("ReplyTo"));
        m_xml.writeStartElement(ns::addressing, QStringLiteral("Address"));
        mustUnderstand(true);
        m_xml.writeCharacters(ns::anonymous);
        m_xml.writeEndElement();
        m_xml.writeEndElement();
        m_xml.writeStartElement(ns::addressing, QStringLiteral("Action"));
        mustUnderstand(true);
        m_xml.writeCharacters(action);
        m_xml.writeEndElement();
        m_xml.writeTextElement(ns::addressing, QStringLiteral("MessageID"),
                               h.messageId.isEmpty() ? WsmanEnvelope::newMessageId() : h.messageId);
        m_xml.writeStartElement(ns::wsman, QStringLiteral("ResourceURI"));
        mustUnderstand(true);
        m_xml.writeCharacters(h.resourceUri.isEmpty() ? ns::cmdResource : h.resourceUri);
        m_xml.writeEndElement();
        m_xml.writeStartElement(ns::wsman, QStringLiteral("MaxEnvelopeSize"));
        mustUnderstand(true);
        m_xml.writeCharacters(QString::number(h.maxEnvelopeSize));
        m_xml.writeEndElement();
        m_xml.writeTextElement(ns::wsman, QStringLiteral("OperationTimeout"),
                               durationText(h.operationTimeoutMs));
        m_xml.writeStartElement(ns::wsman, QStringLiteral("Locale"));
        m_xml.writeAttribute(ns::xml, QStringLiteral("lang"), h.locale);
        mustUnderstand(false);
        m_xml.writeEndElement();
        m_xml.writeStartElement(ns::msWsman, QStringLiteral("DataLocale"));
        m_xml.writeAttribute(ns::xml, QStringLiteral("lang"), h.locale);
        mustUnderstand(false);
        m_xml.writeEndElement();
        if (!h.shellId.isEmpty()) {
            m_xml.writeStartElement(ns::wsman, QStringLiteral("SelectorSet"));
            m_xml.writeStartElement(ns::wsman, QStringLiteral("Selector"));
            m_xml.writeAttribute(QStringLiteral("Name"), QStringLiteral("ShellId"));
            m_xml.writeCharacters(h.shellId);
            m_xml.writeEndElement();
            m_xml.writeEndElement();
        }
        if (!options.isEmpty()) {
            m_xml.writeStartElement(ns::wsman, QStringLiteral("OptionSet"));
            for (const auto &[name, value] : options) {
                m_xml.writeStartElement(ns::wsman, QStringLiteral("Option"));
                m_xml.writeAttribute(QStringLiteral("Name"), name);
                m_xml.writeCharacters(value);
                m_xml.writeEndElement();
            }
            m_xml.writeEndElement();
        }
        m_xml.writeEndElement(); // Header
        m_xml.writeStartElement(ns::soap, QStringLiteral("Body"));
    }

    QXmlStreamWriter &xml() { return m_xml; }
    void finish()
    {
        m_xml.writeEndElement(); // Body
        m_xml.writeEndElement(); // Envelope
    }

private:
    void mustUnderstand(bool value)
    {
        m_xml.writeAttribute(ns::soap, QStringLiteral("mustUnderstand"),
                             value ? QStringLiteral("true") : QStringLiteral("false"));
    }

    QXmlStreamWriter m_xml;
};

QByteArray build(const RequestHeader &h, const QString &action,
                 const QList<QPair<QString, QString>> &options,
                 const std::function<void(QXmlStreamWriter &)> &body)
{
    QByteArray out;
    out.reserve(2048);
    {
        Writer w(&out);
        w.header(h, action, options);
        if (body)
            body(w.xml());
        w.finish();
    }
    return out;
}

QString localPart(const QString &qname)
{
    const qsizetype colon = qname.lastIndexOf(u':');
    return (colon >= 0 ? qname.mid(colon + 1) : qname).trimmed();
}

} // namespace

bool WsmanFault::isOperationTimeout() const
{
    return wsmanCode == ns::faultcode::operationTimedOut || subcode == u"TimedOut";
}

bool WsmanFault::isShellGone() const
{
    return wsmanCode == ns::faultcode::invalidSelectors || subcode == u"InvalidSelectors";
}

QString WsmanFault::text() const
{
    const QString m = message.simplified();
    return m.isEmpty() ? reason.simplified() : m;
}

QString WsmanEnvelope::newMessageId()
{
    return u"uuid:" + QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper();
}

QByteArray WsmanEnvelope::createShell(const RequestHeader &header, const ShellOptions &options)
{
    const QList<QPair<QString, QString>> opts{
        {QStringLiteral("WINRS_NOPROFILE"),
         options.noProfile ? QStringLiteral("TRUE") : QStringLiteral("FALSE")},
        {QStringLiteral("WINRS_CODEPAGE"), QString::number(options.codePage)}};
    return build(header, ns::action::create, opts, [&](QXmlStreamWriter &x) {
        x.writeStartElement(ns::shell, QStringLiteral("Shell"));
        x.writeTextElement(ns::shell, QStringLiteral("InputStreams"), QStringLiteral("stdin"));
        x.writeTextElement(ns::shell, QStringLiteral("OutputStreams"),
                           QStringLiteral("stdout stderr"));
        if (!options.workingDirectory.isEmpty())
            x.writeTextElement(ns::shell, QStringLiteral("WorkingDirectory"),
                               options.workingDirectory);
        if (!options.environment.isEmpty()) {
            x.writeStartElement(ns::shell, QStringLiteral("Environment"));
            for (const auto &[name, value] : options.environment) {
                x.writeStartElement(ns::shell, QStringLiteral("Variable"));
                x.writeAttribute(QStringLiteral("Name"), name);
                x.writeCharacters(value);
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        if (options.idleTimeoutSeconds > 0)
            x.writeTextElement(ns::shell, QStringLiteral("IdleTimeOut"),
                               durationText(options.idleTimeoutSeconds * 1000));
        x.writeEndElement();
    });
}

QByteArray WsmanEnvelope::command(const RequestHeader &header, const QString &command,
                                  const QStringList &arguments, bool consoleModeStdin)
{
    const QList<QPair<QString, QString>> opts{
        {QStringLiteral("WINRS_CONSOLEMODE_STDIN"),
         consoleModeStdin ? QStringLiteral("TRUE") : QStringLiteral("FALSE")},
        {QStringLiteral("WINRS_SKIP_CMD_SHELL"), QStringLiteral("FALSE")}};
    return build(header, ns::action::command, opts, [&](QXmlStreamWriter &x) {
        x.writeStartElement(ns::shell, QStringLiteral("CommandLine"));
        x.writeTextElement(ns::shell, QStringLiteral("Command"), command);
        for (const QString &arg : arguments)
            x.writeTextElement(ns::shell, QStringLiteral("Arguments"), arg);
        x.writeEndElement();
    });
}

QByteArray WsmanEnvelope::send(const RequestHeader &header, const QString &commandId,
                               const QByteArray &data, bool end)
{
    return build(header, ns::action::send, {}, [&](QXmlStreamWriter &x) {
        x.writeStartElement(ns::shell, QStringLiteral("Send"));
        x.writeStartElement(ns::shell, QStringLiteral("Stream"));
        x.writeAttribute(QStringLiteral("Name"), QStringLiteral("stdin"));
        x.writeAttribute(QStringLiteral("CommandId"), commandId);
        if (end)
            x.writeAttribute(QStringLiteral("End"), QStringLiteral("true"));
        x.writeCharacters(QString::fromLatin1(data.toBase64()));
        x.writeEndElement();
        x.writeEndElement();
    });
}

QByteArray WsmanEnvelope::receive(const RequestHeader &header, const QString &commandId)
{
    const QList<QPair<QString, QString>> opts{
        {QStringLiteral("WSMAN_CMDSHELL_OPTION_KEEPALIVE"), QStringLiteral("TRUE")}};
    return build(header, ns::action::receive, opts, [&](QXmlStreamWriter &x) {
        x.writeStartElement(ns::shell, QStringLiteral("Receive"));
        x.writeStartElement(ns::shell, QStringLiteral("DesiredStream"));
        x.writeAttribute(QStringLiteral("CommandId"), commandId);
        x.writeCharacters(QStringLiteral("stdout stderr"));
        x.writeEndElement();
        x.writeEndElement();
    });
}

QByteArray WsmanEnvelope::signal(const RequestHeader &header, const QString &commandId,
                                 const QString &code)
{
    return build(header, ns::action::signal, {}, [&](QXmlStreamWriter &x) {
        x.writeStartElement(ns::shell, QStringLiteral("Signal"));
        x.writeAttribute(QStringLiteral("CommandId"), commandId);
        x.writeTextElement(ns::shell, QStringLiteral("Code"), code);
        x.writeEndElement();
    });
}

QByteArray WsmanEnvelope::deleteShell(const RequestHeader &header)
{
    return build(header, ns::action::del, {}, {});
}

qsizetype WsmanEnvelope::sendOverhead(const RequestHeader &header, const QString &commandId)
{
    RequestHeader h = header;
    if (h.messageId.isEmpty())
        h.messageId = newMessageId();
    return send(h, commandId, {}, true).size();
}

qsizetype WsmanEnvelope::maxSendPayload(const RequestHeader &header, const QString &commandId)
{
    // Room left in the envelope after headers and a margin for the HTTP/encryption framing that
    // some servers count against the limit; base64 turns 3 bytes into 4.
    constexpr qsizetype margin = 1024;
    const qsizetype room = header.maxEnvelopeSize - sendOverhead(header, commandId) - margin;
    const qsizetype payload = (room / 4) * 3;
    return std::max<qsizetype>(payload, 1024);
}

Result<WsmanReply> WsmanEnvelope::parse(const QByteArray &xml)
{
    WsmanReply reply;
    QXmlStreamReader r(xml);
    bool sawEnvelope = false;
    bool inFault = false;
    bool inSubcode = false;
    bool inResourceCreated = false;
    WsmanFault fault;

    auto protocolError = [](const QString &what) {
        return fail(
            ErrorCode::Protocol,
            QStringLiteral("the host's WS-Management reply could not be read (%1)").arg(what));
    };

    while (!r.atEnd()) {
        const auto token = r.readNext();
        if (token == QXmlStreamReader::DTD)
            return protocolError(QStringLiteral("document type declarations are not accepted"));
        if (token == QXmlStreamReader::EndElement) {
            const auto name = r.name();
            const auto uri = r.namespaceUri();
            if (uri == ns::soap && name == u"Fault")
                inFault = false;
            else if (uri == ns::soap && name == u"Subcode")
                inSubcode = false;
            else if (uri == ns::transfer && name == u"ResourceCreated")
                inResourceCreated = false;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;

        const auto name = r.name();
        const auto uri = r.namespaceUri();
        if (uri == ns::soap && name == u"Envelope") {
            sawEnvelope = true;
        } else if (uri == ns::addressing && name == u"Action") {
            reply.action = r.readElementText().trimmed();
        } else if (uri == ns::addressing && name == u"RelatesTo") {
            reply.relatesTo = r.readElementText().trimmed();
        } else if (uri == ns::soap && name == u"Fault") {
            inFault = true;
            reply.fault = WsmanFault{};
        } else if (inFault && uri == ns::soap && name == u"Subcode") {
            inSubcode = true;
        } else if (inFault && uri == ns::soap && name == u"Value") {
            const QString value = localPart(r.readElementText());
            if (inSubcode)
                fault.subcode = value;
            else
                fault.code = value;
        } else if (inFault && uri == ns::soap && name == u"Text") {
            if (fault.reason.isEmpty())
                fault.reason = r.readElementText().trimmed();
        } else if (inFault && uri == ns::wsmanFault && name == u"WSManFault") {
            // Nested WSManFault elements: keep the outermost code and machine.
            if (fault.wsmanCode == 0)
                fault.wsmanCode
                    = r.attributes().value(QLatin1String("Code")).toString().trimmed().toUInt();
            if (fault.machine.isEmpty())
                fault.machine = r.attributes().value(QLatin1String("Machine")).toString().trimmed();
        } else if (inFault && uri == ns::wsmanFault && name == u"Message") {
            if (fault.message.isEmpty())
                fault.message = r.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        } else if (uri == ns::transfer && name == u"ResourceCreated") {
            inResourceCreated = true;
        } else if (inResourceCreated && uri == ns::wsman && name == u"Selector") {
            if (r.attributes().value(QLatin1String("Name")) == u"ShellId")
                reply.shellId = r.readElementText().trimmed();
        } else if (uri == ns::shell && name == u"ShellId") {
            if (reply.shellId.isEmpty())
                reply.shellId = r.readElementText().trimmed();
        } else if (uri == ns::shell && name == u"CommandId") {
            reply.commandId = r.readElementText().trimmed();
        } else if (uri == ns::shell && name == u"Stream") {
            StreamChunk chunk;
            const auto attrs = r.attributes();
            chunk.name = attrs.value(QLatin1String("Name")).toString();
            chunk.commandId = attrs.value(QLatin1String("CommandId")).toString();
            chunk.end
                = attrs.value(QLatin1String("End")).compare(u"true", Qt::CaseInsensitive) == 0;
            const QByteArray text = r.readElementText().trimmed().toLatin1();
            if (!text.isEmpty()) {
                auto decoded
                    = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded)
                    return protocolError(
                        QStringLiteral("invalid base64 in stream %1").arg(chunk.name));
                chunk.data = *decoded;
            }
            reply.streams.append(chunk);
        } else if (uri == ns::shell && name == u"CommandState") {
            const QString state = r.attributes().value(QLatin1String("State")).toString().trimmed();
            if (state == ns::commandStateDone || state.endsWith(u"/Done"))
                reply.commandDone = true;
        } else if (uri == ns::shell && name == u"ExitCode") {
            bool ok = false;
            const qint64 code = r.readElementText().trimmed().toLongLong(&ok);
            if (ok)
                reply.exitCode = code;
        }
    }
    if (r.hasError())
        return protocolError(r.errorString());
    if (!sawEnvelope)
        return protocolError(QStringLiteral("no SOAP envelope"));
    if (reply.fault)
        reply.fault = fault;
    return reply;
}

} // namespace aetherv::winrm
