// Pure protocol pieces of the simulator: command-line splitting, WS-Man request parsing,
// durations, encrypted framing and the faults file.
#include "encryptedmessage.h"
#include "hostfaults.h"
#include "powershellcommandline.h"
#include "wsmanmessage.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace aetherv::hostsim;
using namespace Qt::StringLiterals;

class TestHostSimProtocol : public QObject
{
    Q_OBJECT

private slots:
    void splitsLikeCommandLineToArgvW_data();
    void splitsLikeCommandLineToArgvW();
    void parsesPowerShellCommandLines();
    void durations_data();
    void durations();
    void parsesReceiveByNamespaceNotPrefix();
    void rejectsMalformedEnvelopes();
    void faultCarriesWsmanCodeAndRelatesTo();
    void encryptedFramingRoundTrip();
    void encryptedFramingRejectsGarbage();
    void faultsFile();
};

void TestHostSimProtocol::splitsLikeCommandLineToArgvW_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("plain") << u"a b  c"_s << QStringList{u"a"_s, u"b"_s, u"c"_s};
    QTest::newRow("quoted") << u"\"a b\" c"_s << QStringList{u"a b"_s, u"c"_s};
    QTest::newRow("escaped quote") << u"a\\\"b"_s << QStringList{u"a\"b"_s};
    QTest::newRow("backslashes kept")
        << u"C:\\Program Files\\x"_s << QStringList{u"C:\\Program"_s, u"Files\\x"_s};
    QTest::newRow("doubled backslash before quote")
        << u"\"a\\\\\" b"_s << QStringList{u"a\\"_s, u"b"_s};
    QTest::newRow("doubled quote in quotes") << u"\"a\"\"b\""_s << QStringList{u"a\"b"_s};
    QTest::newRow("empty quoted") << u"\"\" x"_s << QStringList{QString(), u"x"_s};
}

void TestHostSimProtocol::splitsLikeCommandLineToArgvW()
{
    QFETCH(QString, line);
    QFETCH(QStringList, args);
    QCOMPARE(splitWindowsCommandLine(line), args);
}

void TestHostSimProtocol::parsesPowerShellCommandLines()
{
    const QString script = u"Write-Output 'hé'"_s;
    const QByteArray utf16(reinterpret_cast<const char *>(script.utf16()), script.size() * 2);
    auto inv = parsePowerShellCommandLine(
        u"powershell.exe"_s,
        {u"-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "_s
         + QString::fromLatin1(utf16.toBase64())});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::Script);
    QCOMPARE(inv.script, script);
    QVERIFY(inv.clixmlErrors);

    inv = parsePowerShellCommandLine(u"powershell"_s, {u"-NoProfile"_s, u"-Command"_s, u"-"_s});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::Stdin);
    QVERIFY(!inv.clixmlErrors);

    inv = parsePowerShellCommandLine(
        u"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -"_s, {});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::Stdin);

    inv = parsePowerShellCommandLine(u"pwsh"_s, {u"-nop -c Get-Date; exit 3"_s});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::Script);
    QCOMPARE(inv.script, u"Get-Date; exit 3"_s);

    inv = parsePowerShellCommandLine(u"powershell"_s, {u"-enc !!notbase64"_s});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::BadArguments);
    QCOMPARE(inv.exitCode, 64);

    inv = parsePowerShellCommandLine(u"ipconfig"_s, {u"/all"_s});
    QCOMPARE(inv.kind, PowerShellInvocation::Kind::NotRecognized);
    QCOMPARE(inv.exitCode, 1);
    QVERIFY(inv.errorText.startsWith(u"'ipconfig' is not recognized"_s));
}

void TestHostSimProtocol::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("PT20S") << u"PT20S"_s << qint64(20000);
    QTest::newRow("fraction") << u"PT60.000S"_s << qint64(60000);
    QTest::newRow("minutes") << u"PT1M30S"_s << qint64(90000);
    QTest::newRow("days") << u"P0DT0H0M5S"_s << qint64(5000);
    QTest::newRow("negative") << u"PT-1S"_s << qint64(-1);
    QTest::newRow("garbage") << u"20"_s << qint64(-1);
    QTest::newRow("bare P") << u"PT"_s << qint64(-1);
}

void TestHostSimProtocol::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QCOMPARE(parseDurationMs(text), ms);
}

void TestHostSimProtocol::parsesReceiveByNamespaceNotPrefix()
{
    // OMI-style prefixes: nothing is called s:, a:, w: or rsp:.
    const QByteArray xml = R"(<?xml version="1.0"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    xmlns:q="http://schemas.microsoft.com/wbem/wsman/1/windows/shell">
 <SOAP-ENV:Header>
  <wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive</wsa:Action>
  <wsa:MessageID>uuid:ABC</wsa:MessageID>
  <wsman:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</wsman:ResourceURI>
  <wsman:MaxEnvelopeSize>153600</wsman:MaxEnvelopeSize>
  <wsman:OperationTimeout>PT5.5S</wsman:OperationTimeout>
  <wsman:SelectorSet><wsman:Selector Name="ShellId"> 1234-AB </wsman:Selector></wsman:SelectorSet>
  <wsman:OptionSet><wsman:Option Name="WSMAN_CMDSHELL_OPTION_KEEPALIVE">TRUE</wsman:Option></wsman:OptionSet>
 </SOAP-ENV:Header>
 <SOAP-ENV:Body>
  <q:Receive><q:DesiredStream CommandId="C1">stdout stderr</q:DesiredStream></q:Receive>
 </SOAP-ENV:Body>
</SOAP-ENV:Envelope>)";
    const auto request = parseWsmanRequest(xml);
    QVERIFY(request.has_value());
    QCOMPARE(request->operation, WsmanRequest::Operation::Receive);
    QCOMPARE(request->messageId, u"uuid:ABC"_s);
    QCOMPARE(request->shellId, u"1234-AB"_s);
    QCOMPARE(request->commandId, u"C1"_s);
    QCOMPARE(request->desiredStreams, (QStringList{u"stdout"_s, u"stderr"_s}));
    QCOMPARE(request->maxEnvelopeSize, 153600);
    QCOMPARE(request->operationTimeoutMs, 5500);
    QCOMPARE(request->options.value(u"WSMAN_CMDSHELL_OPTION_KEEPALIVE"_s), u"TRUE"_s);
}

void TestHostSimProtocol::rejectsMalformedEnvelopes()
{
    auto r = parseWsmanRequest("<not-closed>");
    QVERIFY(!r);
    r = parseWsmanRequest(R"(<Envelope xmlns="urn:other"/>)");
    QVERIFY(!r);
    QCOMPARE(r.error().kind, WsmanParseError::Kind::NotSoap);
    r = parseWsmanRequest(
        R"(<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body/></s:Envelope>)");
    QVERIFY(!r);
    QCOMPARE(r.error().kind, WsmanParseError::Kind::MissingHeader);
    r = parseWsmanRequest(
        R"(<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header><a:MessageID>uuid:1</a:MessageID><w:OperationTimeout>PT-1S</w:OperationTimeout></s:Header><s:Body/></s:Envelope>)");
    QVERIFY(!r);
    QCOMPARE(r.error().kind, WsmanParseError::Kind::InvalidHeader);
    QCOMPARE(r.error().messageId, u"uuid:1"_s);
}

void TestHostSimProtocol::faultCarriesWsmanCodeAndRelatesTo()
{
    const QByteArray xml = wsmanreply::fault(wsmanfaults::timedOut(), u"uuid:REL"_s, u"HV01"_s);
    QXmlStreamReader reader(xml);
    QString relatesTo, code, machine, subcode;
    while (reader.readNextStartElement() || !reader.atEnd()) {
        if (!reader.isStartElement())
            continue;
        if (reader.name() == u"RelatesTo")
            relatesTo = reader.readElementText();
        else if (reader.name() == u"WSManFault") {
            code = reader.attributes().value(u"Code"_s).toString();
            machine = reader.attributes().value(u"Machine"_s).toString();
        } else if (reader.name() == u"Subcode") {
            reader.readNextStartElement();
            subcode = reader.readElementText();
        }
    }
    QCOMPARE(relatesTo, u"uuid:REL"_s);
    QCOMPARE(code, u"2150858793"_s);
    QCOMPARE(machine, u"HV01"_s);
    QCOMPARE(subcode, u"w:TimedOut"_s);
}

void TestHostSimProtocol::encryptedFramingRoundTrip()
{
    const QByteArray protocol = "application/HTTP-SPNEGO-session-encrypted";
    const QByteArray header(16, '\x01');
    const QByteArray data = "sealed-bytes-with--Encrypted Boundary-lookalike";
    const QByteArray body = encryptedmessage::build(protocol, header, data, data.size());
    QVERIFY(body.startsWith(
        "--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"));
    QVERIFY(body.endsWith("--Encrypted Boundary--\r\n"));
    const auto parsed = encryptedmessage::parse(encryptedmessage::contentType(protocol), body);
    QVERIFY2(parsed.has_value(), parsed ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->protocol, protocol);
    QCOMPARE(parsed->parts.size(), 1);
    QCOMPARE(parsed->parts[0].header, header);
    QCOMPARE(parsed->parts[0].data, data);
    QCOMPARE(parsed->parts[0].originalLength, data.size());

    // Two parts, each closed (PSWSMan style), without the TAB before header lines (Ruby style).
    QByteArray two = body;
    two.replace("\t", "");
    two += two;
    const auto parsedTwo
        = encryptedmessage::parse("multipart/encrypted;protocol=\"application/"
                                  "HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"",
                                  two);
    QVERIFY(parsedTwo.has_value());
    QCOMPARE(parsedTwo->parts.size(), 2);
}

void TestHostSimProtocol::encryptedFramingRejectsGarbage()
{
    const QByteArray type
        = encryptedmessage::contentType("application/HTTP-SPNEGO-session-encrypted");
    QVERIFY(!encryptedmessage::parse(type, "garbage"));
    QVERIFY(!encryptedmessage::parse("multipart/encrypted", "--Encrypted Boundary\r\n"));
    const QByteArray truncated
        = encryptedmessage::build("application/HTTP-SPNEGO-session-encrypted", QByteArray(16, 'h'),
                                  "abc", 3)
              .left(120);
    QVERIFY(!encryptedmessage::parse(type, truncated));
}

void TestHostSimProtocol::faultsFile()
{
    const auto file = FaultsFile::parse(R"({"hosts":{
        "*":{"latencyMs":5},
        "hv02":{"failNext":{"count":2,"status":500},"dropReceive":1,"expireContext":true,
                "hang":false,"rejectCredentials":true,"diskQuotaBytes":4096,"accessDenied":["bob"]}}})");
    QVERIFY(file.has_value());
    QCOMPARE(file->forHost(u"HV01"_s).latencyMs, 5);
    const HostFaults f = file->forHost(u"HV02"_s);
    QCOMPARE(f.latencyMs, 0);
    QCOMPARE(f.failNextCount, 2);
    QCOMPARE(f.failStatus, 500);
    QCOMPARE(f.dropReceiveCount, 1);
    QVERIFY(f.expireContext);
    QVERIFY(f.rejectCredentials);
    QCOMPARE(f.diskQuotaBytes, 4096);
    QVERIFY(f.denies(u"TESTDOM\\bob"_s));
    QVERIFY(!f.denies(u"TESTDOM\\alice"_s));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"latency":5}}})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"failNext":{"status":404}}}})"));
    QVERIFY(!FaultsFile::parse("[1,2]"));
    QCOMPARE(file->forHost(u"HV01"_s).diskQuotaBytes, -1); // no quota unless given
    QCOMPARE(FaultsFile::parse(R"({"hosts":{"HV01":{"diskQuotaBytes":0}}})")
                 ->forHost(u"HV01"_s)
                 .diskQuotaBytes,
             0); // a full disk
    // Shapes that used to load as "no faults" are refused with the reason.
    const auto flat = FaultsFile::parse(R"({"HV01":{"hang":true}})");
    QVERIFY(!flat);
    QVERIFY(flat.error().message.contains(u"'HV01'"_s));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"hang":"true"}}})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"latencyMs":"20"}}})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"accessDenied":"bob"}}})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":true}})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":[]})"));
    QVERIFY(!FaultsFile::parse(R"({"hosts":{"HV01":{"diskQuotaBytes":-5}}})"));
    QCOMPARE(FaultsFile::parse(R"({"hosts":{"HV01":{"hang":true,"latencyMs":20}}})")
                 ->forHost(u"hv01"_s)
                 .summary(),
             u"latencyMs=20, hang"_s);
}

QTEST_GUILESS_MAIN(TestHostSimProtocol)
#include "tst_hostsim_protocol.moc"
