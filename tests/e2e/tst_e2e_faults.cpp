// End-to-end fault handling: the deployment service against aetherv-hostsim (real PowerShell 7)
// with download faults injected between the hosts and the embedded artifact server, WinRM faults
// injected by the simulator, and obstacles on the hosts' disks. Whatever happens, every host
// must end with either exactly the bundle or exactly what it held before, and the service must
// report which.
#include "e2efixture.h"

#include "core/deploy/hoststatus.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTest>

using namespace aetherv;
using namespace aetherv::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kDir = u"C:\\Program Files\\Aether-V"_s;
const QString kRead = u"Read-AgentState.ps1"_s;
const QString kChanged = u"Inventory.Collect.ps1"_s; // differs between 0.3.0 and the bundle

QString mixName(int i)
{
    return u"MIX%1"_s.arg(i, 2, 10, QLatin1Char('0'));
}

QByteArray faultsFile(const QJsonObject &extra = {})
{
    QJsonObject hosts{
        {mixName(6), QJsonObject{{u"rejectCredentials"_s, true}}},
        {mixName(7), QJsonObject{{u"accessDenied"_s, true}}},
        {mixName(8),
         QJsonObject{{u"failNext"_s, QJsonObject{{u"count"_s, 2}, {u"status"_s, 503}}}}},
        {mixName(9), QJsonObject{{u"latencyMs"_s, 150}}},
        {mixName(15), QJsonObject{{u"dropReceive"_s, 1}}},
        {mixName(16), QJsonObject{{u"hang"_s, true}}},
        {u"CTXEXP"_s, QJsonObject{{u"expireContext"_s, true}}},
    };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        hosts.insert(it.key(), it.value());
    return QJsonDocument(QJsonObject{{u"hosts"_s, hosts}}).toJson();
}

} // namespace

class TestE2eFaults : public QObject
{
    Q_OBJECT

private:
    E2eFixture f;

    FileSet oldSet() const
    {
        return installedSet(f.bundle(), u"0.3.0"_s, [](FileSet &files) {
            files[kChanged] += "\r\n# 0.3.0 behaviour\r\n";
            files.insert(u"Obsolete.Tool.ps1"_s, "Write-Output 'retired in 0.4.0'\r\n");
        });
    }

    // "" when the service reports `host` current and its disk holds exactly the bundle.
    QString isDeployed(ServiceRig &rig, const QString &host)
    {
        const deploy::HostStatus s = rig.service().status(f.key(host));
        QStringList problems;
        if (s.state != deploy::HostState::Current)
            problems << u"state %1 (%2)"_s.arg(deploy::hostStateName(s.state), s.message);
        if (s.hostVersion != f.bundle().version || s.hostDigest != f.bundle().manifest.digest())
            problems << u"reported %1/%2"_s.arg(s.hostVersion, QString::fromLatin1(s.hostDigest));
        const QString diff
            = describeDifference(expectedInstall(f.bundle()), readTree(f.diskPath(host, kDir)));
        if (!diff.isEmpty())
            problems << u"on disk: "_s + diff;
        return problems.join(u"; "_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(u"aetherv.core.winrm.info=false"_s);
        QStringList names{u"INGRESS"_s, u"GATESHUT"_s, u"RETRY"_s, u"FAILALL"_s,
                          u"CORRUPT"_s, u"QUOTA"_s,    u"CTXEXP"_s};
        for (int i = 1; i <= 20; ++i)
            names << mixName(i);
        QVERIFY2(f.start(names, faultsFile()), qPrintable(f.error()));
    }

    void init() { f.proxy().reset(); }

    void ingress503ThenOpen()
    {
        f.proxy().failFirst(u"manifest.json"_s, 3);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"INGRESS"_s}, kDir, f.proxy().baseUrl()));

        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->deployed, 1);
        const QString problem = isDeployed(rig, u"INGRESS"_s);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QJsonObject ingress = rig.service().metrics().value(u"ingress"_s).toObject();
        QCOMPARE(ingress.value(u"state"_s).toString(), u"ready"_s);
        QCOMPARE(ingress.value(u"attempts"_s).toInt(), 4);
        // Three 503s, then the gate's own 200; no bundle file was requested before it.
        const auto log = f.proxy().requests();
        QCOMPARE(f.proxy().count(u"manifest.json"_s, 503), 3);
        const qsizetype open = f.proxy().firstIndex(u"manifest.json"_s, 200);
        QCOMPARE(open, qsizetype(3));
        for (qsizetype i = 0; i < open; ++i)
            QCOMPARE(log.at(i).name, u"manifest.json"_s);
    }

    void ingressNeverOpensTouchesNoHost()
    {
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"GATESHUT"_s, kDir);
        QVERIFY(writeTree(dir, old));
        f.proxy().failAlways(u"manifest.json"_s);
        ServiceRig rig(f.bundlePtr());
        auto settings = f.settings({u"GATESHUT"_s}, kDir, f.proxy().baseUrl());
        settings.ingressTimeoutSeconds = 3;
        rig.service().setSettings(settings);

        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->failed, 1);
        const deploy::HostStatus s = rig.service().status(f.key(u"GATESHUT"_s));
        QCOMPARE(deploy::hostStateName(s.state), u"unreachable"_s);
        QVERIFY2(s.message.contains(f.proxy().baseUrl().toString()), qPrintable(s.message));
        QCOMPARE(s.hostVersion, u"0.3.0"_s);
        QCOMPARE(rig.executor().scripts(f.key(u"GATESHUT"_s)), QStringList{kRead});
        QCOMPARE(readTree(dir), old);
    }

    void downloadFailsTwiceThenSucceeds()
    {
        const QString iso = u"LinuxProvisioning.iso"_s;
        f.proxy().failFirst(iso, 2);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"RETRY"_s}, kDir, f.proxy().baseUrl()));

        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->deployed, 1);
        const QString problem = isDeployed(rig, u"RETRY"_s);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(f.proxy().count(iso, 503), 2);
        QCOMPARE(f.proxy().count(iso, 200), 1);
    }

    void downloadFailsEveryAttempt()
    {
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"FAILALL"_s, kDir);
        QVERIFY(writeTree(dir, old));
        f.proxy().failAlways(kChanged);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"FAILALL"_s}, kDir, f.proxy().baseUrl()));

        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->failed, 1);
        QCOMPARE(summary->deployed, 0);
        const deploy::HostStatus s = rig.service().status(f.key(u"FAILALL"_s));
        QCOMPARE(deploy::hostStateName(s.state), u"failed"_s);
        QVERIFY2(s.message.contains(kChanged) && s.message.contains(u"download-failed"_s),
                 qPrintable(s.message));
        QCOMPARE(s.hostVersion, u"0.3.0"_s);
        QCOMPARE(f.proxy().count(kChanged, 503), 3);
        // The previous complete set and version, and nothing else (no lock, no staging).
        QCOMPARE(readTree(dir), old);
        QCOMPARE(listEntries(dir).size(), old.size());
    }

    void corruptedDownloadIsRejected()
    {
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"CORRUPT"_s, kDir);
        QVERIFY(writeTree(dir, old));
        f.proxy().corrupt(kChanged);
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"CORRUPT"_s}, kDir, f.proxy().baseUrl()));

        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->failed, 1);
        const deploy::HostStatus s = rig.service().status(f.key(u"CORRUPT"_s));
        QCOMPARE(deploy::hostStateName(s.state), u"failed"_s);
        QVERIFY2(s.message.contains(kChanged) && s.message.contains(u"hash-mismatch"_s),
                 qPrintable(s.message));
        QCOMPARE(s.hostVersion, u"0.3.0"_s);
        QCOMPARE(f.proxy().count(kChanged, 200), 3);
        QCOMPARE(readTree(dir), old);
        QCOMPARE(listEntries(dir).size(), old.size());
    }

    void diskQuotaHit()
    {
        // The old set differs from the bundle in both ISOs, so the new ones must be staged.
        const FileSet old = installedSet(f.bundle(), u"0.3.0"_s, [](FileSet &files) {
            files[u"LinuxProvisioning.iso"_s].append("old");
            files[u"WindowsProvisioning.iso"_s].append("old");
        });
        const QString dir = f.diskPath(u"QUOTA"_s, kDir);
        QVERIFY(writeTree(dir, old));
        qint64 used = 0;
        for (const QByteArray &bytes : readTree(f.driveRoot(u"QUOTA"_s)))
            used += bytes.size();
        // Room for the lock file and small files, not for one ISO.
        const qint64 quota = used + 64 * 1024;
        QVERIFY(
            f.updateFaults(faultsFile({{u"QUOTA"_s, QJsonObject{{u"diskQuotaBytes"_s, quota}}}})));
        const QString quotaFile
            = f.workDir() + u"/hosts/.hostsim-quotas-"_s + QString::number(f.sim().processId());
        // The simulator enforces the quota through this file; without it the test would prove
        // nothing, so its absence is a failure, not a skip.
        QVERIFY2(QFileInfo::exists(quotaFile),
                 qPrintable(u"aetherv-hostsim did not apply diskQuotaBytes: no "_s + quotaFile));

        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"QUOTA"_s}, kDir, f.server().baseUrl()));
        const auto summary = rig.deploy({});
        QVERIFY(summary);
        QCOMPARE(summary->failed, 1);
        const deploy::HostStatus s = rig.service().status(f.key(u"QUOTA"_s));
        QCOMPARE(deploy::hostStateName(s.state), u"failed"_s);
        QVERIFY2(s.message.contains(u"disk-write-failed"_s)
                     && s.message.contains(u"not enough space"_s, Qt::CaseInsensitive),
                 qPrintable(s.message));
        QCOMPARE(s.hostVersion, u"0.3.0"_s);
        QCOMPARE(readTree(dir), old);
        QCOMPARE(listEntries(dir).size(), old.size());
    }

    void securityContextDroppedOnce()
    {
        // The host drops the NTLM context once (a 401 on the first request after the handshake,
        // as after a context expiry on Windows). A 401 means the host did not process the
        // request, so the client can authenticate again and repeat it; the host must then be
        // deployed normally.
        const FileSet old = oldSet();
        const QString dir = f.diskPath(u"CTXEXP"_s, kDir);
        QVERIFY(writeTree(dir, old));
        ServiceRig rig(f.bundlePtr());
        rig.service().setSettings(f.settings({u"CTXEXP"_s}, kDir, f.server().baseUrl()));
        const auto summary = rig.deploy({});
        QVERIFY(summary);
        const deploy::HostStatus s = rig.service().status(f.key(u"CTXEXP"_s));
        // Whatever the outcome, the report matches the disk.
        if (s.state != deploy::HostState::Current)
            QCOMPARE(readTree(dir), old);
        QEXPECT_FAIL("",
                     "core/winrm HttpTransport::onReply does not repeat a Command or Send that got "
                     "401 after re-authenticating, although a 401 means it was not processed",
                     Abort);
        QCOMPARE(deploy::hostStateName(s.state), u"current"_s);
        const QString problem = isDeployed(rig, u"CTXEXP"_s);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void twentyHostsMixedFaults()
    {
        // What each host holds before the rollout, and the state it must end in.
        QHash<QString, FileSet> seeds;
        QHash<QString, QString> expected;
        for (int i = 1; i <= 20; ++i)
            expected.insert(mixName(i), u"current"_s);
        expected[mixName(6)] = u"auth-failed"_s; // rejectCredentials
        expected[mixName(7)] = u"failed"_s;      // access denied fault
        // Two 503s from the WinRM listener: the client does not retry a 503 in the handshake,
        // so the host is reported failed (and left as it was).
        expected[mixName(8)] = u"failed"_s;
        // A host that accepts requests and never answers: the check's deadline ends it.
        expected[mixName(16)] = u"failed"_s;
        seeds[mixName(10)] = installedSet(f.bundle(), u"9.1.0"_s);
        expected[mixName(10)] = u"ahead"_s;
        seeds[mixName(11)] = expectedInstall(f.bundle());
        seeds[mixName(12)] = oldSet();
        seeds[mixName(13)] = installedSet(f.bundle(), f.bundle().version, [](FileSet &files) {
            files[u"Provisioning.CopyImage.ps1"_s].append("\r\n");
        });
        {
            // A folder where the bundle needs a file: the host cannot take the bundle.
            FileSet blocked = oldSet();
            blocked.remove(kChanged);
            blocked.insert(kChanged + u"/notes.txt"_s, "operator's notes\r\n");
            seeds[mixName(14)] = blocked;
            expected[mixName(14)] = u"failed"_s;
        }
        {
            FileSet locked = oldSet();
            const QJsonObject lock{
                {u"owner"_s, u"aetherv-console bob@WS02 pid 77 run 1f2e3d4c"_s},
                {u"expiresUtc"_s,
                 QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate)},
                {u"token"_s, u"0123456789abcdef"_s}};
            locked.insert(u".aetherv.lock"_s, QJsonDocument(lock).toJson(QJsonDocument::Compact));
            seeds[mixName(17)] = locked;
            expected[mixName(17)] = u"locked"_s;
        }
        {
            FileSet legacy = expectedInstall(f.bundle());
            legacy.remove(u"version"_s);
            legacy.remove(u"manifest.json"_s);
            legacy.insert(u"scriptsversion"_s, "0.2.0\r\n");
            legacy.insert(u"isosversion"_s, "0.2.0\r\n");
            seeds[mixName(18)] = legacy;
        }
        for (auto it = seeds.cbegin(); it != seeds.cend(); ++it)
            QVERIFY(writeTree(f.diskPath(it.key(), kDir), *it));

        // Two failures of one ISO somewhere in the fleet: absorbed by the per-file retries.
        f.proxy().failFirst(u"WindowsProvisioning.iso"_s, 2);
        ServiceRig rig(f.bundlePtr(), 5);
        QStringList hosts;
        for (int i = 1; i <= 20; ++i)
            hosts << mixName(i);
        auto settings = f.settings(hosts, kDir, f.proxy().baseUrl());
        settings.checkDeadlineMs = 30000;
        rig.service().setSettings(settings);

        const auto summary = rig.deploy({}, false, 200000);
        QVERIFY(summary);
        QCOMPARE(summary->total, 20);
        QCOMPARE(summary->completed, 20);
        QCOMPARE(rig.executor().maxInFlight(), 5);

        QStringList mismatches;
        int current = 0;
        for (const QString &host : std::as_const(hosts)) {
            const deploy::HostStatus s = rig.service().status(f.key(host));
            const QString state = deploy::hostStateName(s.state);
            const FileSet disk = readTree(f.diskPath(host, kDir));
            const FileSet before = seeds.value(host);
            QString wrong;
            if (state != expected.value(host)) {
                wrong = u"expected %1"_s.arg(expected.value(host));
            } else if (s.state == deploy::HostState::Current) {
                ++current;
                wrong = describeDifference(expectedInstall(f.bundle()), disk);
                if (wrong.isEmpty()
                    && (s.hostVersion != f.bundle().version
                        || s.hostDigest != f.bundle().manifest.digest()))
                    wrong = u"reports version %1"_s.arg(s.hostVersion);
            } else {
                // Left alone or failed: exactly what it held before.
                wrong = describeDifference(before, disk);
            }
            if (!wrong.isEmpty())
                mismatches << u"%1 %2 (%3): %4"_s.arg(host, state, s.message, wrong);
        }
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u"\n"_s)));
        QCOMPARE(summary->succeeded, current);
        QCOMPARE(summary->skipped, 1);
        QCOMPARE(summary->failed, 20 - current - 1);
        QCOMPARE(f.proxy().count(u"WindowsProvisioning.iso"_s, 503), 2);
    }
};

QTEST_GUILESS_MAIN(TestE2eFaults)
#include "tst_e2e_faults.moc"
