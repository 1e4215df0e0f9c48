// aetherv-hostsim as a black box over raw HTTP (Basic + --allow-unencrypted): WS-Man shell
// operations backed by real PowerShell, WS-Man faults, HTTP 413 and the faults file.
#include "support/hostsimprocess.h"

#include <QFile>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QXmlStreamReader>

using namespace aetherv::testsupport;
using namespace Qt::StringLiterals;

namespace {

struct Reply
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

const QByteArray basicAuth = "Basic " + QByteArray("TESTDOM\\alice:Passw0rd!").toBase64();

// One keep-alive HTTP/1.1 connection to a simulated host.
class RawClient
{
public:
    explicit RawClient(const QUrl &url)
        : m_url(url)
    {}

    bool connect()
    {
        m_socket.connectToHost(m_url.host(), quint16(m_url.port()));
        return m_socket.waitForConnected(5000);
    }

    // Sends one request; returns std::nullopt when no complete reply arrives within timeoutMs.
    std::optional<Reply> post(const QByteArray &body, int timeoutMs = 30000,
                              const QByteArray &authorization = basicAuth)
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState && !connect())
            return std::nullopt;
        QByteArray request = "POST " + m_url.path().toLatin1()
                             + " HTTP/1.1\r\nHost: " + m_url.host().toLatin1() + "\r\n";
        if (!authorization.isEmpty())
            request += "Authorization: " + authorization + "\r\n";
        request += "Content-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: "
                   + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        m_socket.write(request);
        QByteArray buffer;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                Reply reply;
                reply.headers = buffer.left(end);
                reply.status = buffer.mid(9, 3).toInt();
                static const QRegularExpression lengthRe(u"Content-Length: (\\d+)"_s,
                                                         QRegularExpression::CaseInsensitiveOption);
                const auto m = lengthRe.match(QString::fromLatin1(reply.headers));
                const qsizetype length = m.hasMatch() ? m.captured(1).toLongLong() : 0;
                if (buffer.size() >= end + 4 + length) {
                    reply.body = buffer.mid(end + 4, length);
                    return reply;
                }
            }
            if (m_socket.state() != QAbstractSocket::ConnectedState
                && m_socket.bytesAvailable() == 0)
                return std::nullopt;
            if (m_socket.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - timer.elapsed()))))
                buffer += m_socket.readAll();
        }
        return std::nullopt;
    }

    QTcpSocket &socket() { return m_socket; }

private:
    QUrl m_url;
    QTcpSocket m_socket;
};

QString newMessageId()
{
    return u"uuid:"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray envelope(const QString &action, const QString &messageId, const QString &shellId,
                    const QString &body, const QString &timeout = u"PT20S"_s)
{
    const QString selector
        = shellId.isEmpty()
              ? QString()
              : u"<w:SelectorSet><w:Selector Name=\"ShellId\">%1</w:Selector></w:SelectorSet>"_s
                    .arg(shellId);
    return uR"(<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Header><a:To>http://windows-host:5985/wsman</a:To><a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><w:MaxEnvelopeSize s:mustUnderstand="true">153600</w:MaxEnvelopeSize><a:MessageID>%1</a:MessageID><w:OperationTimeout>%5</w:OperationTimeout><w:ResourceURI s:mustUnderstand="true">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><a:Action s:mustUnderstand="true">%2</a:Action>%3</s:Header><s:Body>%4</s:Body></s:Envelope>)"_s
        .arg(messageId, action, selector, body, timeout)
        .toUtf8();
}

const QString transfer = u"http://schemas.xmlsoap.org/ws/2004/09/transfer/"_s;
const QString shellOp = u"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"_s;

// First text of an element with this local name, and the attributes of the first such element.
QString textOf(const QByteArray &xml, QStringView name, QXmlStreamAttributes *attrs = nullptr)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement && reader.name() == name) {
            if (attrs)
                *attrs = reader.attributes();
            return reader.readElementText();
        }
    }
    return {};
}

QString faultCode(const QByteArray &xml)
{
    QXmlStreamAttributes attrs;
    textOf(xml, u"WSManFault", &attrs);
    return attrs.value(u"Code"_s).toString();
}

QString encoded(const QString &script)
{
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(script.utf16()), script.size() * 2).toBase64());
}

} // namespace

class TestHostSimServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void unauthenticatedRequestGetsChallenge();
    void runsPowerShellWithMappedDriveAndComputerName();
    void runsScriptFromStdin();
    void receiveTimesOutWithWindowsFault();
    void unknownShellIdFault();
    void malformedEnvelopeFault();
    void envelopeOverLimitIs413();
    void shellQuotaPerUser();
    void faultsFromFile();
    void droppedReceiveCanBeRetried();

private:
    QString createShell(RawClient &client);
    QString startCommand(RawClient &client, const QString &shell, const QString &args);
    struct Output
    {
        QByteArray stdoutData;
        QByteArray stderrData;
        qint64 exitCode = -1;
    };
    Output receiveAll(RawClient &client, const QString &shell, const QString &command);
    void writeFaults(const QByteArray &json);

    QTemporaryDir m_dir;
    HostSimProcess m_sim;
};

void TestHostSimServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile users(m_dir.filePath(u"users"_s));
    QVERIFY(users.open(QIODevice::WriteOnly));
    users.write("TESTDOM:alice:Passw0rd!\nTESTDOM:bob:B0b-secret\n");
    users.close();
    writeFaults(R"({"hosts":{}})");
    QVERIFY2(m_sim.start({u"--host-names"_s, u"HV01,HV02"_s, u"--root"_s, m_dir.filePath(u"root"_s),
                          u"--users"_s, users.fileName(), u"--auth"_s, u"negotiate,basic"_s,
                          u"--allow-unencrypted"_s, u"--max-envelope-kb"_s, u"64"_s,
                          u"--max-shells-per-user"_s, u"3"_s, u"--faults"_s,
                          m_dir.filePath(u"faults.json"_s)}),
             qPrintable(m_sim.errorString()));
    QCOMPARE(m_sim.hosts().size(), 2);
    QCOMPARE(m_sim.hosts().at(0).name, u"HV01"_s);
    QVERIFY(m_sim.hosts().at(0).url.toString().startsWith(u"http://127.0.0.1:"_s));
    QCOMPARE(m_sim.hosts().at(0).driveRoot, m_dir.filePath(u"root/HV01/C"_s));
}

void TestHostSimServer::cleanupTestCase()
{
    m_sim.stop();
    QVERIFY2(!m_sim.stderrText().contains(u"Passw0rd!"_s), "a password reached the log");
}

void TestHostSimServer::writeFaults(const QByteArray &json)
{
    QFile file(m_dir.filePath(u"faults.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(json);
}

QString TestHostSimServer::createShell(RawClient &client)
{
    const QString id = newMessageId();
    const auto reply = client.post(envelope(
        transfer + u"Create"_s, id, {},
        u"<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"_s));
    if (!reply || reply->status != 200)
        return {};
    if (textOf(reply->body, u"RelatesTo") != id)
        return {};
    return textOf(reply->body, u"Selector");
}

QString TestHostSimServer::startCommand(RawClient &client, const QString &shell,
                                        const QString &args)
{
    const auto reply = client.post(envelope(
        shellOp + u"Command"_s, newMessageId(), shell,
        u"<rsp:CommandLine><rsp:Command>powershell.exe</rsp:Command><rsp:Arguments>%1</rsp:Arguments></rsp:CommandLine>"_s
            .arg(args)));
    return reply && reply->status == 200 ? textOf(reply->body, u"CommandId") : QString();
}

TestHostSimServer::Output TestHostSimServer::receiveAll(RawClient &client, const QString &shell,
                                                        const QString &command)
{
    Output out;
    for (int round = 0; round < 200; ++round) {
        const auto reply = client.post(envelope(
            shellOp + u"Receive"_s, newMessageId(), shell,
            u"<rsp:Receive><rsp:DesiredStream CommandId=\"%1\">stdout stderr</rsp:DesiredStream></rsp:Receive>"_s
                .arg(command)));
        if (!reply)
            return out;
        if (reply->status == 500 && faultCode(reply->body) == u"2150858793")
            continue;
        if (reply->status != 200)
            return out;
        QXmlStreamReader reader(reply->body);
        bool done = false;
        while (!reader.atEnd()) {
            if (reader.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (reader.name() == u"Stream") {
                const bool isErr = reader.attributes().value(u"Name"_s) == u"stderr";
                (isErr ? out.stderrData : out.stdoutData)
                    += QByteArray::fromBase64(reader.readElementText().toLatin1());
            } else if (reader.name() == u"CommandState") {
                done = reader.attributes().value(u"State"_s).endsWith(u"/Done");
            } else if (reader.name() == u"ExitCode") {
                out.exitCode = reader.readElementText().toLongLong();
            }
        }
        if (done)
            return out;
    }
    return out;
}

void TestHostSimServer::unauthenticatedRequestGetsChallenge()
{
    RawClient client(m_sim.hosts().at(0).url);
    const auto reply
        = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, {}), 10000, {});
    QVERIFY(reply);
    QCOMPARE(reply->status, 401);
    QVERIFY(reply->headers.contains("WWW-Authenticate: Negotiate"));
    QVERIFY(reply->headers.contains("WWW-Authenticate: Basic realm=\"WSMAN\""));
    const auto wrong = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, {}), 10000,
                                   "Basic " + QByteArray("TESTDOM\\alice:nope").toBase64());
    QVERIFY(wrong);
    QCOMPARE(wrong->status, 401);
}

void TestHostSimServer::runsPowerShellWithMappedDriveAndComputerName()
{
    for (const auto &host : m_sim.hosts()) {
        RawClient client(host.url);
        const QString shell = createShell(client);
        QVERIFY(!shell.isEmpty());
        const QString script
            = u"$d = 'C:\\Program Files\\Aether-V'\n"
              u"New-Item -ItemType Directory -Force -Path $d | Out-Null\n"
              u"Set-Content -Path (Join-Path $d 'version') -Value $env:COMPUTERNAME\n"
              u"Move-Item (Join-Path $d 'version') (Join-Path $d 'version.txt')\n"
              u"[System.IO.File]::AppendAllText((Convert-Path (Join-Path $d 'version.txt')), 'x')\n"
              u"\"$env:COMPUTERNAME|$env:USERNAME|$(Test-Path 'C:\\Program "
              u"Files\\Aether-V\\version.txt')\"\n"
              u"exit 42"_s;
        const QString command = startCommand(
            client, shell, u"-NoProfile -NonInteractive -EncodedCommand "_s + encoded(script));
        QVERIFY(!command.isEmpty());
        const Output out = receiveAll(client, shell, command);
        QCOMPARE(out.exitCode, 42);
        QCOMPARE(out.stdoutData, (host.name + u"|alice|True\r\n"_s).toUtf8());
        QFile written(host.driveRoot + u"/Program Files/Aether-V/version.txt"_s);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll().trimmed(), (host.name + u"\nx"_s).toUtf8());
        const auto deleted
            = client.post(envelope(transfer + u"Delete"_s, newMessageId(), shell, {}));
        QVERIFY(deleted);
        QCOMPARE(deleted->status, 200);
    }
}

void TestHostSimServer::runsScriptFromStdin()
{
    RawClient client(m_sim.hosts().at(0).url);
    const QString shell = createShell(client);
    const QString command = startCommand(client, shell, u"-NoProfile -NonInteractive -Command -"_s);
    QVERIFY(!command.isEmpty());
    for (const auto &[chunk, end] :
         {std::pair{QByteArray("\"one\"\r\n"), false},
          std::pair{QByteArray("Write-Error 'two'\r\nexit 9\r\n"), true}}) {
        const auto reply = client.post(envelope(
            shellOp + u"Send"_s, newMessageId(), shell,
            u"<rsp:Send><rsp:Stream Name=\"stdin\" CommandId=\"%1\"%2>%3</rsp:Stream></rsp:Send>"_s
                .arg(command, end ? u" End=\"true\""_s : QString(),
                     QString::fromLatin1(chunk.toBase64()))));
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }
    const Output out = receiveAll(client, shell, command);
    QCOMPARE(out.exitCode, 9);
    QCOMPARE(out.stdoutData, QByteArray("one\r\n"));
    QVERIFY(out.stderrData.contains("two"));
    QVERIFY(!out.stderrData.startsWith("#< CLIXML")); // CLIXML only for -EncodedCommand
}

void TestHostSimServer::receiveTimesOutWithWindowsFault()
{
    RawClient client(m_sim.hosts().at(0).url);
    const QString shell = createShell(client);
    const QString command = startCommand(
        client, shell, u"-EncodedCommand "_s + encoded(u"Start-Sleep -Seconds 30"_s));
    const QString id = newMessageId();
    QElapsedTimer timer;
    timer.start();
    const auto reply = client.post(envelope(
        shellOp + u"Receive"_s, id, shell,
        u"<rsp:Receive><rsp:DesiredStream CommandId=\"%1\">stdout stderr</rsp:DesiredStream></rsp:Receive>"_s
            .arg(command),
        u"PT1.5S"_s));
    QVERIFY(reply);
    QCOMPARE(reply->status, 500);
    QVERIFY(timer.elapsed() >= 1400);
    QCOMPARE(faultCode(reply->body), u"2150858793"_s);
    QCOMPARE(textOf(reply->body, u"RelatesTo"), id);
    QCOMPARE(textOf(reply->body, u"Action"), u"http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"_s);
    // Signal terminate ends the command; a Receive for it then faults with InvalidSelectors.
    const auto signal = client.post(envelope(
        shellOp + u"Signal"_s, newMessageId(), shell,
        u"<rsp:Signal CommandId=\"%1\"><rsp:Code>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate</rsp:Code></rsp:Signal>"_s
            .arg(command)));
    QVERIFY(signal);
    QCOMPARE(signal->status, 200);
    const auto gone = client.post(envelope(
        shellOp + u"Receive"_s, newMessageId(), shell,
        u"<rsp:Receive><rsp:DesiredStream CommandId=\"%1\">stdout</rsp:DesiredStream></rsp:Receive>"_s
            .arg(command)));
    QVERIFY(gone);
    QCOMPARE(faultCode(gone->body), u"2150858843"_s);
    const auto deleted = client.post(envelope(transfer + u"Delete"_s, newMessageId(), shell, {}));
    QVERIFY(deleted);
    QCOMPARE(deleted->status, 200);
}

void TestHostSimServer::unknownShellIdFault()
{
    RawClient client(m_sim.hosts().at(0).url);
    const QString id = newMessageId();
    const auto reply = client.post(
        envelope(shellOp + u"Command"_s, id, u"00000000-0000-0000-0000-000000000000"_s,
                 u"<rsp:CommandLine><rsp:Command>powershell</rsp:Command></rsp:CommandLine>"_s));
    QVERIFY(reply);
    QCOMPARE(reply->status, 500);
    QCOMPARE(faultCode(reply->body), u"2150858843"_s);
    QCOMPARE(textOf(reply->body, u"RelatesTo"), id);
    QXmlStreamAttributes attrs;
    textOf(reply->body, u"WSManFault", &attrs);
    QCOMPARE(attrs.value(u"Machine"_s), u"HV01"_s);
}

void TestHostSimServer::malformedEnvelopeFault()
{
    RawClient client(m_sim.hosts().at(0).url);
    const auto reply
        = client.post("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>");
    QVERIFY(reply);
    QCOMPARE(reply->status, 500);
    QCOMPARE(faultCode(reply->body), u"2150858817"_s);
}

void TestHostSimServer::envelopeOverLimitIs413()
{
    RawClient client(m_sim.hosts().at(0).url);
    const QString shell = createShell(client);
    const QString big(70 * 1024, u'A');
    const auto reply = client.post(envelope(
        shellOp + u"Send"_s, newMessageId(), shell,
        u"<rsp:Send><rsp:Stream Name=\"stdin\" CommandId=\"X\">%1</rsp:Stream></rsp:Send>"_s.arg(
            big)));
    QVERIFY(reply);
    QCOMPARE(reply->status, 413);
}

void TestHostSimServer::shellQuotaPerUser()
{
    RawClient client(m_sim.hosts().at(1).url);
    QStringList shells;
    for (int i = 0; i < 3; ++i) {
        shells << createShell(client);
        QVERIFY(!shells.last().isEmpty());
    }
    const auto reply = client.post(envelope(
        transfer + u"Create"_s, newMessageId(), {},
        u"<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"_s));
    QVERIFY(reply);
    QCOMPARE(reply->status, 500);
    QCOMPARE(faultCode(reply->body), u"2150859173"_s);
    // The quota is per user: bob still gets a shell; alice's Delete frees a slot.
    const auto bob
        = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, u"<rsp:Shell/>"_s),
                      10000, "Basic " + QByteArray("bob:B0b-secret").toBase64());
    QVERIFY(bob);
    QCOMPARE(bob->status, 200);
    for (const QString &shell : std::as_const(shells)) {
        const auto deleted
            = client.post(envelope(transfer + u"Delete"_s, newMessageId(), shell, {}));
        QVERIFY(deleted);
        QCOMPARE(deleted->status, 200);
    }
}

void TestHostSimServer::faultsFromFile()
{
    writeFaults(R"({"hosts":{"HV02":{"failNext":{"count":2,"status":503},"latencyMs":300,
                                     "accessDenied":["bob"]}}})");
    QVERIFY(m_sim.reloadFaults());
    RawClient client(m_sim.hosts().at(1).url);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 2; ++i) {
        const auto reply
            = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, u"<rsp:Shell/>"_s));
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
    }
    QVERIFY(timer.elapsed() >= 600);
    QVERIFY(!createShell(client).isEmpty());
    const auto denied
        = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, u"<rsp:Shell/>"_s),
                      10000, "Basic " + QByteArray("bob:B0b-secret").toBase64());
    QVERIFY(denied);
    QCOMPARE(denied->status, 500);
    QCOMPARE(faultCode(denied->body), u"5"_s);

    writeFaults(R"({"hosts":{"HV02":{"rejectCredentials":true},"HV01":{"hang":true}}})");
    QVERIFY(m_sim.reloadFaults());
    const auto rejected
        = client.post(envelope(transfer + u"Create"_s, newMessageId(), {}, u"<rsp:Shell/>"_s));
    QVERIFY(rejected);
    QCOMPARE(rejected->status, 401);
    RawClient hanging(m_sim.hosts().at(0).url);
    QVERIFY(!hanging.post(envelope(transfer + u"Create"_s, newMessageId(), {}, u"<rsp:Shell/>"_s),
                          1500));

    writeFaults(R"({"hosts":{}})");
    QVERIFY(m_sim.reloadFaults());
    QVERIFY(!createShell(client).isEmpty());
}

void TestHostSimServer::droppedReceiveCanBeRetried()
{
    RawClient client(m_sim.hosts().at(0).url);
    const QString shell = createShell(client);
    const QString command
        = startCommand(client, shell, u"-EncodedCommand "_s + encoded(u"'dropped-once'"_s));
    writeFaults(R"({"hosts":{"HV01":{"dropReceive":1}}})");
    QVERIFY(m_sim.reloadFaults());
    const QString id = newMessageId();
    const QByteArray receive = envelope(
        shellOp + u"Receive"_s, id, shell,
        u"<rsp:Receive><rsp:DesiredStream CommandId=\"%1\">stdout stderr</rsp:DesiredStream></rsp:Receive>"_s
            .arg(command));
    QVERIFY(!client.post(receive, 20000)); // the connection is cut in the middle of the reply
    RawClient again(m_sim.hosts().at(0).url);
    const auto retried = again.post(receive); // same MessageID: the same answer again
    QVERIFY(retried);
    QCOMPARE(retried->status, 200);
    QCOMPARE(textOf(retried->body, u"RelatesTo"), id);
    QVERIFY(retried->body.contains(QByteArray("dropped-once\r\n").toBase64()));
    writeFaults(R"({"hosts":{}})");
    QVERIFY(m_sim.reloadFaults());
}

QTEST_GUILESS_MAIN(TestHostSimServer)
#include "tst_hostsim_server.moc"
