// A WinRM endpoint that breaks HTTP (garbage, truncated XML, a 1 GB body, endless streams, a
// trickle) against the real CLI: every case ends with a specific error, in bounded time and with
// bounded memory, and the CLI exits normally.
#include "clirun.h"
#include "hostilewinrmserver.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace aetherv::hardeningtest;
using Mode = HostileWinRmServer::Mode;

class tst_HostileWinRm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void brokenServerGivesSpecificError_data();
    void brokenServerGivesSpecificError();

private:
    QTemporaryDir m_dir;
};

void tst_HostileWinRm::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo::exists(cliExecutable()));
    QVERIFY(writePasswordFile(m_dir.filePath(u"password"_qs), "Hostile-Test-Pw1"));
}

void tst_HostileWinRm::brokenServerGivesSpecificError_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("maxSeconds");
    QTest::newRow("garbage") << Mode::Garbage
                             << u"did not answer with valid HTTP (the reply does not start with "
                                u"HTTP/)"_qs
                             << 15;
    QTest::newRow("truncated XML")
        << Mode::TruncatedXml << u"the host's WS-Management reply could not be read"_qs << 15;
    QTest::newRow("1 GB body") << Mode::GigabyteBody
                               << u"sent a reply of 1073741824 bytes, beyond the limit"_qs << 15;
    QTest::newRow("endless chunked")
        << Mode::EndlessChunked << u"sent a reply of more than 16777216 bytes"_qs << 30;
    QTest::newRow("endless until close")
        << Mode::EndlessUntilClose << u"sent a reply of more than 16777216 bytes"_qs << 30;
    QTest::newRow("endless headers")
        << Mode::EndlessHeaders << u"its status line and headers exceed 65536 bytes"_qs << 15;
    // OperationTimeout 1 s: the read timeout is 11 s, the whole reply must come within 22 s.
    QTest::newRow("trickle") << Mode::Trickle << u"kept sending for 22 s without finishing"_qs
                             << 60;
}

void tst_HostileWinRm::brokenServerGivesSpecificError()
{
    QFETCH(Mode, mode);
    QFETCH(QString, expected);
    QFETCH(int, maxSeconds);
    HostileWinRmServer server(mode);
    QVERIFY(server.listen());
    const QString host = u"127.0.0.1:"_qs + QString::number(server.port());
    const QJsonObject profile{
        {u"schemaVersion"_qs, 2},
        {u"id"_qs, u"hostile"_qs},
        {u"name"_qs, u"Hostile endpoint"_qs},
        {u"environment"_qs, u"test"_qs},
        {u"hosts"_qs, QJsonArray{QJsonObject{{u"address"_qs, u"127.0.0.1"_qs},
                                             {u"port"_qs, int(server.port())}}}},
        {u"bundleDirectory"_qs, QString(buildDir() + u"/agent-bundle"_qs)},
        {u"winrm"_qs, QJsonObject{{u"transport"_qs, u"http"_qs},
                                  {u"auth"_qs, u"basic"_qs},
                                  {u"allowBasicOverHttp"_qs, true},
                                  {u"userName"_qs, u"operator"_qs},
                                  {u"operationTimeoutSeconds"_qs, 1},
                                  {u"connectTimeoutSeconds"_qs, 5},
                                  {u"commandDeadlineSeconds"_qs, 120}}},
    };
    const QString profileFile = m_dir.filePath(u"profile.json"_qs);
    QVERIFY(writeJson(profileFile, profile));
    const CliResult r
        = runCli({u"exec"_qs, u"--profile-file"_qs, profileFile, u"--host"_qs, host,
                  u"--command"_qs, u"'hello'"_qs},
                 cliEnvironment(m_dir.filePath(u"home"_qs), m_dir.filePath(u"password"_qs)),
                 maxSeconds * 1000);
    QVERIFY2(r.finished, qPrintable(u"the CLI did not finish within "_qs
                                    + QString::number(maxSeconds) + u" s: "_qs + r.text()));
    QVERIFY2(r.exitCode > 0 && r.exitCode < 64, qPrintable(r.text())); // failed, not crashed
    QVERIFY2(r.text().contains(expected), qPrintable(r.text()));
    QVERIFY(server.requests() >= 1);
    QVERIFY2(r.maxRssKiB > 0 && r.maxRssKiB < 300 * 1024,
             qPrintable(QString::number(r.maxRssKiB) + u" KiB"_qs));
    qInfo("%s: exit %d after %lld ms, peak RSS %lld KiB, server sent %lld bytes",
          QTest::currentDataTag(), r.exitCode, r.elapsedMs, r.maxRssKiB, server.bytesSent());
    // Nothing of the hostile bytes reaches the terminal raw (control characters are escaped).
    QVERIFY(!r.out.contains('\x1b') && !r.err.contains('\x1b'));
}

QTEST_GUILESS_MAIN(tst_HostileWinRm)
#include "tst_hostile_winrm.moc"
