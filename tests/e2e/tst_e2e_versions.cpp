// End-to-end: HostDeploymentService + WinRM executor + embedded artifact server against
// aetherv-hostsim running the real remote scripts in PowerShell 7. Each test looks at the host's
// files on disk and at the state the service reports.
#include "e2efixture.h"

#include "core/deploy/hoststatus.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace aetherv;
using namespace aetherv::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kDefaultDir = u"C:\\Program Files\\Aether-V"_s;
const QString kRead = u"Read-AgentState.ps1"_s;
const QString kDeploy = u"Deploy-AgentBundle.ps1"_s;

} // namespace

class TestE2eVersions : public QObject
{
    Q_OBJECT

private:
    E2eFixture f;

    // "" when the service says `host` is current with this bundle and its install directory holds
    // exactly the bundle; otherwise what is wrong.
    QString deployedCorrectly(ServiceRig &rig, const QString &host, const QString &dir)
    {
        const deploy::HostStatus s = rig.service().status(f.key(host));
        QStringList problems;
        if (s.state != deploy::HostState::Current)
            problems << u"state %1 (%2)"_s.arg(deploy::hostStateName(s.state), s.message);
        if (s.hostVersion != f.bundle().version)
            problems << u"reported version %1"_s.arg(s.hostVersion);
        if (s.hostDigest != f.bundle().manifest.digest())
            problems << u"reported digest %1"_s.arg(QString::fromLatin1(s.hostDigest));
        const QString diff
            = describeDifference(expectedInstall(f.bundle()), readTree(f.diskPath(host, dir)));
        if (!diff.isEmpty())
            problems << u"on disk: "_s + diff;
        return problems.join(u"; "_s);
    }

    QString seed(const QString &host, const FileSet &files)
    {
        const QString dir = f.diskPath(host, kDefaultDir);
        return writeTree(dir, files) ? dir : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(u"aetherv.core.winrm.info=false"_s);
        QVERIFY2(
            f.start({u"FRESH"_s, u"OUTDATED"_s, u"CURRENT"_s, u"AHEAD"_s, u"UTF16"_s, u"DRIFTED"_s,
                     u"PATH1"_s, u"PATH2"_s, u"PATH3"_s, u"PATH4"_s, u"PATH5"_s}),
            qPrintable(f.error()));
    }

    void init() { f.proxy().reset(); }

    void freshHost()
    {
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"FRESH"_s}, kDefaultDir, f.server().baseUrl()));
        const QString key = f.key(u"FRESH"_s);
        const QString dir = f.diskPath(u"FRESH"_s, kDefaultDir);
        QVERIFY(!QFileInfo::exists(dir));

        QVERIFY(rig.check({key}));
        QCOMPARE(deploy::hostStateName(rig.service().status(key).state), u"outdated"_s);
        QVERIFY(!rig.service().status(key).versionFileExists);
        QVERIFY2(!QFileInfo::exists(dir), "a check must not create anything on the host");

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->succeeded, 1);
        QCOMPARE(summary->deployed, 1);
        QCOMPARE(summary->failed, 0);
        const QString problem = deployedCorrectly(rig, u"FRESH"_s, kDefaultDir);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(rig.executor().scripts(key), (QStringList{kRead, kRead, kDeploy, kRead}));
    }

    void outdatedHost()
    {
        const QString changed = u"Inventory.Collect.ps1"_s;
        const FileSet old = installedSet(f.bundle(), u"0.3.0"_s, [&](FileSet &files) {
            files[changed] += "\r\n# 0.3.0 behaviour\r\n";
            files.insert(u"Obsolete.Tool.ps1"_s, "Write-Output 'retired in 0.4.0'\r\n");
            files.insert(u"scriptsversion"_s, "0.2.0\r\n");
        });
        const QString dir = seed(u"OUTDATED"_s, old);
        QVERIFY(!dir.isEmpty());
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"OUTDATED"_s}, kDefaultDir, f.proxy().baseUrl()));
        const QString key = f.key(u"OUTDATED"_s);

        QVERIFY(rig.check({key}));
        QCOMPARE(deploy::hostStateName(rig.service().status(key).state), u"outdated"_s);
        QCOMPARE(rig.service().status(key).hostVersion, u"0.3.0"_s);
        QCOMPARE(readTree(dir), old);

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->deployed, 1);
        const QString problem = deployedCorrectly(rig, u"OUTDATED"_s, kDefaultDir);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!QFileInfo::exists(dir + u"/Obsolete.Tool.ps1"_s));
        QVERIFY(!QFileInfo::exists(dir + u"/scriptsversion"_s));
        // Only what differed travelled: the changed script and the version file (plus the
        // manifest the gate and the host fetched); unchanged files were reused in place.
        QCOMPARE(f.proxy().count(changed, 200), 1);
        QCOMPARE(f.proxy().count(u"version"_s, 200), 1);
        for (const artifacts::BundleFile &file : f.bundle().files) {
            if (file.name != changed && file.name != u"version")
                QVERIFY2(f.proxy().count(file.name) == 0, qPrintable(file.name));
        }
    }

    void currentHostOnlyReadsTheVersion()
    {
        const QString dir = seed(u"CURRENT"_s, expectedInstall(f.bundle()));
        QVERIFY(!dir.isEmpty());
        const FileSet before = readTree(dir);
        const auto mtimes = readMtimes(dir);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"CURRENT"_s}, kDefaultDir, f.proxy().baseUrl()));
        const QString key = f.key(u"CURRENT"_s);

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->succeeded, 1);
        QCOMPARE(summary->deployed, 0);
        const deploy::HostStatus s = rig.service().status(key);
        QCOMPARE(deploy::hostStateName(s.state), u"current"_s);
        QCOMPARE(s.hostVersion, f.bundle().version);
        QCOMPARE(s.attempts, 0);
        QCOMPARE(rig.executor().scripts(key), QStringList{kRead});
        QCOMPARE(readTree(dir), before);
        QCOMPARE(readMtimes(dir), mtimes);
        for (const artifacts::BundleFile &file : f.bundle().files)
            QVERIFY2(f.proxy().count(file.name) == 0, qPrintable(file.name));
    }

    void aheadHostIsLeftAloneUnlessForced()
    {
        const FileSet newer = installedSet(f.bundle(), u"9.1.0"_s);
        const QString dir = seed(u"AHEAD"_s, newer);
        QVERIFY(!dir.isEmpty());
        const auto mtimes = readMtimes(dir);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"AHEAD"_s}, kDefaultDir, f.server().baseUrl()));
        const QString key = f.key(u"AHEAD"_s);

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->skipped, 1);
        QCOMPARE(summary->deployed, 0);
        QCOMPARE(summary->failed, 0);
        QCOMPARE(deploy::hostStateName(rig.service().status(key).state), u"ahead"_s);
        QCOMPARE(rig.service().status(key).hostVersion, u"9.1.0"_s);
        QCOMPARE(rig.executor().scripts(key), QStringList{kRead});
        QCOMPARE(readTree(dir), newer);
        QCOMPARE(readMtimes(dir), mtimes);

        // The operator may force the downgrade; then the host holds exactly this bundle.
        const auto forced = rig.deploy({key}, true);
        QVERIFY(forced);
        QCOMPARE(forced->deployed, 1);
        const QString problem = deployedCorrectly(rig, u"AHEAD"_s, kDefaultDir);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void utf16VersionFileIsCurrent()
    {
        FileSet files = expectedInstall(f.bundle());
        const QString text = f.bundle().version + u"\r\n"_s;
        QByteArray utf16("\xFF\xFE", 2);
        utf16.append(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
        files[u"version"_s] = utf16;
        const QString dir = seed(u"UTF16"_s, files);
        QVERIFY(!dir.isEmpty());
        const auto mtimes = readMtimes(dir);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"UTF16"_s}, kDefaultDir, f.server().baseUrl()));
        const QString key = f.key(u"UTF16"_s);

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->succeeded, 1);
        QCOMPARE(summary->deployed, 0);
        const deploy::HostStatus s = rig.service().status(key);
        QCOMPARE(deploy::hostStateName(s.state), u"current"_s);
        QCOMPARE(s.hostVersion, f.bundle().version);
        QCOMPARE(s.hostDigest, f.bundle().manifest.digest());
        QCOMPARE(rig.executor().scripts(key), QStringList{kRead});
        QCOMPARE(readTree(dir), files);
        QCOMPARE(readMtimes(dir), mtimes);
    }

    void driftedDigestIsRedeployed()
    {
        const QString changed = u"Provisioning.RegisterVM.ps1"_s;
        const FileSet drifted = installedSet(f.bundle(), f.bundle().version, [&](FileSet &files) {
            files[changed].replace("VM", "Vm");
        });
        QVERIFY(drifted.value(changed) != expectedInstall(f.bundle()).value(changed));
        const QString dir = seed(u"DRIFTED"_s, drifted);
        QVERIFY(!dir.isEmpty());
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"DRIFTED"_s}, kDefaultDir, f.proxy().baseUrl()));
        const QString key = f.key(u"DRIFTED"_s);

        QVERIFY(rig.check({key}));
        const deploy::HostStatus checked = rig.service().status(key);
        QCOMPARE(deploy::hostStateName(checked.state), u"drifted"_s);
        QCOMPARE(checked.hostVersion, f.bundle().version);
        QVERIFY(checked.hostDigest != f.bundle().manifest.digest());

        const auto summary = rig.deploy({key});
        QVERIFY(summary);
        QCOMPARE(summary->deployed, 1);
        const QString problem = deployedCorrectly(rig, u"DRIFTED"_s, kDefaultDir);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(f.proxy().count(changed, 200), 1);
        QCOMPARE(f.proxy().count(u"version"_s), 0);
    }

    void installDirectories_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("dir");
        QTest::newRow("spaces and parentheses")
            << u"PATH1"_s << u"C:\\Program Files\\Aether-V (Devel)"_s;
        QTest::newRow("single quote") << u"PATH2"_s << u"C:\\x'y"_s;
        QTest::newRow("subexpression") << u"PATH3"_s << u"C:\\$(whoami)"_s;
        QTest::newRow("semicolon") << u"PATH4"_s << u"C:\\a;b"_s;
        QTest::newRow("non-Latin") << u"PATH5"_s << u"C:\\Программы\\Эфир-V 日本"_s;
    }

    void installDirectories()
    {
        QFETCH(QString, host);
        QFETCH(QString, dir);
        const QString root = f.driveRoot(host);
        const QStringList before = listEntries(root);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({host}, dir, f.server().baseUrl()));

        const auto summary = rig.deploy({f.key(host)});
        QVERIFY(summary);
        QCOMPARE(summary->deployed, 1);
        const QString problem = deployedCorrectly(rig, host, dir);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // Nothing appeared on the host outside the install directory (and its parents), except
        // the profile folder the host creates for the WinRM account on its first logon.
        const QString rel = QDir(root).relativeFilePath(f.diskPath(host, dir));
        const QString profile = u"Users/operator"_s;
        for (const QString &entry : listEntries(root)) {
            if (before.contains(entry) || entry == rel || entry.startsWith(rel + u'/')
                || rel.startsWith(entry + u'/') || entry == profile
                || entry.startsWith(profile + u'/'))
                continue;
            QFAIL(qPrintable(u"unexpected entry on the host: "_s + entry));
        }
        // No command ran: nothing anywhere is named after whoami's output.
        const passwd *pw = ::getpwuid(::geteuid());
        QVERIFY(pw);
        const QString me = QString::fromLocal8Bit(pw->pw_name);
        for (const QString &entry : listEntries(f.workDir())) {
            const QString last = entry.section(u'/', -1);
            QVERIFY2(last.compare(me, Qt::CaseInsensitive) != 0,
                     qPrintable(u"injected: "_s + entry));
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eVersions)
#include "tst_e2e_versions.moc"
