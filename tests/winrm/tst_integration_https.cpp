// HTTPS against aetherv-hostsim: Basic (credentials protected by TLS), NTLM with channel binding
// (tls-server-end-point of the host's certificate), certificate verification by CA file, and the
// explicit ignore-TLS-errors flag.
#include "hostsimharness.h"

#include "core/winrm/auth/channelbindings.h"

#include <QFile>
#include <QProcess>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {
const QString password = QStringLiteral("Pa55-w0rd!");
}

class TestIntegrationHttps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void basicOverHttps();
    void ntlmOverHttpsWithChannelBinding();
    void untrustedCertificateIsRefused();
    void ignoringTlsErrorsIsExplicitAndWarns();
    void basicWrongPassword();

private:
    RunOutcome run(const ConnectionSettings &s, const Credentials &c, const QString &script);
    ConnectionSettings settings(AuthMechanism auth) const;

    HostSimHarness m_sim;
    QString m_ca;
};

void TestIntegrationHttps::initTestCase()
{
    QFile users(m_sim.filePath(QStringLiteral("users")));
    QVERIFY(users.open(QIODevice::WriteOnly));
    users.write("TESTDOM:alice:" + password.toUtf8() + "\n");
    users.close();
    m_ca = m_sim.filePath(QStringLiteral("cert.pem"));
    const QString key = m_sim.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), m_ca});
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);
    QVERIFY(m_sim.start({QStringLiteral("--hosts"), QStringLiteral("1"), QStringLiteral("--users"),
                         users.fileName(), QStringLiteral("--auth"),
                         QStringLiteral("negotiate,basic"), QStringLiteral("--https"),
                         QStringLiteral("--cert"), m_ca, QStringLiteral("--key"), key}));
    QVERIFY(m_sim.hosts.first().url.startsWith(QStringLiteral("https://")));
}

ConnectionSettings TestIntegrationHttps::settings(AuthMechanism auth) const
{
    ConnectionSettings s = settingsFor(m_sim.hosts.first(), auth);
    s.caFile = m_ca;
    return s;
}

RunOutcome TestIntegrationHttps::run(const ConnectionSettings &s, const Credentials &c,
                                     const QString &script)
{
    RunOutcome out;
    PowerShellRunner r(s, c, script);
    connect(&r, &PowerShellRunner::outputLine, this, [&out](OutputStream st, const QString &line) {
        (st == OutputStream::Stdout ? out.stdoutLines : out.stderrLines).append(line);
    });
    QSignalSpy finished(&r, &PowerShellRunner::finished);
    r.start();
    finished.wait(60000);
    out.finishedCount = int(finished.count());
    out.result = r.result();
    return out;
}

void TestIntegrationHttps::basicOverHttps()
{
    const RunOutcome o
        = run(settings(AuthMechanism::Basic), Credentials{QStringLiteral("alice"), password},
              QStringLiteral("\"basic ok ü\"\nexit 4\n"));
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QVERIFY2(o.stdoutLines == QStringList{QStringLiteral("basic ok ü")},
             qPrintable(o.result.stderrText + QString::number(o.result.exitCode.value_or(-1))));
    QCOMPARE(o.result.exitCode, std::optional<qint64>(4));
    QVERIFY(m_sim.log().contains(QStringLiteral("shell ") + o.result.shellId + u" deleted"));
}

void TestIntegrationHttps::ntlmOverHttpsWithChannelBinding()
{
    const RunOutcome o = run(settings(AuthMechanism::Ntlm),
                             Credentials{QStringLiteral("TESTDOM\\alice"), password},
                             QStringLiteral("'ntlm over tls'"));
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
    QVERIFY2(o.stdoutLines == QStringList{QStringLiteral("ntlm over tls")},
             qPrintable(o.result.stderrText + QString::number(o.result.exitCode.value_or(-1))));
    QVERIFY(m_sim.log().contains(QStringLiteral("authenticated TESTDOM\\alice via Negotiate")));
}

void TestIntegrationHttps::untrustedCertificateIsRefused()
{
    ConnectionSettings s = settings(AuthMechanism::Basic);
    s.caFile.clear(); // system CAs do not know the throwaway certificate
    const RunOutcome o
        = run(s, Credentials{QStringLiteral("alice"), password}, QStringLiteral("'x'"));
    QCOMPARE(o.result.outcome, JobOutcome::Failed);
    QCOMPARE(o.result.error.code, ErrorCode::Tls);
    QVERIFY(o.result.error.message.contains(QStringLiteral("CA file")));
}

void TestIntegrationHttps::ignoringTlsErrorsIsExplicitAndWarns()
{
    ConnectionSettings s = settings(AuthMechanism::Basic);
    s.caFile.clear();
    s.ignoreTlsErrors = true;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "TLS certificate errors on 127.0.0.1 ignored")));
    const RunOutcome o = run(s, Credentials{QStringLiteral("alice"), password},
                             QStringLiteral("'insecure but explicit'"));
    QVERIFY2(o.result.outcome == JobOutcome::Succeeded, qPrintable(o.result.error.toString()));
}

void TestIntegrationHttps::basicWrongPassword()
{
    const RunOutcome o
        = run(settings(AuthMechanism::Basic),
              Credentials{QStringLiteral("alice"), QStringLiteral("nope")}, QStringLiteral("'x'"));
    QCOMPARE(o.result.error.code, ErrorCode::CredentialsRejected);
}

QTEST_GUILESS_MAIN(TestIntegrationHttps)
#include "tst_integration_https.moc"
