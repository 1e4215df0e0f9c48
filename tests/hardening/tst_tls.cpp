// TLS trust against aetherv-hostsim --https with throwaway certificates made by openssl at test
// time: a self-signed host certificate is refused by default with a message that names the CA-file
// option; with the CA file (profile winrm.caFile or WINRM_CA_FILE) the command runs; an expired
// certificate and a certificate for another name are refused even with their CA trusted.
#include "clirun.h"

#include "support/hostsimprocess.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace aetherv;
using namespace aetherv::hardeningtest;

class tst_Tls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void selfSignedRefusedByDefault();
    void caFileInProfileSucceeds();
    void caFileFromEnvironmentSucceeds();
    void unusableCaFileIsNamed();
    void expiredCertificateRefused();
    void wrongNameCertificateRefused();

private:
    bool openssl(const QStringList &arguments);
    bool makeSelfSigned(const QString &name, const QString &subjectAltName);
    bool makeExpired();
    void startHost(testsupport::HostSimProcess &sim, const QString &cert);
    QString profileFor(const testsupport::HostSimProcess &sim, const QString &caFile);
    CliResult exec(const testsupport::HostSimProcess &sim, const QString &profile,
                   const QProcessEnvironment &extra = {});

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_good;    // self-signed, names localhost and 127.0.0.1
    testsupport::HostSimProcess m_wrong;   // self-signed, names only wrong.example
    testsupport::HostSimProcess m_expired; // CA-signed, valid in January 2020 only
    int m_profiles = 0;
};

bool tst_Tls::openssl(const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(u"openssl"_qs, arguments);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("openssl %s failed: %s", qPrintable(arguments.join(u' ')),
                 p.readAllStandardError().constData());
        return false;
    }
    return true;
}

bool tst_Tls::makeSelfSigned(const QString &name, const QString &subjectAltName)
{
    return openssl({u"req"_qs, u"-x509"_qs, u"-newkey"_qs, u"rsa:2048"_qs, u"-nodes"_qs,
                    u"-keyout"_qs, name + u".key"_qs, u"-out"_qs, name + u".pem"_qs, u"-days"_qs,
                    u"2"_qs, u"-subj"_qs, u"/CN=aetherv-tls-test"_qs, u"-addext"_qs,
                    u"subjectAltName="_qs + subjectAltName, u"-addext"_qs,
                    u"basicConstraints=critical,CA:FALSE"_qs, u"-addext"_qs,
                    u"extendedKeyUsage=serverAuth"_qs});
}

// openssl 3.0's "x509 -req" cannot set a start date in the past; "openssl ca" can.
bool tst_Tls::makeExpired()
{
    const QByteArray config = "[ca]\ndefault_ca = d\n[d]\ndir = .\ndatabase = index.txt\n"
                              "new_certs_dir = .\ncertificate = ca.pem\nprivate_key = ca.key\n"
                              "serial = serial\ndefault_md = sha256\npolicy = p\n"
                              "copy_extensions = copy\nunique_subject = no\n"
                              "[p]\ncommonName = supplied\n";
    return writeFile(m_dir.filePath(u"ca.cnf"_qs), config)
           && writeFile(m_dir.filePath(u"index.txt"_qs), {})
           && writeFile(m_dir.filePath(u"serial"_qs), "01\n")
           && openssl({u"req"_qs, u"-x509"_qs, u"-newkey"_qs, u"rsa:2048"_qs, u"-nodes"_qs,
                       u"-keyout"_qs, u"ca.key"_qs, u"-out"_qs, u"ca.pem"_qs, u"-days"_qs, u"2"_qs,
                       u"-subj"_qs, u"/CN=aetherv-tls-test-ca"_qs, u"-addext"_qs,
                       u"basicConstraints=critical,CA:TRUE"_qs, u"-addext"_qs,
                       u"keyUsage=critical,keyCertSign,cRLSign"_qs})
           && openssl({u"req"_qs, u"-newkey"_qs, u"rsa:2048"_qs, u"-nodes"_qs, u"-keyout"_qs,
                       u"expired.key"_qs, u"-out"_qs, u"expired.csr"_qs, u"-subj"_qs,
                       u"/CN=localhost"_qs, u"-addext"_qs,
                       u"subjectAltName=DNS:localhost,IP:127.0.0.1"_qs})
           && openssl({u"ca"_qs, u"-batch"_qs, u"-config"_qs, u"ca.cnf"_qs, u"-in"_qs,
                       u"expired.csr"_qs, u"-out"_qs, u"expired.pem"_qs, u"-notext"_qs,
                       u"-startdate"_qs, u"20200101000000Z"_qs, u"-enddate"_qs,
                       u"20200201000000Z"_qs});
}

void tst_Tls::startHost(testsupport::HostSimProcess &sim, const QString &cert)
{
    QVERIFY2(
        sim.start({u"--hosts"_qs, u"1"_qs, u"--workers"_qs, u"1"_qs, u"--root"_qs,
                   m_dir.filePath(u"root-"_qs + cert), u"--users"_qs, m_dir.filePath(u"users"_qs),
                   u"--https"_qs, u"--cert"_qs, m_dir.filePath(cert + u".pem"_qs), u"--key"_qs,
                   m_dir.filePath(cert + u".key"_qs)}),
        qPrintable(sim.errorString()));
    QCOMPARE(sim.hosts().size(), 1);
    QCOMPARE(sim.hosts().first().url.scheme(), u"https"_qs);
}

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo::exists(cliExecutable()));
    QVERIFY(writeFile(m_dir.filePath(u"users"_qs), "LAB:operator:Tls-Passw0rd\n"));
    QVERIFY(writePasswordFile(m_dir.filePath(u"password"_qs), "Tls-Passw0rd"));
    QVERIFY(makeSelfSigned(u"good"_qs, u"DNS:localhost,IP:127.0.0.1"_qs));
    QVERIFY(makeSelfSigned(u"wrong"_qs, u"DNS:wrong.example"_qs));
    QVERIFY(makeExpired());
    for (auto [sim, cert] : {std::pair{&m_good, u"good"_qs}, std::pair{&m_wrong, u"wrong"_qs},
                             std::pair{&m_expired, u"expired"_qs}}) {
        startHost(*sim, cert);
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_Tls::cleanupTestCase()
{
    for (auto *sim : {&m_good, &m_wrong, &m_expired}) {
        sim->stop();
        QVERIFY2(!sim->stderrText().contains(u"Tls-Passw0rd"_qs), "a password reached the log");
    }
}

QString tst_Tls::profileFor(const testsupport::HostSimProcess &sim, const QString &caFile)
{
    QJsonObject winrm{{u"transport"_qs, u"https"_qs},
                      {u"auth"_qs, u"ntlm"_qs},
                      {u"userName"_qs, u"LAB\\operator"_qs},
                      {u"operationTimeoutSeconds"_qs, 5},
                      {u"connectTimeoutSeconds"_qs, 10}};
    if (!caFile.isEmpty())
        winrm.insert(u"caFile"_qs, caFile);
    const QJsonObject profile{
        {u"schemaVersion"_qs, 2},
        {u"id"_qs, u"tls"_qs},
        {u"name"_qs, u"TLS lab"_qs},
        {u"environment"_qs, u"test"_qs},
        {u"hosts"_qs, QJsonArray{QJsonObject{{u"address"_qs, u"127.0.0.1"_qs},
                                             {u"port"_qs, sim.hosts().first().url.port()}}}},
        {u"bundleDirectory"_qs, QString(buildDir() + u"/agent-bundle"_qs)},
        {u"winrm"_qs, winrm},
    };
    const QString path = m_dir.filePath(QStringLiteral("profile%1.json").arg(++m_profiles));
    return writeJson(path, profile) ? path : QString();
}

CliResult tst_Tls::exec(const testsupport::HostSimProcess &sim, const QString &profile,
                        const QProcessEnvironment &extra)
{
    QProcessEnvironment env
        = cliEnvironment(m_dir.filePath(u"home"_qs), m_dir.filePath(u"password"_qs));
    env.remove(u"WINRM_CA_FILE"_qs);
    env.insert(extra);
    return runCli({u"exec"_qs, u"--profile-file"_qs, profile, u"--host"_qs,
                   u"127.0.0.1:"_qs + QString::number(sim.hosts().first().url.port()),
                   u"--command"_qs, u"'tls-ok'"_qs},
                  env, 60000);
}

void tst_Tls::selfSignedRefusedByDefault()
{
    const CliResult r = exec(m_good, profileFor(m_good, {}));
    QVERIFY2(r.finished && r.exitCode != 0, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"is not trusted"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"winrm.caFile"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"WINRM_CA_FILE"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"self signed"_qs, Qt::CaseInsensitive)
                 || r.text().contains(u"self-signed"_qs, Qt::CaseInsensitive),
             qPrintable(r.text()));
    QVERIFY(!r.text().contains(u"tls-ok"_qs));
}

void tst_Tls::caFileInProfileSucceeds()
{
    const CliResult r = exec(m_good, profileFor(m_good, m_dir.filePath(u"good.pem"_qs)));
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.text()));
    QVERIFY2(r.out.contains("tls-ok"), qPrintable(r.text()));
}

void tst_Tls::caFileFromEnvironmentSucceeds()
{
    QProcessEnvironment extra;
    extra.insert(u"WINRM_CA_FILE"_qs, m_dir.filePath(u"good.pem"_qs));
    const CliResult r = exec(m_good, profileFor(m_good, {}), extra);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.text()));
    QVERIFY2(r.out.contains("tls-ok"), qPrintable(r.text()));
}

void tst_Tls::unusableCaFileIsNamed()
{
    // A CA file that is not PEM must not look like an untrusted host.
    QVERIFY(writeFile(m_dir.filePath(u"not-a-ca.pem"_qs), "this is not a certificate\n"));
    const CliResult r = exec(m_good, profileFor(m_good, m_dir.filePath(u"not-a-ca.pem"_qs)));
    QVERIFY2(r.finished && r.exitCode != 0, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"not-a-ca.pem (winrm.caFile / WINRM_CA_FILE) is missing, "
                               u"unreadable or holds no PEM certificate"_qs),
             qPrintable(r.text()));
}

void tst_Tls::expiredCertificateRefused()
{
    const CliResult r = exec(m_expired, profileFor(m_expired, m_dir.filePath(u"ca.pem"_qs)));
    QVERIFY2(r.finished && r.exitCode != 0, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"is not trusted"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"expired"_qs), qPrintable(r.text()));
    QVERIFY(!r.text().contains(u"tls-ok"_qs));
}

void tst_Tls::wrongNameCertificateRefused()
{
    const CliResult r = exec(m_wrong, profileFor(m_wrong, m_dir.filePath(u"wrong.pem"_qs)));
    QVERIFY2(r.finished && r.exitCode != 0, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"is not trusted"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"host name did not match"_qs, Qt::CaseInsensitive),
             qPrintable(r.text()));
    QVERIFY(!r.text().contains(u"tls-ok"_qs));
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
