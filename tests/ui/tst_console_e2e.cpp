#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/winrmscriptexecutor.h"
#include "ui/banner/rolloutbanner.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/logs/hostlogbook.h"
#include "ui/main/mainwindow.h"
#include "ui/session/consolesession.h"

#include "consolefixture.h"
#include "support/hostsimprocess.h"

#include <QAction>
#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::BannerLevel;
using deploy::HostState;

// The real window, the real WinRM executor (NTLM with message encryption over HTTP) and the real
// remote scripts against aetherv-hostsim: simulated Hyper-V hosts running PowerShell 7, each with
// its own C: on disk. Select the profile, Check, Deploy outdated, see hosts reach "current", see
// an unreachable host's message, smoke-test a host.
class tst_ConsoleEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void checkDeployAndSmokeTest();

private:
    HostState stateOf(const QString &host) const;
    QString messageOf(const QString &host) const;
    static void writeFile(const QString &path, const QByteArray &bytes);

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
    QStringList m_hosts; // "127.0.0.1:<port>" as the profile lists them
    QString m_closedHost;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ConsoleEndToEnd::writeFile(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

void tst_ConsoleEndToEnd::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(u"users"_qs), "LAB:operator:E2e-Passw0rd\n");
    QVERIFY2(m_sim.start({u"--host-names"_qs, u"HV01,HV02,HV03"_qs, u"--root"_qs,
                          m_dir.filePath(u"root"_qs), u"--users"_qs, m_dir.filePath(u"users"_qs)}),
             qPrintable(m_sim.errorString()));
    for (const auto &h : m_sim.hosts())
        m_hosts << u"127.0.0.1:"_qs + QString::number(h.url.port());
    // HV02 runs an older release; HV03 a newer one than the console ships.
    const QString install = u"/Program Files/Aether-V/version"_qs;
    writeFile(m_sim.host(u"HV02"_qs).driveRoot + install, "0.0.1\r\n");
    writeFile(m_sim.host(u"HV03"_qs).driveRoot + install, "99.0.0\n");
    m_closedHost = u"127.0.0.1:"_qs + QString::number(freeLoopbackPort());
}

void tst_ConsoleEndToEnd::cleanupTestCase()
{
    m_window.reset();
    m_sim.stop();
    QVERIFY2(!m_sim.stderrText().contains(u"E2e-Passw0rd"_qs), "a password reached the log");
}

HostState tst_ConsoleEndToEnd::stateOf(const QString &host) const
{
    const int row = m_window->hostModel()->rowOfHost(host);
    return row < 0 ? HostState::Unknown : m_window->hostModel()->statusAt(row).state;
}

QString tst_ConsoleEndToEnd::messageOf(const QString &host) const
{
    const int row = m_window->hostModel()->rowOfHost(host);
    return row < 0 ? QString() : m_window->hostModel()->statusAt(row).message;
}

void tst_ConsoleEndToEnd::checkDeployAndSmokeTest()
{
    const QString bundleDir = qEnvironmentVariable("AETHERV_BUILD_DIR") + u"/agent-bundle"_qs;
    QVERIFY(QFileInfo::exists(bundleDir + u"/version"_qs));
    config::Profile profile
        = testProfile(u"Simulated lab"_qs, m_hosts + QStringList{m_closedHost}, bundleDir);
    profile.hosts.clear();
    for (const QString &h : m_hosts + QStringList{m_closedHost})
        profile.hosts << *config::HostEntry::parse(h);
    profile.winrm.userName = u"LAB\\operator"_qs;
    profile.winrm.auth = config::WinRmAuth::Negotiate;
    profile.winrm.connectTimeoutSeconds = 5;
    profile.ingressGate.timeoutSeconds = 30;
    MemoryProfileStore profiles;
    profiles.stored = {profile};
    MemorySecretStore secrets;
    secrets.secrets.insert(profile.id + u"|LAB\\operator"_qs, u"E2e-Passw0rd"_qs);
    ConsoleContext ctx;
    ctx.profiles = &profiles;
    ctx.secrets = &secrets;
    ctx.executorFactory
        = [](const config::Profile &p,
             const Credentials &c) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return deploy::makeWinRmExecutor(p, c);
    };
    m_window = std::make_unique<MainWindow>(ctx);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->loadProfiles();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled(),
                             30000);
    QCOMPARE(m_window->hostModel()->rowCount(), 4);

    // Check: what each host really has.
    m_window->action(MainWindow::Action::Check)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_closedHost), HostState::Unreachable, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->service()->isRunning(), 120000);
    QCOMPARE(stateOf(m_hosts.at(0)), HostState::Outdated);
    QCOMPARE(stateOf(m_hosts.at(1)), HostState::Outdated);
    QCOMPARE(stateOf(m_hosts.at(2)), HostState::Ahead);
    QVERIFY(!messageOf(m_closedHost).isEmpty());

    // Deploy outdated: the real scripts stage, verify and activate on the simulated hosts.
    m_window->action(MainWindow::Action::DeployOutdated)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->service()->isRunning(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->service()->isRunning(), 300000);
    QCOMPARE(stateOf(m_hosts.at(0)), HostState::Current);
    QCOMPARE(stateOf(m_hosts.at(1)), HostState::Current);
    QCOMPARE(stateOf(m_hosts.at(2)), HostState::Ahead); // newer: left alone
    QCOMPARE(stateOf(m_closedHost), HostState::Unreachable);
    const QString bundleVersion = m_window->session()->bundle()->version;
    QFile v(m_sim.host(u"HV01"_qs).driveRoot + u"/Program Files/Aether-V/version"_qs);
    QVERIFY(v.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(v.readAll()).trimmed(), bundleVersion);
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Error); // the unreachable host
    QVERIFY2(m_window->banner()->text().contains(m_closedHost),
             qPrintable(m_window->banner()->text()));
    const int row = m_window->hostModel()->rowOfHost(m_hosts.at(1));
    QVERIFY(m_window->hostModel()->statusAt(row).bytesTotal > 0);

    // Smoke test: every file, size and SHA-256 on the host against the bundle.
    QSignalSpy smoke(m_window->session(), &ConsoleSession::smokeTestFinished);
    m_window->selectHosts({m_hosts.at(1)});
    m_window->action(MainWindow::Action::SmokeTest)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(smoke.size(), 1, 60000);
    QVERIFY2(smoke.first().at(1).toBool(), qPrintable(smoke.first().at(2).toString()));
    QVERIFY(!m_window->logBook()->text(m_hosts.at(1)).contains(u"E2e-Passw0rd"_qs));
}

QTEST_MAIN(tst_ConsoleEndToEnd)
#include "tst_console_e2e.moc"
