#include "wsmanmessage.h"

#include <QUuid>
#include <QXmlStreamWriter>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

const QString anonymous = u"http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"_s;
const QString shellAction = u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"_s;

// Writes <s:Envelope> with the prefixes Windows uses, the addressing headers, and calls body()
// inside <s:Body>.
template<typename Body>
QByteArray envelope(const QString &action, const QString &relatesTo, Body body)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.writeStartDocument();
    xml.writeNamespace(QString::fromUtf16(wsman::soapNs), u"s"_s);
    xml.writeNamespace(QString::fromUtf16(wsman::addressingNs), u"a"_s);
    xml.writeNamespace(QString::fromUtf16(wsman::transferNs), u"x"_s);
    xml.writeNamespace(QString::fromUtf16(wsman::wsmanNs), u"w"_s);
    xml.writeNamespace(QString::fromUtf16(wsman::shellNs), u"rsp"_s);
    xml.writeNamespace(QString::fromUtf16(wsman::msWsmanNs), u"p"_s);
    xml.writeStartElement(QString::fromUtf16(wsman::soapNs), u"Envelope"_s);
    xml.writeAttribute(u"xml:lang"_s, u"en-US"_s);
    xml.writeStartElement(QString::fromUtf16(wsman::soapNs), u"Header"_s);
    xml.writeTextElement(QString::fromUtf16(wsman::addressingNs), u"Action"_s, action);
    xml.writeTextElement(QString::fromUtf16(wsman::addressingNs), u"MessageID"_s,
                         u"uuid:"_s + QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper());
    xml.writeTextElement(QString::fromUtf16(wsman::addressingNs), u"To"_s, anonymous);
    if (!relatesTo.isEmpty())
        xml.writeTextElement(QString::fromUtf16(wsman::addressingNs), u"RelatesTo"_s, relatesTo);
    xml.writeEndElement();
    xml.writeStartElement(QString::fromUtf16(wsman::soapNs), u"Body"_s);
    body(xml);
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

WsmanFault makeFault(QString code, const char16_t *ns, QString subcode, QString reason,
                     quint32 wsmanCode, QString detail = {})
{
    return WsmanFault{std::move(code),    QString::fromUtf16(ns),
                      std::move(subcode), std::move(reason),
                      wsmanCode,          std::move(detail)};
}

} // namespace

namespace wsmanfaults {

WsmanFault timedOut()
{
    return makeFault(u"Receiver"_s, wsman::wsmanNs, u"TimedOut"_s,
                     u"The WS-Management service cannot complete the operation within the time "
                     u"specified in OperationTimeout.  "_s,
                     2150858793u);
}

WsmanFault invalidSelectors(const QString &shellId)
{
    return makeFault(
        u"Sender"_s, wsman::wsmanNs, u"InvalidSelectors"_s,
        u"The request for the Windows Remote Shell with ShellId %1 failed because the "
        u"shell was not found on the server. Possible causes are: the specified ShellId "
        u"is incorrect or the shell no longer exists on the server. Provide the correct "
        u"ShellId or create a new shell and retry the operation. "_s.arg(shellId),
        2150858843u,
        u"http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors"_s);
}

WsmanFault unknownCommand(const QString &commandId)
{
    return makeFault(
        u"Sender"_s, wsman::wsmanNs, u"InvalidSelectors"_s,
        u"The Windows Remote Shell received a request to perform an operation on a "
        u"command identifier that does not exist. Either the command has completed "
        u"execution or the client specified an invalid command identifier (%1). "_s.arg(commandId),
        2150858843u);
}

WsmanFault malformed(const QString &detail)
{
    return makeFault(u"Sender"_s, wsman::wsmanNs, u"SchemaValidationError"_s,
                     u"The SOAP XML in the message does not match the corresponding XML schema "
                     u"definition. Change the XML and retry. "_s
                         + detail,
                     2150858817u);
}

WsmanFault invalidHeader(const QString &detail)
{
    return makeFault(u"Sender"_s, wsman::addressingNs, u"InvalidMessageInformationHeader"_s,
                     u"The WS-Management service cannot process the request. The request contains "
                     u"one or more invalid SOAP headers. "_s
                         + detail,
                     2150858767u);
}

WsmanFault actionNotSupported(const QString &action)
{
    return makeFault(u"Sender"_s, wsman::addressingNs, u"ActionNotSupported"_s,
                     u"The WS-Management service does not support the specified action: "_s
                         + action,
                     2150858771u);
}

WsmanFault invalidResourceUri(const QString &uri)
{
    return makeFault(u"Sender"_s, wsman::addressingNs, u"DestinationUnreachable"_s,
                     u"The WS-Management service cannot process the request. The resource URI is "
                     u"not supported by this simulated host: "_s
                         + uri,
                     2150858752u);
}

WsmanFault envelopeLimit(qint64 requested)
{
    return makeFault(u"Sender"_s, wsman::wsmanNs, u"EncodingLimit"_s,
                     u"The WS-Management service cannot process the request because the "
                     u"MaxEnvelopeSize (%1) is below the minimum of 8192."_s.arg(requested),
                     2150858823u,
                     u"http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize"_s);
}

WsmanFault shellQuota(int maxShells)
{
    return makeFault(
        u"Receiver"_s, wsman::wsmanNs, u"QuotaLimit"_s,
        u"The WS-Management service cannot process the request. This user is allowed a "
        u"maximum number of %1 concurrent shells, which has been exceeded. Close "
        u"existing shells or raise the quota for this user. "_s.arg(maxShells),
        2150859173u);
}

WsmanFault accessDenied()
{
    return makeFault(u"Sender"_s, wsman::wsmanNs, u"AccessDenied"_s, u"Access is denied. "_s, 5u);
}

WsmanFault invalidParameter(const QString &detail)
{
    return makeFault(u"Sender"_s, wsman::wsmanNs, u"InvalidParameter"_s,
                     u"The parameter is incorrect. "_s + detail, 87u);
}

} // namespace wsmanfaults

namespace wsmanreply {

QByteArray fault(const WsmanFault &f, const QString &relatesTo, const QString &machine)
{
    return envelope(u"http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"_s, relatesTo,
                    [&](QXmlStreamWriter &xml) {
                        const QString soap = QString::fromUtf16(wsman::soapNs);
                        xml.writeStartElement(soap, u"Fault"_s);
                        xml.writeStartElement(soap, u"Code"_s);
                        xml.writeTextElement(soap, u"Value"_s, u"s:"_s + f.soapCode);
                        xml.writeStartElement(soap, u"Subcode"_s);
                        const QString prefix
                            = f.subcodeNs == QStringView(wsman::addressingNs) ? u"a"_s : u"w"_s;
                        xml.writeTextElement(soap, u"Value"_s, prefix + u':' + f.subcode);
                        xml.writeEndElement();
                        xml.writeEndElement();
                        xml.writeStartElement(soap, u"Reason"_s);
                        xml.writeStartElement(soap, u"Text"_s);
                        xml.writeAttribute(u"xml:lang"_s, u"en-US"_s);
                        xml.writeCharacters(f.reason);
                        xml.writeEndElement();
                        xml.writeEndElement();
                        xml.writeStartElement(soap, u"Detail"_s);
                        if (!f.faultDetail.isEmpty())
                            xml.writeTextElement(QString::fromUtf16(wsman::wsmanNs),
                                                 u"FaultDetail"_s, f.faultDetail);
                        const QString fns = QString::fromUtf16(wsman::faultNs);
                        xml.writeNamespace(fns, u"f"_s);
                        xml.writeStartElement(fns, u"WSManFault"_s);
                        xml.writeAttribute(u"Code"_s, QString::number(f.wsmanCode));
                        xml.writeAttribute(u"Machine"_s, machine);
                        xml.writeTextElement(fns, u"Message"_s, f.reason);
                        xml.writeEndElement();
                        xml.writeEndElement();
                        xml.writeEndElement();
                    });
}

QByteArray created(const QString &relatesTo, const QString &endpoint, const QString &shellId,
                   const QString &owner, const QString &clientIp)
{
    return envelope(
        u"http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse"_s, relatesTo,
        [&](QXmlStreamWriter &xml) {
            const QString a = QString::fromUtf16(wsman::addressingNs);
            const QString w = QString::fromUtf16(wsman::wsmanNs);
            const QString rsp = QString::fromUtf16(wsman::shellNs);
            xml.writeStartElement(QString::fromUtf16(wsman::transferNs), u"ResourceCreated"_s);
            xml.writeTextElement(a, u"Address"_s, endpoint);
            xml.writeStartElement(a, u"ReferenceParameters"_s);
            xml.writeTextElement(w, u"ResourceURI"_s, QString::fromUtf16(wsman::cmdResourceUri));
            xml.writeStartElement(w, u"SelectorSet"_s);
            xml.writeStartElement(w, u"Selector"_s);
            xml.writeAttribute(u"Name"_s, u"ShellId"_s);
            xml.writeCharacters(shellId);
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeStartElement(rsp, u"Shell"_s);
            xml.writeTextElement(rsp, u"ShellId"_s, shellId);
            xml.writeTextElement(rsp, u"ResourceUri"_s, QString::fromUtf16(wsman::cmdResourceUri));
            xml.writeTextElement(rsp, u"Owner"_s, owner);
            xml.writeTextElement(rsp, u"ClientIP"_s, clientIp);
            xml.writeTextElement(rsp, u"IdleTimeOut"_s, u"PT7200.000S"_s);
            xml.writeTextElement(rsp, u"InputStreams"_s, u"stdin"_s);
            xml.writeTextElement(rsp, u"OutputStreams"_s, u"stdout stderr"_s);
            xml.writeTextElement(rsp, u"ShellRunTime"_s, u"P0DT0H0M0S"_s);
            xml.writeTextElement(rsp, u"ShellInactivity"_s, u"P0DT0H0M0S"_s);
            xml.writeEndElement();
        });
}

QByteArray empty(const QString &action, const QString &relatesTo)
{
    return envelope(action, relatesTo, [](QXmlStreamWriter &) {});
}

QByteArray commandResponse(const QString &relatesTo, const QString &commandId)
{
    return envelope(shellAction + u"CommandResponse"_s, relatesTo, [&](QXmlStreamWriter &xml) {
        const QString rsp = QString::fromUtf16(wsman::shellNs);
        xml.writeStartElement(rsp, u"CommandResponse"_s);
        xml.writeTextElement(rsp, u"CommandId"_s, commandId);
        xml.writeEndElement();
    });
}

QByteArray sendResponse(const QString &relatesTo)
{
    return envelope(shellAction + u"SendResponse"_s, relatesTo, [](QXmlStreamWriter &xml) {
        xml.writeEmptyElement(QString::fromUtf16(wsman::shellNs), u"SendResponse"_s);
    });
}

QByteArray signalResponse(const QString &relatesTo)
{
    return envelope(shellAction + u"SignalResponse"_s, relatesTo, [](QXmlStreamWriter &xml) {
        xml.writeEmptyElement(QString::fromUtf16(wsman::shellNs), u"SignalResponse"_s);
    });
}

QByteArray receiveResponse(const QString &relatesTo, const QString &commandId,
                           const QList<StreamChunk> &chunks, bool done, qint64 exitCode)
{
    return envelope(shellAction + u"ReceiveResponse"_s, relatesTo, [&](QXmlStreamWriter &xml) {
        const QString rsp = QString::fromUtf16(wsman::shellNs);
        xml.writeStartElement(rsp, u"ReceiveResponse"_s);
        for (const StreamChunk &chunk : chunks) {
            xml.writeStartElement(rsp, u"Stream"_s);
            xml.writeAttribute(u"Name"_s, chunk.name);
            xml.writeAttribute(u"CommandId"_s, commandId);
            if (chunk.end)
                xml.writeAttribute(u"End"_s, u"true"_s);
            if (!chunk.data.isEmpty())
                xml.writeCharacters(QString::fromLatin1(chunk.data.toBase64()));
            xml.writeEndElement();
        }
        xml.writeStartElement(rsp, u"CommandState"_s);
        xml.writeAttribute(u"CommandId"_s, commandId);
        xml.writeAttribute(
            u"State"_s, shellAction + (done ? u"CommandState/Done"_s : u"CommandState/Running"_s));
        if (done)
            xml.writeTextElement(rsp, u"ExitCode"_s, QString::number(exitCode));
        xml.writeEndElement();
        xml.writeEndElement();
    });
}

} // namespace wsmanreply
} // namespace aetherv::hostsim
