// The diskQuotaBytes fault: PowerShell on a host with a quota gets Windows' "not enough space"
// I/O error once its writes would take the host's C: beyond the quota, so Deploy-AgentBundle.ps1
// fails there with disk-write-failed, while a host without a quota deploys the same bundle.
#include "simclient.h"

#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"
#include "core/deploy/winrmscriptexecutor.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

using namespace aetherv;
using namespace aetherv::hostsimtest;
using namespace aetherv::winrm;
using namespace Qt::StringLiterals;

namespace {
const QString password = u"Pa55-w0rd!"_s;
constexpr qint64 quota = 1024 * 1024;
const QString diskFull = u"There is not enough space on the disk."_s;
} // namespace

class TestHostSimQuota : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void writesBeyondQuotaFail();
    void reloadLiftsQuota();
    void deployFailsOnlyOnHostWithQuota();

private:
    RunOutcome run(const QString &host, const QString &script, const QJsonObject &params = {});
    void setFaults(const QByteArray &json);

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
};

void TestHostSimQuota::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(m_dir.filePath(u"users"_s), "TESTDOM:alice:" + password.toUtf8() + "\n"));
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s),
                      R"({"hosts":{"HV02":{"diskQuotaBytes":1048576}}})"));
    QVERIFY2(m_sim.start({u"--host-names"_s, u"HV01,HV02"_s, u"--root"_s, m_dir.filePath(u"root"_s),
                          u"--users"_s, m_dir.filePath(u"users"_s), u"--faults"_s,
                          m_dir.filePath(u"faults.json"_s)}),
             qPrintable(m_sim.errorString()));
}

void TestHostSimQuota::init()
{
    setFaults(R"({"hosts":{"HV02":{"diskQuotaBytes":1048576}}})");
}

void TestHostSimQuota::cleanupTestCase()
{
    m_sim.stop();
}

void TestHostSimQuota::setFaults(const QByteArray &json)
{
    QVERIFY(writeFile(m_dir.filePath(u"faults.json"_s), json));
    QVERIFY2(m_sim.reloadFaults(), qPrintable(m_sim.stderrText().right(500)));
}

RunOutcome TestHostSimQuota::run(const QString &host, const QString &script,
                                 const QJsonObject &params)
{
    PowerShellRunner runner(ntlmSettings(m_sim.host(host)),
                            Credentials{u"TESTDOM\\alice"_s, password}, script, params);
    return runToEnd(runner, 180000);
}

void TestHostSimQuota::writesBeyondQuotaFail()
{
    // 600 KB fits under 1 MiB, a second 600 KB does not; the first file stays, the second is
    // refused with the Windows text. Without a quota (HV01) both writes succeed.
    const QString script = uR"(
$dir = Convert-Path 'C:\Windows\Temp'
$bytes = New-Object byte[] 614400
[System.IO.File]::WriteAllBytes((Join-Path $dir 'first.bin'), $bytes)
'first written'
try {
    $fs = [System.IO.FileStream]::new((Join-Path $dir 'second.bin'), 'Create', 'Write', 'None', 65536)
    try { $fs.Write($bytes, 0, $bytes.Length); $fs.Flush($true) } finally { $fs.Dispose() }
    'second written'
} catch {
    $e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException }
    'io error: ' + $e.GetType().Name + ': ' + $e.Message
}
try { Copy-Item 'C:\Windows\Temp\first.bin' 'C:\Windows\Temp\copy.bin' -ErrorAction Stop; 'copied' }
catch { 'copy error: ' + $_.Exception.Message }
)"_s;
    const RunOutcome limited = run(u"HV02"_s, script);
    QVERIFY2(limited.result.outcome == JobOutcome::Succeeded,
             qPrintable(limited.result.error.toString()));
    QCOMPARE(limited.stdoutLines.size(), qsizetype(3));
    QCOMPARE(limited.stdoutLines.at(0), u"first written"_s);
    QVERIFY2(limited.stdoutLines.at(1).startsWith(u"io error: IOException: "_s + diskFull),
             qPrintable(limited.stdoutLines.at(1)));
    QVERIFY2(limited.stdoutLines.at(2).startsWith(u"copy error: "_s + diskFull),
             qPrintable(limited.stdoutLines.at(2)));
    const QString root = m_sim.host(u"HV02"_s).driveRoot + u"/Windows/Temp/"_s;
    QCOMPARE(QFileInfo(root + u"first.bin"_s).size(), 614400);
    QCOMPARE(QFileInfo(root + u"second.bin"_s).size(), 0);

    const RunOutcome free = run(u"HV01"_s, script);
    QVERIFY2(free.result.outcome == JobOutcome::Succeeded,
             qPrintable(free.result.error.toString()));
    QCOMPARE(free.stdoutLines, (QStringList{u"first written"_s, u"second written"_s, u"copied"_s}));
}

void TestHostSimQuota::reloadLiftsQuota()
{
    setFaults(R"({"hosts":{"HV02":{"diskQuotaBytes":0}}})");
    const QString script
        = u"try { [System.IO.File]::WriteAllText((Join-Path (Convert-Path 'C:\\Windows\\Temp') "
          u"'small.txt'), 'x'); 'written' } catch { 'refused' }"_s;
    QCOMPARE(run(u"HV02"_s, script).stdoutLines, QStringList{u"refused"_s});
    setFaults(R"({"hosts":{}})");
    QCOMPARE(run(u"HV02"_s, script).stdoutLines, QStringList{u"written"_s});
}

void TestHostSimQuota::deployFailsOnlyOnHostWithQuota()
{
    // A bundle with a 3 MiB ISO, served by the console's own artifact server.
    QTemporaryDir bundleDir;
    QVERIFY(bundleDir.isValid());
    QByteArray iso(3 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(iso.data()), iso.size() / 4);
    QVERIFY(writeFile(bundleDir.filePath(u"agent-windows.iso"_s), iso));
    QVERIFY(writeFile(bundleDir.filePath(u"Install-Agent.ps1"_s), "'install'\r\n"));
    QVERIFY(writeFile(bundleDir.filePath(u"version"_s), "2.5.0\r\n"));
    const auto bundle = artifacts::AgentBundle::scan(bundleDir.path());
    QVERIFY2(bundle.has_value(), qPrintable(bundle ? QString() : bundle.error().toString()));
    artifacts::ArtifactServer server({});
    const auto port = server.start();
    QVERIFY2(port.has_value(), qPrintable(port ? QString() : port.error().toString()));
    server.setBundle(std::make_shared<const artifacts::BundleSnapshot>(*bundle));

    // The script as the console sends it: assembled with its shared helpers, compiled into core.
    const QString script
        = aetherv::deploy::WinRmScriptExecutor::scriptText(u"Deploy-AgentBundle.ps1"_s);
    QVERIFY(script.contains(u"function Resolve-AvInstallDirectory"_s));
    auto params = [&](const QString &) {
        QJsonObject p;
        p.insert(u"installDirectory"_s, u"C:\\Program Files\\Aether-V\\Agent"_s);
        p.insert(u"baseUrl"_s, server.baseUrl().toString());
        p.insert(u"expectedVersion"_s, bundle->version);
        p.insert(u"expectedDigest"_s, QString::fromLatin1(bundle->manifest.digest()));
        p.insert(u"maxAttempts"_s, 1);
        p.insert(u"retryIntervalSeconds"_s, 0);
        p.insert(u"timeoutSeconds"_s, 120);
        p.insert(u"lock"_s, QJsonObject{{u"owner"_s, u"tst_hostsim_quota"_s}});
        return p;
    };

    auto resultOf = [](const RunOutcome &o) {
        return o.stdoutLines.isEmpty()
                   ? QJsonObject()
                   : QJsonDocument::fromJson(o.stdoutLines.last().toUtf8()).object();
    };
    const RunOutcome limited = run(u"HV02"_s, script, params(u"HV02"_s));
    QVERIFY2(limited.result.outcome == JobOutcome::Succeeded,
             qPrintable(limited.result.error.toString()));
    const QJsonObject failed = resultOf(limited);
    QCOMPARE(failed.value(u"event"_s).toString(), u"result"_s);
    QCOMPARE(failed.value(u"outcome"_s).toString(), u"failed"_s);
    const QString code = failed.value(u"code"_s).toString();
    const QString error = failed.value(u"error"_s).toString();
    QVERIFY2(error.contains(diskFull), qPrintable(error));
    QCOMPARE(code, u"disk-write-failed"_s);
    const QString limitedDir = m_sim.host(u"HV02"_s).driveRoot + u"/Program Files/Aether-V/Agent"_s;
    QVERIFY(!QFileInfo::exists(limitedDir + u"/version"_s));
    QVERIFY(!QFileInfo::exists(limitedDir + u"/agent-windows.iso"_s));

    const RunOutcome free = run(u"HV01"_s, script, params(u"HV01"_s));
    QVERIFY2(free.result.outcome == JobOutcome::Succeeded,
             qPrintable(free.result.error.toString()));
    const QJsonObject deployed = resultOf(free);
    QVERIFY2(deployed.value(u"outcome"_s).toString() == u"deployed"_s,
             qPrintable(free.stdoutLines.join(u'\n') + free.result.stderrText));
    const QString freeDir = m_sim.host(u"HV01"_s).driveRoot + u"/Program Files/Aether-V/Agent"_s;
    QCOMPARE(QFileInfo(freeDir + u"/agent-windows.iso"_s).size(), iso.size());
    QFile version(freeDir + u"/version"_s);
    QVERIFY(version.open(QIODevice::ReadOnly));
    QCOMPARE(version.readAll().trimmed(), QByteArray("2.5.0"));
}

QTEST_GUILESS_MAIN(TestHostSimQuota)
#include "tst_hostsim_quota.moc"
