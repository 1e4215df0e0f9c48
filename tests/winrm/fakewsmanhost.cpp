#include "fakewsmanhost.h"

#include "core/winrm/wsmannamespaces.h"

#include <QTimer>
#include <QXmlStreamReader>

using namespace aetherv::winrm;

namespace {

QString local(const QString &uri)
{
    return uri.section(u'/', -1);
}

FakeRequest parseRequest(const QByteArray &xml)
{
    FakeRequest r;
    QXmlStreamReader x(xml);
    while (!x.atEnd()) {
        if (x.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = x.name();
        if (name == u"Action") {
            r.action = local(x.readElementText());
        } else if (name == u"MessageID") {
            r.messageId = x.readElementText();
        } else if (name == u"Selector") {
            r.shellId = x.readElementText();
        } else if (name == u"DesiredStream" || name == u"Signal") {
            r.commandId = x.attributes().value(QLatin1String("CommandId")).toString();
        } else if (name == u"Code") {
            r.signalCode = local(x.readElementText());
        } else if (name == u"Stream") {
            r.commandId = x.attributes().value(QLatin1String("CommandId")).toString();
            r.stdinEnd = x.attributes().value(QLatin1String("End")) == u"true";
            r.stdinData = QByteArray::fromBase64(x.readElementText().toLatin1());
        }
    }
    return r;
}

QByteArray envelope(const FakeRequest &r, const QByteArray &body, const QString &relatesTo = {})
{
    return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
           "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
           "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
           "xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" "
           "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" "
           "xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
           "<s:Header><a:RelatesTo>"
           + (relatesTo.isEmpty() ? r.messageId : relatesTo).toUtf8()
           + "</a:RelatesTo></s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
}

} // namespace

void FakeWsmanHost::send(const QByteArray &xml, bool repeatable, std::chrono::milliseconds,
                         Callback done)
{
    FakeRequest request = parseRequest(xml);
    request.repeatable = repeatable;
    requests.append(request);
    m_pending = std::move(done);
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, request, generation] {
        if (generation != m_generation || !m_pending)
            return;
        std::optional<aetherv::Result<QByteArray>> reply = m_handler(request);
        if (!reply)
            return; // held: the host does not answer
        Callback done = std::move(*m_pending);
        m_pending.reset();
        done(std::move(*reply));
    });
}

void FakeWsmanHost::abort()
{
    ++aborts;
    ++m_generation;
    m_pending.reset();
}

QByteArray FakeWsmanHost::createResponse(const FakeRequest &r, const QString &shellId)
{
    return envelope(r, "<x:ResourceCreated><w:SelectorSet><w:Selector Name=\"ShellId\">"
                           + shellId.toUtf8()
                           + "</w:Selector></w:SelectorSet></x:ResourceCreated>");
}

QByteArray FakeWsmanHost::commandResponse(const FakeRequest &r, const QString &commandId)
{
    return envelope(r, "<rsp:CommandResponse><rsp:CommandId>" + commandId.toUtf8()
                           + "</rsp:CommandId></rsp:CommandResponse>");
}

QByteArray FakeWsmanHost::emptyResponse(const FakeRequest &r, const QString &element)
{
    return envelope(r, "<rsp:" + element.toUtf8() + "/>");
}

QByteArray FakeWsmanHost::receiveResponse(const FakeRequest &r, const QList<Stream> &streams,
                                          bool done, std::optional<qint64> exitCode,
                                          const QString &relatesTo)
{
    QByteArray body = "<rsp:ReceiveResponse>";
    for (const Stream &s : streams)
        body += "<rsp:Stream Name=\"" + s.name.toUtf8() + "\" CommandId=\"" + r.commandId.toUtf8()
                + "\">" + s.data.toBase64() + "</rsp:Stream>";
    if (done) {
        body += "<rsp:CommandState CommandId=\"" + r.commandId.toUtf8()
                + "\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
                  "CommandState/Done\">";
        if (exitCode)
            body += "<rsp:ExitCode>" + QByteArray::number(*exitCode) + "</rsp:ExitCode>";
        body += "</rsp:CommandState>";
    }
    body += "</rsp:ReceiveResponse>";
    return envelope(r, body, relatesTo);
}

QByteArray FakeWsmanHost::fault(const FakeRequest &r, quint32 code, const QString &subcode,
                                const QString &message)
{
    return envelope(r, "<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:"
                           + subcode.toUtf8() + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text>"
                           + message.toUtf8()
                           + "</s:Text></s:Reason><s:Detail><f:WSManFault Code=\""
                           + QByteArray::number(code) + "\" Machine=\"fakehost\"><f:Message>"
                           + message.toUtf8() + "</f:Message></f:WSManFault></s:Detail></s:Fault>");
}
