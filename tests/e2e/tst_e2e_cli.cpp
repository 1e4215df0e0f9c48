// End-to-end through the CLI: aetherv-deploy processes (their own artifact server, the profile
// from a JSON file, the password from a 0600 file, JSON-lines output) against aetherv-hostsim
// running the real remote scripts. Covers a CLI killed with SIGKILL mid-download and two CLIs
// deploying to one host at the same time.
#include "e2efixture.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

#include <csignal>

using namespace aetherv;
using namespace aetherv::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kDir = u"C:\\Program Files\\Aether-V"_s;
const QString kChanged = u"Inventory.Collect.ps1"_s; // differs between 0.3.0 and the bundle

quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return 0;
    return s.serverPort();
}

// Files of an install directory without the deploy lock and staging folders (which a killed or
// running deployment leaves behind by design).
FileSet liveFiles(const QString &dir)
{
    FileSet files = readTree(dir);
    for (auto it = files.begin(); it != files.end();) {
        if (it.key() == u".aetherv.lock" || it.key().startsWith(u".staging-"))
            it = files.erase(it);
        else
            ++it;
    }
    return files;
}

// One aetherv-deploy run with JSON-lines output.
class CliRun
{
public:
    void start(const QStringList &args, const QString &passwordFile)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &v : env.keys()) {
            if (v.startsWith(u"WINRM_") || v.startsWith(u"AGENT_") || v == u"HYPERV_HOSTS"
                || v == u"HOST_INSTALL_DIRECTORY" || v == u"AETHERV_WINRM_PASSWORD")
                env.remove(v);
        }
        env.insert(u"AETHERV_WINRM_PASSWORD_FILE"_s, passwordFile);
        env.insert(u"QT_LOGGING_RULES"_s, u"aetherv.core.winrm.info=false"_s);
        m_process.setProcessEnvironment(env);
        m_process.start(qEnvironmentVariable("AETHERV_DEPLOY_CLI"), args);
    }
    QProcess &process() { return m_process; }
    bool finished() const { return m_process.state() == QProcess::NotRunning; }
    QByteArray output()
    {
        m_out += m_process.readAllStandardOutput();
        return m_out;
    }
    QString errors()
    {
        m_err += m_process.readAllStandardError();
        return QString::fromUtf8(m_err);
    }
    // The final host line of the run ({"event":"host","final":true,...}).
    QJsonObject finalHost()
    {
        for (const QByteArray &line : output().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(u"event"_s).toString() == u"host" && o.value(u"final"_s).toBool())
                return o;
        }
        return {};
    }
    bool printed(const QByteArray &text) { return output().contains(text); }
    // The summary line ({"event":"summary",...}) at the end of the run.
    QJsonObject summary()
    {
        for (const QByteArray &line : output().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(u"event"_s).toString() == u"summary")
                return o;
        }
        return {};
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace

class TestE2eCli : public QObject
{
    Q_OBJECT

private:
    E2eFixture f;
    QString m_passwordFile;

    FileSet oldSet() const
    {
        return installedSet(f.bundle(), u"0.3.0"_s, [](FileSet &files) {
            files[kChanged] += "\r\n# 0.3.0 behaviour\r\n";
            files.insert(u"Obsolete.Tool.ps1"_s, "Write-Output 'retired in 0.4.0'\r\n");
        });
    }

    // A profile file for one host; an empty base URL means "download from the CLI's own server".
    QString profileFile(const QString &id, const QString &host, quint16 serverPort,
                        const QUrl &baseUrl, int lockExpirySeconds)
    {
        config::Profile p = E2eFixture::winrmProfile();
        p.id = id;
        p.name = id;
        p.hosts = {config::HostEntry{u"127.0.0.1"_s, f.winrmPort(host)}};
        p.installDirectory = kDir;
        p.downloadBaseUrl = baseUrl.toString();
        p.downloadMaxAttempts = 3;
        p.downloadRetryIntervalSeconds = 1;
        p.lockExpirySeconds = lockExpirySeconds;
        p.bundleDirectory = f.bundleDir();
        p.artifactServer.listenAddress = u"127.0.0.1"_s;
        p.artifactServer.port = serverPort;
        p.ingressGate.timeoutSeconds = 30;
        p.ingressGate.intervalSeconds = 1;
        const QString path = f.workDir() + u'/' + id + u".json"_s;
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(p.toJson()) < 0)
            return {};
        return path;
    }

    static QStringList deployArgs(const QString &profile)
    {
        return {u"deploy"_s, u"--profile-file"_s, profile, u"--json"_s};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(u"aetherv.core.winrm.info=false"_s);
        QVERIFY2(QFileInfo(qEnvironmentVariable("AETHERV_DEPLOY_CLI")).isExecutable(),
                 "AETHERV_DEPLOY_CLI must name the built aetherv-deploy");
        QVERIFY2(f.start({u"KILLED"_s, u"TWIN"_s, u"RACE"_s}), qPrintable(f.error()));
        m_passwordFile = f.workDir() + u"/winrm-password"_s;
        QFile pw(m_passwordFile);
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write(E2eFixture::credentials().password.toUtf8() + '\n');
        pw.close();
        QVERIFY(pw.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    }

    void init() { f.proxy().reset(); }

    void killedMidDownloadThenLockExpires()
    {
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"KILLED"_s, kDir);
        QVERIFY(writeTree(dir, old));

        // Run 1 downloads through the proxy, which holds back the bodies of both files that
        // differ (the changed script and the version file). Holding both keeps the script alive
        // on the host after the CLI dies: a download that failed because the dead CLI's server
        // is gone would make the script give up and release its lock, and the lock expiry would
        // go untested.
        const quint16 port1 = freePort();
        QVERIFY(port1 != 0);
        f.proxy().setUpstreamPort(port1);
        f.proxy().holdFirst(kChanged);
        f.proxy().holdFirst(u"version"_s);
        const int lockExpiry = 12;
        const QString profile1
            = profileFile(u"killed-1"_s, u"KILLED"_s, port1, f.proxy().baseUrl(), lockExpiry);
        QVERIFY(!profile1.isEmpty());
        CliRun run1;
        run1.start(deployArgs(profile1), m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(f.proxy().heldNow() == 2 || run1.finished(), 90000);
        QVERIFY2(!run1.finished(), qPrintable(run1.errors()));
        QVERIFY(run1.printed("\"state\":\"deploying\""));
        QFile lockFile(dir + u"/.aetherv.lock"_s);
        QVERIFY(lockFile.open(QIODevice::ReadOnly));
        const QJsonObject lock = QJsonDocument::fromJson(lockFile.readAll()).object();
        lockFile.close();
        QVERIFY2(lock.value(u"owner"_s).toString().startsWith(u"aetherv-deploy "_s),
                 qPrintable(lock.value(u"owner"_s).toString()));
        const QDateTime expires
            = QDateTime::fromString(lock.value(u"expiresUtc"_s).toString(), Qt::ISODate);
        QVERIFY(expires.isValid());

        QCOMPARE(::kill(pid_t(run1.process().processId()), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(run1.finished(), 10000);
        QCOMPARE(run1.process().exitStatus(), QProcess::CrashExit);
        // The host keeps its previous complete set and version.
        QCOMPARE(liveFiles(dir), old);

        // Run 2 while the dead run's lock is live: refused, nothing changed.
        const QString profile2
            = profileFile(u"killed-2"_s, u"KILLED"_s, freePort(), QUrl(), lockExpiry);
        CliRun run2;
        run2.start(deployArgs(profile2), m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(run2.finished(), 90000);
        QVERIFY2(QDateTime::currentDateTimeUtc() < expires,
                 "the machine was too slow to reach the host before the lock expired");
        QCOMPARE(run2.process().exitCode(), 1);
        QCOMPARE(run2.finalHost().value(u"state"_s).toString(), u"locked"_s);
        QVERIFY2(run2.finalHost()
                     .value(u"message"_s)
                     .toString()
                     .contains(lock.value(u"owner"_s).toString()),
                 qPrintable(run2.finalHost().value(u"message"_s).toString()));
        QCOMPARE(run2.finalHost().value(u"hostVersion"_s).toString(), u"0.3.0"_s);
        QCOMPARE(liveFiles(dir), old);

        // Run 3 after the lock expired: takes it over and completes.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > expires.addSecs(1),
                                 (lockExpiry + 5) * 1000);
        CliRun run3;
        run3.start(deployArgs(profile2), m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(run3.finished(), 90000);
        QVERIFY2(run3.process().exitCode() == 0,
                 qPrintable(run3.errors() + QString::fromUtf8(run3.output())));
        const QJsonObject host = run3.finalHost();
        QCOMPARE(host.value(u"state"_s).toString(), u"current"_s);
        QCOMPARE(host.value(u"hostVersion"_s).toString(), f.bundle().version);
        QCOMPARE(host.value(u"digest"_s).toString().toLatin1(), f.bundle().manifest.digest());
        QVERIFY2(run3.printed("took over an expired or unreadable deploy lock"),
                 run3.output().constData());
        const QString diff = describeDifference(expectedInstall(f.bundle()), readTree(dir));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        // The killed run's script is still alive on the host, waiting for its bodies: let its
        // downloads fail now (the dead CLI's server is gone, so every retry gets 502). Once one
        // file has used all three attempts the script gives up; it must not touch the new
        // install, since its lock was taken over.
        f.proxy().abortHeld();
        QTRY_VERIFY_WITH_TIMEOUT(
            f.proxy().count(kChanged, 502) == 2 || f.proxy().count(u"version"_s, 502) == 2, 30000);
        CliRun check;
        check.start({u"check"_s, u"--profile-file"_s, profile2, u"--json"_s}, m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(check.finished(), 90000);
        QCOMPARE(check.process().exitCode(), 0);
        QCOMPARE(check.finalHost().value(u"state"_s).toString(), u"current"_s);
        const QString after = describeDifference(expectedInstall(f.bundle()), readTree(dir));
        QVERIFY2(after.isEmpty(), qPrintable(after));
    }

    void twoClisOnOneHost()
    {
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"TWIN"_s, kDir);
        QVERIFY(writeTree(dir, old));
        const quint16 portA = freePort();
        f.proxy().setUpstreamPort(portA);
        f.proxy().holdFirst(kChanged);
        const QString profileA
            = profileFile(u"twin-a"_s, u"TWIN"_s, portA, f.proxy().baseUrl(), 600);
        const QString profileB = profileFile(u"twin-b"_s, u"TWIN"_s, freePort(), QUrl(), 600);

        // A holds the host's lock and is mid-download when B starts.
        CliRun a;
        a.start(deployArgs(profileA), m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(f.proxy().heldNow() == 1 || a.finished(), 90000);
        QVERIFY2(!a.finished(), qPrintable(a.errors()));
        CliRun b;
        b.start(deployArgs(profileB), m_passwordFile);
        QTRY_VERIFY_WITH_TIMEOUT(b.finished(), 90000);
        QCOMPARE(b.process().exitCode(), 1);
        QCOMPARE(b.finalHost().value(u"state"_s).toString(), u"locked"_s);
        QVERIFY(!a.finished());
        QCOMPARE(liveFiles(dir), old);

        f.proxy().releaseHeld();
        QTRY_VERIFY_WITH_TIMEOUT(a.finished(), 90000);
        QVERIFY2(a.process().exitCode() == 0,
                 qPrintable(a.errors() + QString::fromUtf8(a.output())));
        const QJsonObject host = a.finalHost();
        QCOMPARE(host.value(u"state"_s).toString(), u"current"_s);
        QCOMPARE(host.value(u"hostVersion"_s).toString(), f.bundle().version);
        const QString diff = describeDifference(expectedInstall(f.bundle()), readTree(dir));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void twoClisStartedTogether()
    {
        // No choreography: both start at once and race for the host's lock.
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"RACE"_s, kDir);
        QVERIFY(writeTree(dir, old));
        CliRun runs[2];
        for (int i = 0; i < 2; ++i) {
            const QString profile
                = profileFile(u"race-%1"_s.arg(i), u"RACE"_s, freePort(), QUrl(), 600);
            QVERIFY(!profile.isEmpty());
            runs[i].start(deployArgs(profile), m_passwordFile);
        }
        QTRY_VERIFY_WITH_TIMEOUT(runs[0].finished() && runs[1].finished(), 120000);

        // One deployed; the other was refused by the lock or found the host already current.
        int deployed = 0;
        int current = 0;
        for (CliRun &run : runs) {
            const QString state = run.finalHost().value(u"state"_s).toString();
            QVERIFY2(state == u"current" || state == u"locked",
                     qPrintable(state + u": "_s + QString::fromUtf8(run.output())));
            QCOMPARE(run.process().exitCode(), state == u"current" ? 0 : 1);
            current += state == u"current" ? 1 : 0;
            deployed += run.summary().value(u"deployed"_s).toInt();
        }
        QVERIFY(current >= 1);
        QCOMPARE(deployed, 1);
        const QString diff = describeDifference(expectedInstall(f.bundle()), readTree(dir));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
};

QTEST_GUILESS_MAIN(TestE2eCli)
#include "tst_e2e_cli.moc"
