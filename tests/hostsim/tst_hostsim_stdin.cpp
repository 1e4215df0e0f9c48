// Stdin of a simulated powershell.exe, through the project's real WinRM client: whatever the
// client sends reaches $input and [Console]::In every time, also when the script starts before
// the Send request arrives.
#include "simclient.h"

#include <QTemporaryDir>

using namespace aetherv;
using namespace aetherv::hostsimtest;
using namespace aetherv::winrm;
using namespace Qt::StringLiterals;

namespace {
const QString password = u"Pa55-w0rd!"_s;
constexpr int runs = 50;
constexpr int parallel = 5;
} // namespace

class TestHostSimStdin : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void inputGetsAllOfStdin_data();
    void inputGetsAllOfStdin();

private:
    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
};

void TestHostSimStdin::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(m_dir.filePath(u"users"_s), "TESTDOM:alice:" + password.toUtf8() + "\n"));
    QVERIFY2(m_sim.start({u"--hosts"_s, u"1"_s, u"--root"_s, m_dir.filePath(u"root"_s),
                          u"--users"_s, m_dir.filePath(u"users"_s)}),
             qPrintable(m_sim.errorString()));
}

void TestHostSimStdin::cleanupTestCase()
{
    m_sim.stop();
}

void TestHostSimStdin::inputGetsAllOfStdin_data()
{
    QTest::addColumn<QString>("script");
    // The same three lines through the pipeline's $input and through the console reader.
    QTest::newRow("$input") << u"$l = @($input)\n\"$($l.Count)|$($l -join ',')\""_s;
    QTest::newRow("[Console]::In")
        << u"$l = @([Console]::In.ReadToEnd() -split \"`r?`n\" | Where-Object { $_ })\n"
           u"\"$($l.Count)|$($l -join ',')\""_s;
}

void TestHostSimStdin::inputGetsAllOfStdin()
{
    QFETCH(QString, script);
    // Quick commands, several at a time: the script starts long before its Send is processed.
    CommandSpec spec;
    spec.command = u"powershell.exe"_s;
    spec.arguments
        = {u"-NoProfile"_s, u"-NonInteractive"_s, u"-EncodedCommand"_s, encodedCommand(script)};
    spec.stdinData = "alpha\r\nbeta\r\n\xc3\xa9t\xc3\xa9\r\n";
    const QString expected = u"3|alpha,beta,été"_s;
    int failures = 0;
    QStringList wrong;
    for (int started = 0; started < runs; started += parallel) {
        std::vector<std::unique_ptr<RemoteCommand>> batch;
        std::vector<std::unique_ptr<QSignalSpy>> spies;
        std::vector<QStringList> lines(parallel);
        for (int i = 0; i < parallel; ++i) {
            batch.push_back(
                std::make_unique<RemoteCommand>(ntlmSettings(m_sim.hosts().first()),
                                                Credentials{u"TESTDOM\\alice"_s, password}, spec));
            QObject::connect(batch.back().get(), &RemoteCommand::outputLine, this,
                             [&lines, i](OutputStream stream, const QString &line) {
                                 if (stream == OutputStream::Stdout)
                                     lines[size_t(i)].append(line);
                             });
            spies.push_back(
                std::make_unique<QSignalSpy>(batch.back().get(), &RemoteCommand::finished));
            batch.back()->start();
        }
        for (int i = 0; i < parallel; ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(spies[size_t(i)]->count(), 1, 60000);
            const CommandResult &result = batch[size_t(i)]->result();
            QVERIFY2(result.outcome == JobOutcome::Succeeded, qPrintable(result.error.toString()));
            QCOMPARE(result.exitCode, std::optional<qint64>(0));
            if (lines[size_t(i)] != QStringList{expected}) {
                ++failures;
                wrong << lines[size_t(i)].join(u'/');
            }
        }
    }
    QVERIFY2(failures == 0,
             qPrintable(u"%1 of %2 runs: %3"_s.arg(failures).arg(runs).arg(wrong.join(u"; "_s))));
}

QTEST_GUILESS_MAIN(TestHostSimStdin)
#include "tst_hostsim_stdin.moc"
