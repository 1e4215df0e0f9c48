// WS-Management envelopes: request building (headers Windows expects) and reply parsing by
// namespace (faults, several streams, OMI prefixes, missing exit code, bad base64).
#include "core/winrm/wsmanenvelope.h"
#include "core/winrm/wsmannamespaces.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace aetherv::winrm;

namespace {

RequestHeader header()
{
    RequestHeader h;
    h.to = QStringLiteral("http://hyperv01:5985/wsman");
    h.messageId = QStringLiteral("uuid:11111111-2222-3333-4444-555555555555");
    h.shellId = QStringLiteral("SHELL-1");
    h.operationTimeoutMs = 20000;
    return h;
}

// Text of the first element with the given namespace and local name, or a null string.
QString elementText(const QByteArray &xml, const QString &nsUri, const QString &name,
                    QString *attribute = nullptr, const QString &attributeName = {})
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.namespaceUri() == nsUri
            && r.name() == name) {
            if (attribute)
                *attribute = r.attributes().value(attributeName).toString();
            return r.readElementText();
        }
    }
    return QString();
}

QByteArray reply(const QByteArray &body, const QByteArray &header = {})
{
    return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
           "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
           "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
           "xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" "
           "xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\" "
           "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\">"
           "<s:Header><a:RelatesTo>uuid:AB</a:RelatesTo>"
           + header + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
}

} // namespace

class TestEnvelope : public QObject
{
    Q_OBJECT

private slots:
    void createHasEveryHeader();
    void commandEscapesAndOptions();
    void sendReceiveSignalDelete();
    void parseCreateResponse();
    void parseOmiPrefixesAndWhitespace();
    void parseSeveralStreams();
    void parseDoneWithoutExitCode();
    void parseNegativeExitCode();
    void parseFaults_data();
    void parseFaults();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void chunkSizeFromEnvelopeLimit_data();
    void chunkSizeFromEnvelopeLimit();
};

void TestEnvelope::createHasEveryHeader()
{
    RequestHeader h = header();
    h.shellId.clear();
    const QByteArray xml = WsmanEnvelope::createShell(h, ShellOptions{});
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("To")), h.to);
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("Action")), ns::action::create);
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("MessageID")), h.messageId);
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("Address")), ns::anonymous);
    QCOMPARE(elementText(xml, ns::wsman, QStringLiteral("ResourceURI")), ns::cmdResource);
    QCOMPARE(elementText(xml, ns::wsman, QStringLiteral("MaxEnvelopeSize")),
             QStringLiteral("153600"));
    QCOMPARE(elementText(xml, ns::wsman, QStringLiteral("OperationTimeout")),
             QStringLiteral("PT20.000S"));
    QString lang;
    elementText(xml, ns::wsman, QStringLiteral("Locale"), &lang, QStringLiteral("xml:lang"));
    QCOMPARE(lang, QStringLiteral("en-US"));
    lang.clear();
    elementText(xml, ns::msWsman, QStringLiteral("DataLocale"), &lang, QStringLiteral("xml:lang"));
    QCOMPARE(lang, QStringLiteral("en-US"));
    QVERIFY(xml.contains("<w:Option Name=\"WINRS_NOPROFILE\">TRUE</w:Option>"));
    QVERIFY(xml.contains("<w:Option Name=\"WINRS_CODEPAGE\">65001</w:Option>"));
    QVERIFY(xml.contains("s:mustUnderstand=\"true\""));
    QCOMPARE(elementText(xml, ns::shell, QStringLiteral("OutputStreams")),
             QStringLiteral("stdout stderr"));
    QVERIFY(elementText(xml, ns::wsman, QStringLiteral("Selector")).isNull()); // no ShellId yet
}

void TestEnvelope::commandEscapesAndOptions()
{
    const QByteArray xml
        = WsmanEnvelope::command(header(), QStringLiteral("cmd.exe"),
                                 {QStringLiteral("/c"), QStringLiteral("echo a&b <c>")}, false);
    QString name;
    QCOMPARE(elementText(xml, ns::wsman, QStringLiteral("Selector"), &name, QStringLiteral("Name")),
             QStringLiteral("SHELL-1"));
    QCOMPARE(name, QStringLiteral("ShellId"));
    QVERIFY(xml.contains("echo a&amp;b &lt;c&gt;"));
    QVERIFY(xml.contains("<w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">FALSE</w:Option>"));
    QVERIFY(xml.contains("<w:Option Name=\"WINRS_SKIP_CMD_SHELL\">FALSE</w:Option>"));
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("Action")), ns::action::command);
}

void TestEnvelope::sendReceiveSignalDelete()
{
    QString attr;
    QByteArray xml = WsmanEnvelope::send(header(), QStringLiteral("CMD-1"), "héllo", true);
    QCOMPARE(QByteArray::fromBase64(
                 elementText(xml, ns::shell, QStringLiteral("Stream"), &attr, QStringLiteral("End"))
                     .toLatin1()),
             QByteArray("héllo"));
    QCOMPARE(attr, QStringLiteral("true"));
    xml = WsmanEnvelope::receive(header(), QStringLiteral("CMD-1"));
    QCOMPARE(elementText(xml, ns::shell, QStringLiteral("DesiredStream"), &attr,
                         QStringLiteral("CommandId")),
             QStringLiteral("stdout stderr"));
    QCOMPARE(attr, QStringLiteral("CMD-1"));
    xml = WsmanEnvelope::signal(header(), QStringLiteral("CMD-1"), ns::signal::ctrlC);
    QCOMPARE(elementText(xml, ns::shell, QStringLiteral("Code")), ns::signal::ctrlC);
    xml = WsmanEnvelope::deleteShell(header());
    QCOMPARE(elementText(xml, ns::addressing, QStringLiteral("Action")), ns::action::del);
    QCOMPARE(elementText(xml, ns::wsman, QStringLiteral("Selector")), QStringLiteral("SHELL-1"));
}

void TestEnvelope::parseCreateResponse()
{
    auto r = WsmanEnvelope::parse(reply(
        "<x:ResourceCreated><a:Address>http://h:5985/wsman</a:Address><a:ReferenceParameters>"
        "<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>"
        "<w:SelectorSet><w:Selector Name=\"ShellId\">0C1B2D4E-AAAA</w:Selector></w:SelectorSet>"
        "</a:ReferenceParameters></x:ResourceCreated>"
        "<rsp:Shell><rsp:ShellId>0C1B2D4E-AAAA</rsp:ShellId></rsp:Shell>"));
    QVERIFY(r.has_value());
    QCOMPARE(r->shellId, QStringLiteral("0C1B2D4E-AAAA"));
    QCOMPARE(r->relatesTo, QStringLiteral("uuid:AB"));
    QVERIFY(!r->fault);
}

void TestEnvelope::parseOmiPrefixesAndWhitespace()
{
    const QByteArray xml
        = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "
          "xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
          "xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
          "<SOAP-ENV:Header><wsa:RelatesTo>\n  uuid:X  \n</wsa:RelatesTo></SOAP-ENV:Header>"
          "<SOAP-ENV:Body><p:CommandResponse><p:CommandId>\n  C-9  \n</p:CommandId>"
          "</p:CommandResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>";
    auto r = WsmanEnvelope::parse(xml);
    QVERIFY(r.has_value());
    QCOMPARE(r->commandId, QStringLiteral("C-9"));
    QCOMPARE(r->relatesTo, QStringLiteral("uuid:X"));
}

void TestEnvelope::parseSeveralStreams()
{
    auto r = WsmanEnvelope::parse(reply(
        "<rsp:ReceiveResponse>"
        "<rsp:Stream Name=\"stdout\" CommandId=\"C\">"
        + QByteArray("line1\r\n").toBase64()
        + "</rsp:Stream>"
          "<rsp:Stream Name=\"stderr\" CommandId=\"C\">"
        + QByteArray("oops").toBase64()
        + "</rsp:Stream>"
          "<rsp:Stream Name=\"stdout\" CommandId=\"C\">"
        + QByteArray("line2").toBase64()
        + "</rsp:Stream>"
          "<rsp:Stream Name=\"stdout\" CommandId=\"C\" End=\"true\"></rsp:Stream>"
          "<rsp:CommandState CommandId=\"C\" "
          "State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\">"
          "<rsp:ExitCode>3</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>"));
    QVERIFY(r.has_value());
    QCOMPARE(r->streams.size(), qsizetype(4));
    QCOMPARE(r->streams.at(0).name, QStringLiteral("stdout"));
    QCOMPARE(r->streams.at(0).data, QByteArray("line1\r\n"));
    QCOMPARE(r->streams.at(1).name, QStringLiteral("stderr"));
    QCOMPARE(r->streams.at(2).data, QByteArray("line2"));
    QVERIFY(r->streams.at(3).end);
    QVERIFY(r->streams.at(3).data.isEmpty());
    QVERIFY(r->commandDone);
    QCOMPARE(r->exitCode, std::optional<qint64>(3));
}

void TestEnvelope::parseDoneWithoutExitCode()
{
    auto r = WsmanEnvelope::parse(reply(
        "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C\" "
        "State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\"/>"
        "</rsp:ReceiveResponse>"));
    QVERIFY(r.has_value());
    QVERIFY(r->commandDone);
    QVERIFY(!r->exitCode.has_value());

    auto running = WsmanEnvelope::parse(reply(
        "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C\" "
        "State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running\"/>"
        "</rsp:ReceiveResponse>"));
    QVERIFY(running.has_value());
    QVERIFY(!running->commandDone);
}

void TestEnvelope::parseNegativeExitCode()
{
    auto r = WsmanEnvelope::parse(reply(
        "<rsp:ReceiveResponse><rsp:CommandState CommandId=\"C\" State=\"x/CommandState/Done\">"
        "<rsp:ExitCode>-1073741510</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>"));
    QVERIFY(r.has_value());
    QCOMPARE(r->exitCode, std::optional<qint64>(-1073741510));
}

void TestEnvelope::parseFaults_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("subcode");
    QTest::addColumn<quint32>("code");
    QTest::addColumn<QString>("machine");
    QTest::addColumn<bool>("timeout");
    QTest::addColumn<bool>("gone");
    QTest::addColumn<QString>("text");

    QTest::newRow("receive timeout")
        << QByteArray("<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut"
                      "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">The WS-"
                      "Management service cannot complete the operation within the time specified "
                      "in OperationTimeout.  </s:Text></s:Reason><s:Detail><f:WSManFault "
                      "Code=\"2150858793\" Machine=\"hyperv01.corp\"><f:Message>The WS-Management "
                      "service cannot complete the operation within the time specified in "
                      "OperationTimeout.  </f:Message></f:WSManFault></s:Detail></s:Fault>")
        << QStringLiteral("TimedOut") << 2150858793u << QStringLiteral("hyperv01.corp") << true
        << false
        << QStringLiteral("The WS-Management service cannot complete the operation within the "
                          "time specified in OperationTimeout.");
    QTest::newRow("shell gone, provider fault")
        << QByteArray("<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>"
                      "w:InvalidSelectors</s:Value></s:Subcode></s:Code><s:Reason><s:Text>bad"
                      "</s:Text></s:Reason><s:Detail><f:WSManFault Code=\"2150858843\" "
                      "Machine=\"m1\"><f:Message><f:ProviderFault provider=\"Shell\" path=\"x\">"
                      "The request for the Windows Remote Shell with ShellId X failed because the "
                      "shell was not found on the server.</f:ProviderFault></f:Message>"
                      "</f:WSManFault></s:Detail></s:Fault>")
        << QStringLiteral("InvalidSelectors") << 2150858843u << QStringLiteral("m1") << false
        << true
        << QStringLiteral("The request for the Windows Remote Shell with ShellId X failed because "
                          "the shell was not found on the server.");
    QTest::newRow("reason only") << QByteArray(
        "<s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason>"
        "<s:Text>Access is denied.</s:Text></s:Reason></s:Fault>")
                                 << QString() << 0u << QString() << false << false
                                 << QStringLiteral("Access is denied.");
}

void TestEnvelope::parseFaults()
{
    QFETCH(QByteArray, body);
    auto r = WsmanEnvelope::parse(reply(body));
    QVERIFY(r.has_value());
    QVERIFY(r->fault.has_value());
    QTEST(r->fault->subcode, "subcode");
    QTEST(r->fault->wsmanCode, "code");
    QTEST(r->fault->machine, "machine");
    QTEST(r->fault->isOperationTimeout(), "timeout");
    QTEST(r->fault->isShellGone(), "gone");
    QTEST(r->fault->text(), "text");
}

void TestEnvelope::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("not xml") << QByteArray("HTTP error page");
    QTest::newRow("truncated") << reply("<rsp:ReceiveResponse>").left(200);
    QTest::newRow("not soap") << QByteArray("<html><body>hi</body></html>");
    QTest::newRow("bad base64") << reply(
        "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"C\">@@@@"
        "</rsp:Stream></rsp:ReceiveResponse>");
    QTest::newRow("dtd") << QByteArray("<!DOCTYPE x [<!ENTITY e \"boom\">]>") + reply("");
}

void TestEnvelope::rejectsBadInput()
{
    QFETCH(QByteArray, xml);
    QVERIFY(!WsmanEnvelope::parse(xml).has_value());
}

void TestEnvelope::chunkSizeFromEnvelopeLimit_data()
{
    QTest::addColumn<qint64>("maxEnvelope");
    QTest::addColumn<qsizetype>("low");
    QTest::addColumn<qsizetype>("high");
    // Raw bytes per Send: (limit - empty Send envelope - margin) * 3/4, as pypsrp sizes them.
    QTest::newRow("150 KiB server") << qint64(153600) << qsizetype(112000) << qsizetype(114000);
    QTest::newRow("500 KiB server") << qint64(512000) << qsizetype(380000) << qsizetype(382500);
    QTest::newRow("tiny limit floor") << qint64(2000) << qsizetype(1024) << qsizetype(1024);
}

void TestEnvelope::chunkSizeFromEnvelopeLimit()
{
    QFETCH(qint64, maxEnvelope);
    QFETCH(qsizetype, low);
    QFETCH(qsizetype, high);
    RequestHeader h = header();
    h.maxEnvelopeSize = maxEnvelope;
    const QString commandId = QStringLiteral("8A1B3C5D-0000-1111-2222-333344445555");
    const qsizetype chunk = WsmanEnvelope::maxSendPayload(h, commandId);
    QVERIFY2(chunk >= low && chunk <= high, qPrintable(QString::number(chunk)));
    if (maxEnvelope > 10000) {
        // A full chunk really fits the limit.
        const QByteArray full = WsmanEnvelope::send(h, commandId, QByteArray(chunk, 'x'), false);
        QVERIFY(full.size() <= maxEnvelope);
        QVERIFY(full.size() > maxEnvelope - 2048);
    }
}

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
