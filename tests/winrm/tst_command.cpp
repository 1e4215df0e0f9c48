// RemoteCommand / PowerShellRunner against a scripted host behind the transport seam: the
// Receive loop (timeouts poll again, several streams, UTF-8 split across Receives), stdin
// chunking, deadline and cancel with Signal + Delete, errors, and "finished at most once".
#include "fakewsmanhost.h"

#include "core/winrm/auth/ntlmcrypto.h"
#include "core/winrm/powershellrunner.h"
#include "core/winrm/remotecommand.h"
#include "core/winrm/wsmannamespaces.h"

#include <QSignalSpy>
#include <QTest>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {

ConnectionSettings settings()
{
    ConnectionSettings s;
    s.host = QStringLiteral("hyperv01");
    s.commandDeadline = std::chrono::seconds(30);
    s.cleanupTimeout = std::chrono::seconds(5);
    return s;
}

QStringList actions(const FakeWsmanHost &host)
{
    QStringList out;
    for (const FakeRequest &r : host.requests)
        out.append(r.action == u"Signal" ? u"Signal:" + r.signalCode : r.action);
    return out;
}

// Answers Create/Command/Send/Signal/Delete normally and Receive from `receive`.
FakeWsmanHost::Handler
standardHost(std::function<std::optional<Result<QByteArray>>(const FakeRequest &, int)> receive)
{
    auto receives = std::make_shared<int>(0);
    return [receive, receives](const FakeRequest &r) -> std::optional<Result<QByteArray>> {
        if (r.action == u"Create")
            return FakeWsmanHost::createResponse(r, QStringLiteral("SHELL-1"));
        if (r.action == u"Command")
            return FakeWsmanHost::commandResponse(r, QStringLiteral("CMD-1"));
        if (r.action == u"Send")
            return FakeWsmanHost::emptyResponse(r, QStringLiteral("SendResponse"));
        if (r.action == u"Signal")
            return FakeWsmanHost::emptyResponse(r, QStringLiteral("SignalResponse"));
        if (r.action == u"Delete")
            return FakeWsmanHost::emptyResponse(r, QStringLiteral("DeleteResponse"));
        return receive(r, (*receives)++);
    };
}

} // namespace

class TestCommand : public QObject
{
    Q_OBJECT

private slots:
    void receiveLoop();
    void stdinIsChunkedToTheEnvelopeLimit();
    void deadlineSignalsAndDeletes();
    void cancelMidwayDeletesShell();
    void cancelBeforeStart();
    void faultInCommandStillDeletesShell();
    void relatesToMismatchFails();
    void hangingCleanupIsBounded();
    void lostConnectionOnReceiveFails();
    void powershellBootstrapAndPayload();
};

void TestCommand::receiveLoop()
{
    const QByteArray text = QStringLiteral("héllo wörld 世界\r\nline2\r\n").toUtf8();
    const qsizetype cut = text.indexOf("ö") + 1; // inside the two-byte "ö"
    FakeWsmanHost host(standardHost([&](const FakeRequest &r,
                                        int n) -> std::optional<Result<QByteArray>> {
        switch (n) {
        case 0:
            return FakeWsmanHost::fault(r, ns::faultcode::operationTimedOut,
                                        QStringLiteral("TimedOut"), QStringLiteral("no output"));
        case 1:
            return FakeWsmanHost::receiveResponse(r,
                                                  {{QStringLiteral("stdout"), text.left(cut)},
                                                   {QStringLiteral("stderr"), "warn 1\n"}},
                                                  false, std::nullopt);
        case 2:
            return FakeWsmanHost::fault(r, ns::faultcode::operationTimedOut,
                                        QStringLiteral("TimedOut"), QStringLiteral("no output"));
        default:
            return FakeWsmanHost::receiveResponse(r, {{QStringLiteral("stdout"), text.mid(cut)}},
                                                  true, 3);
        }
    }));
    CommandSpec spec;
    spec.command = QStringLiteral("cmd.exe");
    RemoteCommand job(&host, settings(), spec);
    QSignalSpy lines(&job, &RemoteCommand::outputLine);
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    const CommandResult result = job.result();
    QCOMPARE(result.outcome, JobOutcome::Succeeded);
    QCOMPARE(result.exitCode, std::optional<qint64>(3));
    QCOMPARE(result.stdoutText, QString::fromUtf8(text));
    QCOMPARE(result.stderrText, QStringLiteral("warn 1\n"));
    QVERIFY(result.shellDeleted);
    QCOMPARE(actions(host),
             (QStringList{QStringLiteral("Create"), QStringLiteral("Command"),
                          QStringLiteral("Receive"), QStringLiteral("Receive"),
                          QStringLiteral("Receive"), QStringLiteral("Receive"),
                          QStringLiteral("Signal:terminate"), QStringLiteral("Delete")}));
    QCOMPARE(lines.count(), 3);
    QCOMPARE(lines.at(0).at(1).toString(), QStringLiteral("warn 1"));
    QCOMPARE(lines.at(1).at(1).toString(), QStringLiteral("héllo wörld 世界"));
    QCOMPARE(lines.at(2).at(1).toString(), QStringLiteral("line2"));
    // Receive, Signal and Delete are repeatable; Create and Command are not.
    for (const FakeRequest &r : host.requests)
        QCOMPARE(r.repeatable,
                 r.action == u"Receive" || r.action == u"Signal" || r.action == u"Delete");
    QCOMPARE(host.requests.at(2).shellId, QStringLiteral("SHELL-1"));
    QCOMPARE(host.requests.at(2).commandId, QStringLiteral("CMD-1"));
}

void TestCommand::stdinIsChunkedToTheEnvelopeLimit()
{
    FakeWsmanHost host(
        standardHost([](const FakeRequest &r, int) -> std::optional<Result<QByteArray>> {
            return FakeWsmanHost::receiveResponse(r, {}, true, 0);
        }));
    QByteArray input;
    for (int i = 0; input.size() < 300 * 1024; ++i)
        input += "line " + QByteArray::number(i) + " of the script payload\r\n";
    CommandSpec spec;
    spec.command = QStringLiteral("powershell.exe");
    spec.stdinData = input;
    ConnectionSettings s = settings();
    s.maxEnvelopeSize = 153600;
    RemoteCommand job(&host, s, spec);
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().outcome, JobOutcome::Succeeded);
    QByteArray joined;
    int sends = 0;
    for (const FakeRequest &r : host.requests) {
        if (r.action != u"Send")
            continue;
        ++sends;
        joined += r.stdinData;
        QCOMPARE(r.stdinEnd, joined.size() == input.size());
        QVERIFY(r.stdinData.size() <= job.sendChunkSize());
    }
    QCOMPARE(joined, input);
    QCOMPARE(sends, int((input.size() + job.sendChunkSize() - 1) / job.sendChunkSize()));
    QCOMPARE(sends, job.sendCount());
    QVERIFY(job.sendChunkSize() > 100000);
}

void TestCommand::deadlineSignalsAndDeletes()
{
    FakeWsmanHost host(
        standardHost([](const FakeRequest &, int) -> std::optional<Result<QByteArray>> {
            return std::nullopt; // the command never produces anything
        }));
    ConnectionSettings s = settings();
    s.commandDeadline = std::chrono::milliseconds(300);
    CommandSpec spec;
    spec.command = QStringLiteral("cmd.exe");
    RemoteCommand job(&host, s, spec);
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().outcome, JobOutcome::Failed);
    QCOMPARE(job.result().error.code, ErrorCode::Timeout);
    QVERIFY(job.result().shellDeleted);
    QVERIFY(host.aborts >= 1); // the held Receive was dropped, not waited for
    QCOMPARE(actions(host).mid(3),
             (QStringList{QStringLiteral("Signal:ctrl_c"), QStringLiteral("Signal:terminate"),
                          QStringLiteral("Delete")}));
}

void TestCommand::cancelMidwayDeletesShell()
{
    FakeWsmanHost host(
        standardHost([](const FakeRequest &r, int n) -> std::optional<Result<QByteArray>> {
            if (n == 0)
                return FakeWsmanHost::receiveResponse(r, {{QStringLiteral("stdout"), "step 1\n"}},
                                                      false, std::nullopt);
            return std::nullopt;
        }));
    CommandSpec spec;
    spec.command = QStringLiteral("cmd.exe");
    RemoteCommand job(&host, settings(), spec);
    QSignalSpy lines(&job, &RemoteCommand::outputLine);
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(lines.count(), 1);
    QTRY_VERIFY(host.inFlight());
    job.cancel();
    job.cancel();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().outcome, JobOutcome::Cancelled);
    QCOMPARE(job.result().error.code, ErrorCode::Cancelled);
    QVERIFY(job.result().shellDeleted);
    QVERIFY(actions(host).endsWith(QStringLiteral("Delete")));
    QVERIFY(actions(host).contains(QStringLiteral("Signal:ctrl_c")));
    // Nothing more happens afterwards: exactly one finished.
    job.cancel();
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
}

void TestCommand::cancelBeforeStart()
{
    FakeWsmanHost host(standardHost([](const FakeRequest &, int) { return std::nullopt; }));
    RemoteCommand job(&host, settings(), CommandSpec{});
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.cancel();
    job.start();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(job.result().outcome, JobOutcome::Cancelled);
    QTest::qWait(20);
    QVERIFY(host.requests.isEmpty());
    QCOMPARE(finished.count(), 1);
}

void TestCommand::faultInCommandStillDeletesShell()
{
    FakeWsmanHost host([](const FakeRequest &r) -> std::optional<Result<QByteArray>> {
        if (r.action == u"Create")
            return FakeWsmanHost::createResponse(r, QStringLiteral("SHELL-9"));
        if (r.action == u"Command")
            return FakeWsmanHost::fault(r, ns::faultcode::commandQuota,
                                        QStringLiteral("QuotaLimit"),
                                        QStringLiteral("maximum commands per user exceeded"));
        return FakeWsmanHost::emptyResponse(r, QStringLiteral("DeleteResponse"));
    });
    RemoteCommand job(&host, settings(), CommandSpec{});
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().error.code, ErrorCode::WsManFault);
    QVERIFY(job.result().error.message.contains(QStringLiteral("maximum commands per user")));
    QVERIFY(job.result().error.detail.contains(QStringLiteral("2150859174")));
    QVERIFY(job.result().error.detail.contains(QStringLiteral("fakehost")));
    QCOMPARE(actions(host), (QStringList{QStringLiteral("Create"), QStringLiteral("Command"),
                                         QStringLiteral("Delete")}));
    QCOMPARE(host.requests.last().shellId, QStringLiteral("SHELL-9"));
}

void TestCommand::relatesToMismatchFails()
{
    FakeWsmanHost host(
        standardHost([](const FakeRequest &r, int) -> std::optional<Result<QByteArray>> {
            return FakeWsmanHost::receiveResponse(r, {{QStringLiteral("stdout"), "x"}}, true, 0,
                                                  QStringLiteral("uuid:SOMEONE-ELSE"));
        }));
    RemoteCommand job(&host, settings(), CommandSpec{});
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().outcome, JobOutcome::Failed);
    QCOMPARE(job.result().error.code, ErrorCode::Protocol);
    QVERIFY(job.result().shellDeleted);
}

void TestCommand::hangingCleanupIsBounded()
{
    // After the deadline even Signal and Delete hang: the job still ends, shell not confirmed.
    FakeWsmanHost host([](const FakeRequest &r) -> std::optional<Result<QByteArray>> {
        if (r.action == u"Create")
            return FakeWsmanHost::createResponse(r, QStringLiteral("S"));
        if (r.action == u"Command")
            return FakeWsmanHost::commandResponse(r, QStringLiteral("C"));
        return std::nullopt;
    });
    ConnectionSettings s = settings();
    s.commandDeadline = std::chrono::milliseconds(200);
    s.cleanupTimeout = std::chrono::milliseconds(300);
    RemoteCommand job(&host, s, CommandSpec{});
    QSignalSpy finished(&job, &RemoteCommand::finished);
    QElapsedTimer clock;
    clock.start();
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(clock.elapsed() < 3000);
    QCOMPARE(job.result().error.code, ErrorCode::Timeout);
    QVERIFY(!job.result().shellDeleted);
}

void TestCommand::lostConnectionOnReceiveFails()
{
    FakeWsmanHost host(
        standardHost([](const FakeRequest &, int) -> std::optional<Result<QByteArray>> {
            return fail(ErrorCode::Network, QStringLiteral("connection lost"));
        }));
    RemoteCommand job(&host, settings(), CommandSpec{});
    QSignalSpy finished(&job, &RemoteCommand::finished);
    job.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(job.result().error.code, ErrorCode::Network);
    QVERIFY(actions(host).endsWith(QStringLiteral("Delete")));
}

void TestCommand::powershellBootstrapAndPayload()
{
    const QStringList args = PowerShellRunner::arguments();
    const QString commandLine = PowerShellRunner::executable() + u' ' + args.join(u' ');
    QVERIFY2(commandLine.size() < 2000, qPrintable(QString::number(commandLine.size())));
    QCOMPARE(args.at(args.size() - 2), QStringLiteral("-EncodedCommand"));
    QCOMPARE(QByteArray::fromBase64(args.last().toLatin1()),
             ntlm::utf16le(PowerShellRunner::bootstrapScript()));

    QString script = QStringLiteral("param($ParametersJson)\n'ä€'\n");
    script += QString(100 * 1024, u'#');
    const QJsonObject params{{QStringLiteral("name"), QStringLiteral("wörld")}};
    const QByteArray payload = PowerShellRunner::stdinPayload(script, params);
    const QList<QByteArray> parts = payload.split('\n');
    QCOMPARE(parts.size(), qsizetype(3));
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(parts.at(0).trimmed())),
             QStringLiteral("{\"name\":\"wörld\"}"));
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(parts.at(1).trimmed())), script);

    // The runner sends exactly that payload and reports lines through the callback too.
    FakeWsmanHost host(standardHost([](const FakeRequest &r,
                                       int) -> std::optional<Result<QByteArray>> {
        return FakeWsmanHost::receiveResponse(r, {{QStringLiteral("stdout"), "a\nb\n"}}, true, 0);
    }));
    PowerShellRunner runner(&host, settings(), script, params);
    QStringList seen;
    runner.setLineCallback([&seen](OutputStream, const QString &line) { seen.append(line); });
    QSignalSpy finished(&runner, &PowerShellRunner::finished);
    runner.start();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(seen, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QByteArray sent;
    for (const FakeRequest &r : host.requests)
        sent += r.stdinData;
    QCOMPARE(sent, payload);
}

QTEST_GUILESS_MAIN(TestCommand)
#include "tst_command.moc"
