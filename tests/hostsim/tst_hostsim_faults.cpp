// The faults file against the project's real WinRM client (NTLM + message encryption over
// HTTP): every fault fires on that traffic, faults given at start-up apply from the first
// request, and a file the simulator cannot apply is refused loudly instead of loading as "none".
#include "simclient.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace aetherv;
using namespace aetherv::hostsimtest;
using namespace aetherv::winrm;
using namespace Qt::StringLiterals;

namespace {
const QString password = u"Pa55-w0rd!"_s;

// Sends one unauthenticated POST; returns the HTTP status, or 0 when nothing came in time.
int rawStatus(const QUrl &url, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(5000))
        return -1;
    socket.write("POST /wsman HTTP/1.1\r\nHost: h\r\nContent-Type: application/soap+xml\r\n"
                 "Content-Length: 4\r\n\r\n<x/>");
    QByteArray reply;
    QElapsedTimer clock;
    clock.start();
    while (!reply.contains("\r\n\r\n") && clock.elapsed() < timeoutMs
           && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - clock.elapsed()))))
            reply += socket.readAll();
    }
    return reply.startsWith("HTTP/1.1 ") ? reply.mid(9, 3).toInt() : 0;
}
} // namespace

class TestHostSimFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void faultsFromStartupApply();
    void fileWithoutHostsLevelIsRefused();
    void expireContextForcesNewLogin();
    void hangLeavesRequestsUnanswered();
    void latencyDelaysEveryAnswer();
    void failNextAnswersWithStatus();
    void dropReceiveCutsReplyAndClientRepeats();
    void rejectCredentials();
    void accessDenied();

private:
    std::unique_ptr<PowerShellRunner> runner(const QString &script,
                                             std::function<void(ConnectionSettings &)> tweak = {},
                                             const QString &pass = password);
    void setFaults(const QByteArray &json);

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
};

void TestHostSimFaults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(m_dir.filePath(u"users"_s), "TESTDOM:alice:" + password.toUtf8() + "\n"));
    // HV02 hangs from the very start: the fault must apply before any reload.
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s), R"({"hosts":{"HV02":{"hang":true}}})"));
    QVERIFY2(m_sim.start({u"--host-names"_s, u"HV01,HV02"_s, u"--root"_s, m_dir.filePath(u"root"_s),
                          u"--users"_s, m_dir.filePath(u"users"_s), u"--faults"_s,
                          m_dir.filePath(u"faults.json"_s)}),
             qPrintable(m_sim.errorString()));
}

void TestHostSimFaults::cleanupTestCase()
{
    m_sim.stop();
    QVERIFY2(!m_sim.stderrText().contains(password), "a password reached the log");
}

void TestHostSimFaults::setFaults(const QByteArray &json)
{
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s), json));
    QVERIFY2(m_sim.reloadFaults(), qPrintable(m_sim.stderrText().right(500)));
}

std::unique_ptr<PowerShellRunner>
TestHostSimFaults::runner(const QString &script, std::function<void(ConnectionSettings &)> tweak,
                          const QString &pass)
{
    ConnectionSettings s = ntlmSettings(m_sim.host(u"HV01"_s));
    if (tweak)
        tweak(s);
    return std::make_unique<PowerShellRunner>(s, Credentials{u"TESTDOM\\alice"_s, pass}, script);
}

void TestHostSimFaults::faultsFromStartupApply()
{
    QCOMPARE(rawStatus(m_sim.host(u"HV01"_s).url, 10000), 401);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(rawStatus(m_sim.host(u"HV02"_s).url, 1500), 0);
    QVERIFY(clock.elapsed() >= 1400);
    QTRY_VERIFY(m_sim.stderrText().contains(u"HV02 faults: hang"_s));
    QTRY_VERIFY(m_sim.stderrText().contains(u"HV02 hang fault"_s));
    setFaults(R"({"hosts":{}})");
    QCOMPARE(rawStatus(m_sim.host(u"HV02"_s).url, 10000), 401);
}

void TestHostSimFaults::fileWithoutHostsLevelIsRefused()
{
    // {"HV01":{...}} used to load as "no faults": now the reload is refused and says why, and
    // the faults in effect stay as they were.
    setFaults(R"({"hosts":{"HV01":{"latencyMs":1}}})");
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s), R"({"HV01":{"hang":true}})"));
    QVERIFY(!m_sim.reloadFaults());
    QVERIFY2(m_sim.errorString().contains(u"Unknown top-level key 'HV01'"_s),
             qPrintable(m_sim.errorString()));
    QCOMPARE(rawStatus(m_sim.host(u"HV01"_s).url, 10000), 401);
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s), R"({"hosts":{"HV01":{"hang":"yes"}}})"));
    QVERIFY(!m_sim.reloadFaults());
    QVERIFY2(m_sim.errorString().contains(u"must be true or false"_s),
             qPrintable(m_sim.errorString()));
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::expireContextForcesNewLogin()
{
    // Armed while the command runs: the next Receive on the established connection gets 401;
    // the client logs in again and repeats that Receive.
    const qsizetype logins = m_sim.stderrText().count(u"HV01 authenticated TESTDOM\\alice"_s);
    auto r = runner(u"'one'\nStart-Sleep -Seconds 3\n'two'\n"_s,
                    [](ConnectionSettings &s) { s.operationTimeout = std::chrono::seconds(1); });
    bool armed = false;
    connect(r.get(), &PowerShellRunner::outputLine, this, [&](OutputStream, const QString &line) {
        if (line == u"one" && !armed) {
            armed = true;
            setFaults(R"({"hosts":{"HV01":{"expireContext":true}}})");
        }
    });
    const RunOutcome o = runToEnd(*r);
    QVERIFY(armed);
    QCOMPARE(o.finishedCount, 1);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.stdoutLines, (QStringList{u"one"_s, u"two"_s}));
    QTRY_COMPARE(m_sim.stderrText().count(u"HV01 expireContext fault: security context dropped"_s),
                 1);
    // The first login, and the one after the host dropped the context.
    QTRY_COMPARE(m_sim.stderrText().count(u"HV01 authenticated TESTDOM\\alice"_s), logins + 2);
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::hangLeavesRequestsUnanswered()
{
    setFaults(R"({"hosts":{"HV01":{"hang":true}}})");
    auto r = runner(u"'x'"_s, [](ConnectionSettings &s) {
        s.commandDeadline = std::chrono::seconds(3);
        s.cleanupTimeout = std::chrono::seconds(2);
    });
    QElapsedTimer clock;
    clock.start();
    const RunOutcome o = runToEnd(*r, 30000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(o.finishedCount, 1);
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::Timeout);
    // The client gives up at its 3 s deadline (a coarse timer: up to 5 % early).
    QVERIFY2(elapsed >= 2800 && elapsed < 10000, qPrintable(QString::number(elapsed)));
    QTRY_VERIFY(m_sim.stderrText().contains(u"HV01 hang fault: leaving a request unanswered"_s));
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::latencyDelaysEveryAnswer()
{
    // Two handshake legs, Create, Command, Send, Receive, Signal, Delete: at least six answers.
    setFaults(R"({"hosts":{"*":{"latencyMs":400}}})");
    auto r = runner(u"'slow'"_s);
    QElapsedTimer clock;
    clock.start();
    const RunOutcome o = runToEnd(*r);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.stdoutLines, QStringList{u"slow"_s});
    QVERIFY2(elapsed >= 6 * 400, qPrintable(QString::number(elapsed)));
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::failNextAnswersWithStatus()
{
    setFaults(R"({"hosts":{"HV01":{"failNext":{"count":1,"status":503}}}})");
    auto first = runner(u"'x'"_s);
    const RunOutcome failed = runToEnd(*first);
    QCOMPARE(failed.result.outcome, JobOutcome::Failed);
    QVERIFY2(failed.result.error.message.contains(u"HTTP 503"_s),
             qPrintable(failed.result.error.toString()));
    QTRY_VERIFY(m_sim.stderrText().contains(u"HV01 failNext fault: answering 503"_s));
    auto second = runner(u"'after'"_s);
    const RunOutcome ok = runToEnd(*second);
    QVERIFY2(ok.result.outcome == JobOutcome::Succeeded, qPrintable(ok.result.error.toString()));
    QCOMPARE(ok.stdoutLines, QStringList{u"after"_s});
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::dropReceiveCutsReplyAndClientRepeats()
{
    setFaults(R"({"hosts":{"HV01":{"dropReceive":1}}})");
    auto r = runner(u"'survives a cut'"_s);
    const RunOutcome o = runToEnd(*r);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.stdoutLines, QStringList{u"survives a cut"_s});
    QTRY_COMPARE(m_sim.stderrText().count(u"HV01 dropReceive fault"_s), 1);
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::rejectCredentials()
{
    setFaults(R"({"hosts":{"HV01":{"rejectCredentials":true}}})");
    auto r = runner(u"'x'"_s);
    const RunOutcome o = runToEnd(*r);
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::CredentialsRejected);
    QTRY_VERIFY(m_sim.stderrText().contains(u"(rejectCredentials fault)"_s));
    setFaults(R"({"hosts":{}})");
}

void TestHostSimFaults::accessDenied()
{
    setFaults(R"({"hosts":{"HV01":{"accessDenied":["alice"]}}})");
    auto r = runner(u"'x'"_s);
    const RunOutcome o = runToEnd(*r);
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::WsManFault);
    QVERIFY2(o.result.error.detail.startsWith(u"code 5,"_s), qPrintable(o.result.error.detail));
    QTRY_VERIFY(m_sim.stderrText().contains(u"HV01 accessDenied fault for TESTDOM\\alice"_s));
    setFaults(R"({"hosts":{}})");
}

QTEST_GUILESS_MAIN(TestHostSimFaults)
#include "tst_hostsim_faults.moc"
