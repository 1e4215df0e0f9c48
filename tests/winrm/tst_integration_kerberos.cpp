// Kerberos against aetherv-hostsim (an MIT krb5 acceptor with a keytab, real PowerShell 7) and a
// throwaway MIT KDC: message encryption over HTTP (RFC 4121 wrap/unwrap in the MS-WSMV layout)
// with a ticket from the password or from an existing ticket cache, Negotiate choosing Kerberos
// or falling back to NTLM, a wrong password, an SPN the realm does not know, and long scripts and
// output that take many wrapped messages.
#include "hostsimharness.h"
#include "support/kdcfixture.h"

#include "core/winrm/auth/kdcavailability.h"
#include "core/winrm/httptransport.h"
#include "core/winrm/powershellrunner.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {
const QString realm = QStringLiteral("AETHERV.TEST");
const QString password = QStringLiteral("Kerb-Pa55!");
// The simulated host HV01 has HTTP/hv01.aetherv.test in the realm; HV02 has no SPN at all.
const QString hv01Fqdn = QStringLiteral("hv01.aetherv.test");
const QString hv02Fqdn = QStringLiteral("hv02.aetherv.test");
} // namespace

class TestIntegrationKerberos : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void passwordEncryptedRun();
    void ticketCacheEncryptedRun();
    void negotiateChoosesKerberos();
    void negotiateFallsBackToNtlmWithoutSpn();
    void negotiateRemembersRealmWithoutKdc();
    void wrongPassword();
    void unknownSpnService();
    void script100KBAndManyReceives();
    void kerberosOverHttps();
    void cleanupTestCase();

private:
    struct Run
    {
        RunOutcome outcome;
        QString mechanism;
    };
    Run run(ConnectionSettings settings, const Credentials &credentials, const QString &script,
            int timeoutMs = 120000);
    ConnectionSettings settings(int host, AuthMechanism auth, const QString &fqdn) const;
    void useTicketCache(const QString &path);

    testsupport::KdcFixture m_kdc;
    HostSimHarness m_sim;
    HostSimHarness m_httpsSim;
    QString m_upn;
};

void TestIntegrationKerberos::initTestCase()
{
    QVERIFY2(m_kdc.start(realm, QStringLiteral("alice"), password, {hv01Fqdn}),
             qPrintable(m_kdc.errorString()));
    m_upn = QStringLiteral("alice@") + realm;
    // Every Kerberos client and acceptor of this test uses the throwaway realm. The client gets
    // a ticket cache that does not exist: nothing may come from an ambient login.
    qputenv("KRB5_CONFIG", QFile::encodeName(m_kdc.krb5Config()));
    useTicketCache(m_sim.filePath(QStringLiteral("no-such-ccache")));

    // NTLM accounts for the Negotiate fallback (gss-ntlmssp reads DOMAIN:user:password).
    QFile users(m_sim.filePath(QStringLiteral("users")));
    QVERIFY(users.open(QIODevice::WriteOnly));
    users.write(realm.toUtf8() + ":alice:" + password.toUtf8() + "\n");
    // A domain no KDC serves: Negotiate can only use NTLM for it.
    users.write("NOKDC:alice:" + password.toUtf8() + "\n");
    users.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KRB5_CONFIG"), m_kdc.krb5Config());
    QVERIFY(m_sim.start({QStringLiteral("--host-names"), QStringLiteral("HV01,HV02"),
                         QStringLiteral("--auth"), QStringLiteral("negotiate"),
                         QStringLiteral("--keytab"), m_kdc.keytab(), QStringLiteral("--users"),
                         users.fileName()},
                        env));
    QCOMPARE(m_sim.hosts.size(), qsizetype(2));
}

void TestIntegrationKerberos::cleanupTestCase()
{
    m_sim.stop();
    m_httpsSim.stop();
    QVERIFY(!m_sim.log().contains(password));
    m_kdc.stop();
}

void TestIntegrationKerberos::useTicketCache(const QString &path)
{
    qputenv("KRB5CCNAME", QFile::encodeName(QStringLiteral("FILE:") + path));
}

ConnectionSettings TestIntegrationKerberos::settings(int host, AuthMechanism auth,
                                                     const QString &fqdn) const
{
    ConnectionSettings s = settingsFor(m_sim.hosts.at(host), auth);
    s.spnTargetName = fqdn; // the simulator listens on 127.0.0.1, an address has no SPN
    return s;
}

TestIntegrationKerberos::Run TestIntegrationKerberos::run(ConnectionSettings s,
                                                          const Credentials &credentials,
                                                          const QString &script, int timeoutMs)
{
    Run out;
    HttpTransport transport(s, credentials);
    PowerShellRunner r(&transport, s, script);
    connect(&r, &PowerShellRunner::outputLine, this, [&out](OutputStream stream, const QString &l) {
        (stream == OutputStream::Stdout ? out.outcome.stdoutLines : out.outcome.stderrLines)
            .append(l);
    });
    QSignalSpy finished(&r, &PowerShellRunner::finished);
    r.start();
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        return out;
    out.outcome.finishedCount = int(finished.count());
    out.outcome.result = r.result();
    out.mechanism = transport.mechanism();
    return out;
}

void TestIntegrationKerberos::passwordEncryptedRun()
{
    const QString cache = m_sim.filePath(QStringLiteral("no-such-ccache"));
    useTicketCache(cache);
    const qsizetype before = m_sim.log().count(u"authenticated " + m_upn + u" via Negotiate");
    const Run r = run(settings(0, AuthMechanism::Kerberos, hv01Fqdn), {m_upn, password},
                      QStringLiteral("\"user=$env:USERNAME\"\n'Grüße 世界'\n"
                                     "[Console]::Error.WriteLine('to stderr')\nexit 5\n"));
    QCOMPARE(r.outcome.finishedCount, 1);
    QVERIFY2(r.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(r.outcome.result.error.toString()));
    QCOMPARE(r.mechanism, QStringLiteral("Kerberos"));
    QCOMPARE(r.outcome.result.exitCode, std::optional<qint64>(5));
    QCOMPARE(r.outcome.stdoutLines.size(), qsizetype(2));
    QCOMPARE(r.outcome.stdoutLines.at(1), QStringLiteral("Grüße 世界"));
    QVERIFY(r.outcome.result.stderrText.contains(QStringLiteral("to stderr")));
    QVERIFY(r.outcome.result.shellDeleted);
    // The host saw the Kerberos principal, and every SOAP message was encrypted: the simulator
    // refuses plain SOAP over HTTP and would have logged it.
    QCOMPARE(m_sim.log().count(u"authenticated " + m_upn + u" via Negotiate"), before + 1);
    QVERIFY(!m_sim.log().contains(QStringLiteral("unencrypted request refused")));
    QVERIFY(!m_sim.log().contains(QStringLiteral("encrypted part rejected")));
    // The ticket came from the password into memory, not from (or into) a ticket cache.
    QVERIFY(!QFileInfo::exists(cache));
}

void TestIntegrationKerberos::ticketCacheEncryptedRun()
{
    QVERIFY2(m_kdc.kinit(password), qPrintable(m_kdc.errorString()));
    useTicketCache(m_kdc.credentialsCache());
    const Run r = run(settings(0, AuthMechanism::Kerberos, hv01Fqdn), {QString(), QString()},
                      QStringLiteral("'from the cache'\nexit 0\n"));
    useTicketCache(m_sim.filePath(QStringLiteral("no-such-ccache")));
    QVERIFY2(r.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(r.outcome.result.error.toString()));
    QCOMPARE(r.mechanism, QStringLiteral("Kerberos"));
    QCOMPARE(r.outcome.result.exitCode, std::optional<qint64>(0));
    QCOMPARE(r.outcome.stdoutLines, QStringList{QStringLiteral("from the cache")});
    QVERIFY(r.outcome.result.shellDeleted);

    // Without the cache and without a password there is nothing to authenticate with.
    const Run none = run(settings(0, AuthMechanism::Kerberos, hv01Fqdn), {QString(), QString()},
                         QStringLiteral("'never'"));
    QCOMPARE(none.outcome.result.outcome, JobOutcome::Failed);
    QCOMPARE(none.outcome.result.error.code, ErrorCode::CredentialsRejected);
    QVERIFY2(none.outcome.result.error.message.contains(QStringLiteral("kinit")),
             qPrintable(none.outcome.result.error.toString()));
}

void TestIntegrationKerberos::negotiateChoosesKerberos()
{
    const Credentials credentials{realm + u"\\alice", password};
    const Run r = run(settings(0, AuthMechanism::Negotiate, hv01Fqdn), credentials,
                      QStringLiteral("'negotiated'\n"));
    QVERIFY2(r.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(r.outcome.result.error.toString()));
    QCOMPARE(r.mechanism, QStringLiteral("Kerberos"));
    QCOMPARE(r.outcome.stdoutLines, QStringList{QStringLiteral("negotiated")});
}

void TestIntegrationKerberos::negotiateFallsBackToNtlmWithoutSpn()
{
    // HV02 has no SPN in the realm: the KDC cannot issue a ticket, Negotiate uses NTLM with the
    // same credentials and still encrypts every message.
    const qsizetype before = m_sim.log().count(u"HV02 authenticated " + realm + u"\\alice");
    const Credentials credentials{realm + u"\\alice", password};
    const Run r = run(settings(1, AuthMechanism::Negotiate, hv02Fqdn), credentials,
                      QStringLiteral("'fell back'\nexit 2\n"));
    QVERIFY2(r.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(r.outcome.result.error.toString()));
    QCOMPARE(r.mechanism, QStringLiteral("NTLM"));
    QCOMPARE(r.outcome.result.exitCode, std::optional<qint64>(2));
    QCOMPARE(r.outcome.stdoutLines, QStringList{QStringLiteral("fell back")});
    QVERIFY2(m_sim.log().count(u"HV02 authenticated " + realm + u"\\alice") > before,
             qPrintable(m_sim.log().right(2000)));

    // Kerberos alone has no fallback: the missing SPN is the error.
    const Run strict = run(settings(1, AuthMechanism::Kerberos, hv02Fqdn), credentials,
                           QStringLiteral("'never'"));
    QCOMPARE(strict.outcome.result.outcome, JobOutcome::Failed);
    QCOMPARE(strict.outcome.result.error.code, ErrorCode::Configuration);
    QVERIFY2(strict.outcome.result.error.message.contains(u"HTTP/" + hv02Fqdn),
             qPrintable(strict.outcome.result.error.toString()));
}

void TestIntegrationKerberos::negotiateRemembersRealmWithoutKdc()
{
    kdcavailability::forgetAll();
    const Credentials credentials{QStringLiteral("NOKDC\\alice"), password};
    QVERIFY(!kdcavailability::isKnownUnreachable(QStringLiteral("NOKDC")));

    // Collect this process's WinRM log lines (debug included) while the two sessions run.
    static QStringList lines;
    lines.clear();
    QLoggingCategory::setFilterRules(QStringLiteral("aetherv.core.winrm.debug=true"));
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &ctx, const QString &message) {
            if (QByteArrayView(ctx.category) == "aetherv.core.winrm")
                lines.append(message);
        });
    const Run first = run(settings(0, AuthMechanism::Negotiate, hv01Fqdn), credentials,
                          QStringLiteral("'first'\n"));
    const QStringList afterFirst = lines;
    const Run second = run(settings(1, AuthMechanism::Negotiate, hv02Fqdn), credentials,
                           QStringLiteral("'second'\n"));
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    for (const Run *r : {&first, &second}) {
        QVERIFY2(r->outcome.result.outcome == JobOutcome::Succeeded,
                 qPrintable(r->outcome.result.error.toString()));
        QCOMPARE(r->mechanism, QStringLiteral("NTLM"));
    }
    QCOMPARE(first.outcome.stdoutLines, QStringList{QStringLiteral("first")});
    QCOMPARE(second.outcome.stdoutLines, QStringList{QStringLiteral("second")});
    QVERIFY(kdcavailability::isKnownUnreachable(QStringLiteral("NOKDC")));
    // The first connection tried Kerberos and found no KDC; the second did not try again.
    QCOMPARE(afterFirst.filter(QStringLiteral("Kerberos is not available")).size(), qsizetype(1));
    QCOMPARE(afterFirst.filter(QStringLiteral("no KDC for realm NOKDC could be reached")).size(),
             qsizetype(1));
    const QStringList secondLines = lines.mid(afterFirst.size());
    QVERIFY2(secondLines.filter(QStringLiteral("Kerberos is not available")).isEmpty(),
             qPrintable(secondLines.join(u'\n')));
    QCOMPARE(secondLines.filter(QStringLiteral("was reachable recently")).size(), qsizetype(1));

    // The realm with a KDC is unaffected: Negotiate still chooses Kerberos there.
    const Run kerberos = run(settings(0, AuthMechanism::Negotiate, hv01Fqdn),
                             {realm + u"\\alice", password}, QStringLiteral("'krb'\n"));
    QVERIFY2(kerberos.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(kerberos.outcome.result.error.toString()));
    QCOMPARE(kerberos.mechanism, QStringLiteral("Kerberos"));
    kdcavailability::forgetAll();
}

void TestIntegrationKerberos::wrongPassword()
{
    for (AuthMechanism auth : {AuthMechanism::Kerberos, AuthMechanism::Negotiate}) {
        const Run r = run(settings(0, auth, hv01Fqdn), {m_upn, QStringLiteral("not-the-pass")},
                          QStringLiteral("'never'"));
        QCOMPARE(r.outcome.finishedCount, 1);
        QCOMPARE(r.outcome.result.outcome, JobOutcome::Failed);
        QCOMPARE(r.outcome.result.error.code, ErrorCode::CredentialsRejected);
        const QString message = r.outcome.result.error.message;
        QVERIFY2(message.contains(m_upn) && message.contains(QStringLiteral("password")),
                 qPrintable(message));
        QVERIFY(!r.outcome.result.error.toString().contains(QStringLiteral("not-the-pass")));
        // A password the KDC refused is not tried again through NTLM (one more failed logon
        // towards the account's lockout for nothing).
        QVERIFY2(r.mechanism.isEmpty() || r.mechanism == u"Kerberos", qPrintable(r.mechanism));
    }
    // A bare user name may be a local account of the host: Negotiate tries NTLM, which the host
    // rejects as well.
    const Run bare
        = run(settings(0, AuthMechanism::Negotiate, hv01Fqdn),
              {QStringLiteral("alice"), QStringLiteral("not-the-pass")}, QStringLiteral("'never'"));
    QCOMPARE(bare.outcome.result.outcome, JobOutcome::Failed);
    QCOMPARE(bare.outcome.result.error.code, ErrorCode::CredentialsRejected);
    QCOMPARE(bare.mechanism, QStringLiteral("NTLM"));
}

void TestIntegrationKerberos::unknownSpnService()
{
    // Only HTTP/hv01.aetherv.test exists; WSMAN/hv01.aetherv.test does not.
    ConnectionSettings s = settings(0, AuthMechanism::Kerberos, hv01Fqdn);
    s.spnService = QStringLiteral("WSMAN");
    const Run r = run(s, {m_upn, password}, QStringLiteral("'never'"));
    QCOMPARE(r.outcome.result.outcome, JobOutcome::Failed);
    QCOMPARE(r.outcome.result.error.code, ErrorCode::Configuration);
    const QString message = r.outcome.result.error.message;
    QVERIFY2(message.contains(u"WSMAN/" + hv01Fqdn), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("SPN service")) && message.contains(u"profile"),
             qPrintable(message));
}

void TestIntegrationKerberos::script100KBAndManyReceives()
{
    // A 100 KB script travels in several encrypted Sends; 3 MB of output comes back in many
    // encrypted Receives. Every message is one RFC 4121 wrap token with its own sequence number.
    QString script = QStringLiteral("$sum = 0\n");
    qint64 expected = 0;
    for (int i = 0; script.size() < 100 * 1024; ++i) {
        script
            += QStringLiteral("$sum += %1 # long script line with non-ASCII text: äöü €\n").arg(i);
        expected += i;
    }
    script += QStringLiteral("\"sum=$sum\"\n"
                             "$line = 'k' * 1021\n"
                             "for ($i = 0; $i -lt 3072; $i++) { \"{0:D4} $line\" -f $i }\n"
                             "'end'\n");
    ConnectionSettings s = settings(0, AuthMechanism::Kerberos, hv01Fqdn);
    s.maxEnvelopeSize = 153600; // a 150 KB server: the script needs more than one Send
    HttpTransport transport(s, {m_upn, password});
    PowerShellRunner r(&transport, s, script);
    QStringList lines;
    connect(&r, &PowerShellRunner::outputLine, this,
            [&lines](OutputStream stream, const QString &l) {
                if (stream == OutputStream::Stdout)
                    lines.append(l);
            });
    QSignalSpy finished(&r, &PowerShellRunner::finished);
    r.start();
    QVERIFY(finished.wait(240000) || !finished.isEmpty());
    QVERIFY2(r.result().outcome == JobOutcome::Succeeded, qPrintable(r.result().error.toString()));
    QCOMPARE(transport.mechanism(), QStringLiteral("Kerberos"));
    QCOMPARE(transport.handshakes(), 1);
    QVERIFY2(r.command().sendCount() >= 2, qPrintable(QString::number(r.command().sendCount())));
    QVERIFY2(r.command().receiveCount() >= 4,
             qPrintable(QString::number(r.command().receiveCount())));
    QCOMPARE(lines.size(), qsizetype(1 + 3072 + 1));
    QCOMPARE(lines.first(), QStringLiteral("sum=%1").arg(expected));
    for (int i = 0; i < 3072; ++i)
        QCOMPARE(lines.at(1 + i),
                 QStringLiteral("%1 ").arg(i, 4, 10, QChar(u'0')) + QString(1021, u'k'));
    QCOMPARE(lines.last(), QStringLiteral("end"));
    QVERIFY(r.result().stdoutBytes > 3 * 1024 * 1024);
}

void TestIntegrationKerberos::kerberosOverHttps()
{
    // Over HTTPS TLS protects the messages: Kerberos authenticates (with the certificate's
    // tls-server-end-point channel bindings) and the SOAP travels unwrapped.
    const QString cert = m_httpsSim.filePath(QStringLiteral("cert.pem"));
    const QString key = m_httpsSim.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KRB5_CONFIG"), m_kdc.krb5Config());
    QVERIFY(m_httpsSim.start({QStringLiteral("--host-names"), QStringLiteral("HV01"),
                              QStringLiteral("--auth"), QStringLiteral("negotiate"),
                              QStringLiteral("--keytab"), m_kdc.keytab(), QStringLiteral("--https"),
                              QStringLiteral("--cert"), cert, QStringLiteral("--key"), key},
                             env));
    ConnectionSettings s = settingsFor(m_httpsSim.hosts.first(), AuthMechanism::Kerberos);
    QVERIFY(s.https);
    s.spnTargetName = hv01Fqdn;
    s.caFile = cert;
    const Run r = run(s, {m_upn, password}, QStringLiteral("'kerberos over tls'\nexit 3\n"));
    QVERIFY2(r.outcome.result.outcome == JobOutcome::Succeeded,
             qPrintable(r.outcome.result.error.toString()));
    QCOMPARE(r.mechanism, QStringLiteral("Kerberos"));
    QCOMPARE(r.outcome.result.exitCode, std::optional<qint64>(3));
    QCOMPARE(r.outcome.stdoutLines, QStringList{QStringLiteral("kerberos over tls")});
    QVERIFY(m_httpsSim.log().contains(u"authenticated " + m_upn + u" via Negotiate"));
}

QTEST_GUILESS_MAIN(TestIntegrationKerberos)
#include "tst_integration_kerberos.moc"
