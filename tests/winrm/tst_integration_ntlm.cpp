// NTLM with message encryption over HTTP against aetherv-hostsim (an independent server with a
// gss-ntlmssp acceptor and real PowerShell 7): long scripts, large and non-Latin output, commands
// outliving several OperationTimeouts, cancel, context expiry, wrong password, hanging host.
#include "hostsimharness.h"

#include "core/winrm/powershellrunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {
const QString password = QStringLiteral("Pa55-w0rd!");
}

class TestIntegrationNtlm : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void encryptedRunWithParametersAndExitCode();
    void nonLatinOutput();
    void script100KB();
    void output10MB();
    void outlivesSeveralOperationTimeouts();
    void cancelMidwayDeletesShellOnHost();
    void contextExpiryRecovers();
    void wrongPassword();
    void plainBasicOverHttpIsRefusedByClient();
    void hangingHostEndsAtDeadline();
    void cleanupTestCase();

private:
    RunOutcome run(PowerShellRunner &runner, int timeoutMs = 60000);
    PowerShellRunner *runner(const QString &script, const QJsonObject &params = {},
                             const QString &pass = password,
                             std::function<void(ConnectionSettings &)> tweak = {});
    void setFaults(const QByteArray &json);

    HostSimHarness m_sim;
    Credentials m_credentials{QStringLiteral("TESTDOM\\alice"), password};
};

void TestIntegrationNtlm::initTestCase()
{
    QFile users(m_sim.filePath(QStringLiteral("users")));
    QVERIFY(users.open(QIODevice::WriteOnly));
    users.write("TESTDOM:alice:" + password.toUtf8() + "\n");
    users.close();
    setFaults("{}");
    QVERIFY(m_sim.start({QStringLiteral("--hosts"), QStringLiteral("1"), QStringLiteral("--users"),
                         users.fileName(), QStringLiteral("--faults"),
                         m_sim.filePath(QStringLiteral("faults.json"))}));
}

void TestIntegrationNtlm::cleanupTestCase()
{
    m_sim.stop();
}

void TestIntegrationNtlm::setFaults(const QByteArray &json)
{
    {
        QFile f(m_sim.filePath(QStringLiteral("faults.json")));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(json);
    }
    // Only after the file is complete: a reload triggered by the watcher mid-write may see a
    // partial file, the SIGHUP one never does.
    if (!m_sim.hosts.isEmpty())
        QVERIFY(m_sim.reloadFaults());
}

PowerShellRunner *TestIntegrationNtlm::runner(const QString &script, const QJsonObject &params,
                                              const QString &pass,
                                              std::function<void(ConnectionSettings &)> tweak)
{
    ConnectionSettings s = settingsFor(m_sim.hosts.first(), AuthMechanism::Ntlm);
    if (tweak)
        tweak(s);
    return new PowerShellRunner(s, Credentials{m_credentials.user, pass}, script, params, this);
}

RunOutcome TestIntegrationNtlm::run(PowerShellRunner &r, int timeoutMs)
{
    RunOutcome out;
    connect(&r, &PowerShellRunner::outputLine, this, [&out](OutputStream s, const QString &line) {
        (s == OutputStream::Stdout ? out.stdoutLines : out.stderrLines).append(line);
    });
    QSignalSpy finished(&r, &PowerShellRunner::finished);
    r.start();
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        return out;
    out.finishedCount = int(finished.count());
    out.result = r.result();
    return out;
}

void TestIntegrationNtlm::encryptedRunWithParametersAndExitCode()
{
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("param([string]$ParametersJson)\n"
                              "$p = $ParametersJson | ConvertFrom-Json\n"
                              "'{\"event\":\"progress\",\"step\":1}'\n"
                              "\"name=$($p.name) count=$($p.count)\"\n"
                              "[Console]::Error.WriteLine('to stderr')\n"
                              "exit 7\n"),
               QJsonObject{{QStringLiteral("name"), QStringLiteral("agent bundle")},
                           {QStringLiteral("count"), 3}}));
    const RunOutcome o = run(*r);
    QCOMPARE(o.finishedCount, 1);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.result.exitCode, std::optional<qint64>(7));
    QCOMPARE(o.stdoutLines, (QStringList{QStringLiteral("{\"event\":\"progress\",\"step\":1}"),
                                         QStringLiteral("name=agent bundle count=3")}));
    QVERIFY(o.result.stderrText.contains(QStringLiteral("to stderr")));
    QVERIFY(o.result.shellDeleted);
    QVERIFY(m_sim.log().contains(QStringLiteral("authenticated TESTDOM\\alice via Negotiate")));
}

void TestIntegrationNtlm::nonLatinOutput()
{
    const QString text = QStringLiteral("Grüße 世界 Привет 🚀 ✓");
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("param($j)\n$t = ($j | ConvertFrom-Json).text\n"
                              "1..200 | ForEach-Object { \"$_ $t\" }\n"),
               QJsonObject{{QStringLiteral("text"), text}}));
    const RunOutcome o = run(*r);
    QCOMPARE(o.result.outcome, JobOutcome::Succeeded);
    QCOMPARE(o.stdoutLines.size(), qsizetype(200));
    for (int i = 0; i < 200; ++i)
        QCOMPARE(o.stdoutLines.at(i), QString::number(i + 1) + u' ' + text);
}

void TestIntegrationNtlm::script100KB()
{
    QString script = QStringLiteral("$sum = 0\n");
    int expected = 0;
    for (int i = 0; script.size() < 100 * 1024; ++i) {
        script += QStringLiteral("$sum += %1 # padding to make the script long: äöü\n").arg(i);
        expected += i;
    }
    script += QStringLiteral("\"sum=$sum length=%1\"\n").arg(script.size());
    std::unique_ptr<PowerShellRunner> r(runner(script, {}, password, [](ConnectionSettings &s) {
        s.maxEnvelopeSize = 153600; // a 150 KB server: the script needs more than one Send
    }));
    const RunOutcome o = run(*r);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.stdoutLines.size(), qsizetype(1));
    QVERIFY(o.stdoutLines.first().startsWith(QStringLiteral("sum=%1 ").arg(expected)));
    QVERIFY(r->command().sendCount() >= 2);
}

void TestIntegrationNtlm::output10MB()
{
    std::unique_ptr<PowerShellRunner> r(runner(QStringLiteral(
        "$line = 'x' * 1022\nfor ($i = 0; $i -lt 10240; $i++) { \"$line\" }\n'end'\n")));
    const RunOutcome o = run(*r, 240000);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QVERIFY(o.result.stdoutBytes >= 10 * 1024 * 1024);
    QCOMPARE(o.stdoutLines.size(), qsizetype(10241));
    QCOMPARE(o.stdoutLines.last(), QStringLiteral("end"));
    QCOMPARE(o.stdoutLines.first().size(), qsizetype(1022));
}

void TestIntegrationNtlm::outlivesSeveralOperationTimeouts()
{
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("'start'\nStart-Sleep -Seconds 4\n'done'\n"), {}, password,
               [](ConnectionSettings &s) { s.operationTimeout = std::chrono::seconds(1); }));
    const RunOutcome o = run(*r);
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QCOMPARE(o.stdoutLines, (QStringList{QStringLiteral("start"), QStringLiteral("done")}));
    QVERIFY2(r->command().receiveCount() >= 4,
             qPrintable(QString::number(r->command().receiveCount())));
}

void TestIntegrationNtlm::cancelMidwayDeletesShellOnHost()
{
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("'started'\nStart-Sleep -Seconds 120\n'never'\n")));
    QSignalSpy finished(r.get(), &PowerShellRunner::finished);
    QStringList lines;
    connect(r.get(), &PowerShellRunner::outputLine, this, [&](OutputStream, const QString &line) {
        lines.append(line);
        r->cancel();
    });
    QElapsedTimer clock;
    clock.start();
    r->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(clock.elapsed() < 30000);
    QCOMPARE(r->result().outcome, JobOutcome::Cancelled);
    QCOMPARE(lines, QStringList{QStringLiteral("started")});
    QVERIFY(r->result().shellDeleted);
    const QString shellId = r->result().shellId;
    QVERIFY(!shellId.isEmpty());
    QTRY_VERIFY(m_sim.log().contains(u"shell " + shellId + u" deleted"));
    r->cancel();
    QCOMPARE(finished.count(), 1);
}

void TestIntegrationNtlm::contextExpiryRecovers()
{
    // The host drops the security context while the command runs: the next Receive gets 401,
    // the client re-authenticates and repeats that Receive (same MessageID).
    const qsizetype before = m_sim.log().count(QStringLiteral("authenticated TESTDOM\\alice"));
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("'one'\nStart-Sleep -Seconds 3\n'two'\n"), {}, password,
               [](ConnectionSettings &s) { s.operationTimeout = std::chrono::seconds(1); }));
    bool armed = false;
    connect(r.get(), &PowerShellRunner::outputLine, this, [&](OutputStream, const QString &line) {
        if (line == u"one" && !armed) {
            armed = true;
            setFaults("{\"hosts\":{\"HV01\":{\"expireContext\":true}}}");
        }
    });
    const RunOutcome o = run(*r);
    setFaults("{}");
    QVERIFY2(m_sim.log().contains(QStringLiteral("expireContext fault")), "the fault never fired");
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QVERIFY2(o.stdoutLines == (QStringList{QStringLiteral("one"), QStringLiteral("two")}),
             qPrintable(o.stdoutLines.join(u'|') + u" / " + o.result.stderrText));
    QVERIFY(m_sim.log().count(QStringLiteral("authenticated TESTDOM\\alice")) >= before + 2);
}

void TestIntegrationNtlm::wrongPassword()
{
    std::unique_ptr<PowerShellRunner> r(runner(QStringLiteral("'x'"), {}, QStringLiteral("wrong")));
    const RunOutcome o = run(*r);
    QCOMPARE(o.finishedCount, 1);
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::CredentialsRejected);
    QVERIFY(o.result.error.message.contains(QStringLiteral("TESTDOM\\alice")));
    QVERIFY(!o.result.error.message.contains(QStringLiteral("wrong")));
}

void TestIntegrationNtlm::plainBasicOverHttpIsRefusedByClient()
{
    ConnectionSettings s = settingsFor(m_sim.hosts.first(), AuthMechanism::Basic);
    PowerShellRunner r(s, m_credentials, QStringLiteral("'x'"));
    const RunOutcome o = run(r);
    QCOMPARE(o.result.error.code, ErrorCode::EncryptionRequired);
    QVERIFY(o.result.error.message.contains(QStringLiteral("HTTPS")));
}

void TestIntegrationNtlm::hangingHostEndsAtDeadline()
{
    setFaults("{\"hosts\":{\"HV01\":{\"hang\":true}}}");
    std::unique_ptr<PowerShellRunner> r(
        runner(QStringLiteral("'x'"), {}, password, [](ConnectionSettings &s) {
            s.commandDeadline = std::chrono::seconds(3);
            s.cleanupTimeout = std::chrono::seconds(2);
        }));
    QElapsedTimer clock;
    clock.start();
    const RunOutcome o = run(*r, 30000);
    const qint64 elapsed = clock.elapsed();
    setFaults("{}");
    QCOMPARE(o.finishedCount, 1);
    QVERIFY2(m_sim.log().contains(QStringLiteral("hang fault")), "the fault never fired");
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::Timeout);
    QVERIFY2(elapsed >= 2900 && elapsed < 8000, qPrintable(QString::number(elapsed)));
}

QTEST_GUILESS_MAIN(TestIntegrationNtlm)
#include "tst_integration_ntlm.moc"
