#include "core/deploy/hostdeploymentservice.h"
#include "ui/banner/rolloutbanner.h"
#include "ui/credentials/credentialsdialog.h"
#include "ui/diagnostics/diagnosticsdialog.h"
#include "ui/hosts/hostfilterproxymodel.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/logs/hostlogbook.h"
#include "ui/logs/logpane.h"
#include "ui/main/mainwindow.h"
#include "ui/session/consolesession.h"

#include "consolefixture.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::BannerLevel;
using deploy::HostState;
using Mode = FakeHostState::Mode;

// Drives the real MainWindow (real session: task runner, artifact server on 127.0.0.1, bundle
// scan, deployment service) against in-memory hosts behind the executor seam.
class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void selectingAProfileStartsItsSessionWithTheStoredPassword();
    void checkShowsEachHostsState();
    void deployOutdatedBringsHostsToCurrent();
    void failureMessageIsVisible();
    void cancelStopsARunningDeployment();
    void missingPasswordPromptsAndStores();
    void keychainErrorIsShownWithItsText();
    void smokeTestComparesFilesWithTheBundle();
    void profileWithErrorsNeverReachesHosts();
    void startupDeploymentRunsWhileTheWindowIsUsable();
    void filterAndContextMenu();
    void diagnosticsShowsMetrics();

private:
    void makeWindow();
    HostState stateOf(const QString &host) const;
    QString messageOf(const QString &host) const;
    void trigger(MainWindow::Action a);

    BundleFolder m_bundle;
    std::shared_ptr<FakeHosts> m_hosts;
    MemoryProfileStore m_profiles;
    MemorySecretStore m_secrets;
    QList<Credentials> m_factoryCalls;
    std::unique_ptr<MainWindow> m_window;
    config::Profile m_a, m_b;
    QString m_confirmText;
    bool m_confirmAnswer = true;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_bundle.create());
}

void tst_MainWindow::init()
{
    m_hosts = std::make_shared<FakeHosts>();
    m_hosts->bundleFiles = m_bundle.snapshot->manifest.files();
    const QByteArray digest = m_bundle.snapshot->manifest.digest();
    m_hosts->set(u"hv1"_qs, {true, "2.0.0", digest, m_hosts->bundleFiles});
    m_hosts->set(u"hv2"_qs, {true, "1.9.0", QByteArray(64, 'a'), {}});
    m_hosts->set(u"hv3"_qs, {});
    FakeHostState down;
    down.read = Mode::Unreachable;
    m_hosts->set(u"hv4"_qs, down);
    m_a = testProfile(u"Alpha"_qs, {u"hv1"_qs, u"hv2"_qs, u"hv3"_qs, u"hv4"_qs},
                      m_bundle.dir.path());
    m_b = testProfile(u"Beta"_qs, {u"x1"_qs, u"x2"_qs}, m_bundle.dir.path());
    m_b.winrm.userName = u"beta@TESTDOM.EXAMPLE"_qs;
    m_profiles.stored = {m_a, m_b};
    m_profiles.current = m_a.id;
    m_secrets.secrets.clear();
    m_secrets.failure.clear();
    m_secrets.secrets.insert(m_a.id + u"|TESTDOM\\operator"_qs, u"Op3rator-pass"_qs);
    m_factoryCalls.clear();
    m_secrets.reads = 0;
    m_confirmText.clear();
    m_confirmAnswer = true;
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
}

void tst_MainWindow::makeWindow()
{
    ConsoleContext ctx;
    ctx.profiles = &m_profiles;
    ctx.secrets = &m_secrets;
    auto hosts = m_hosts;
    ctx.executorFactory = [this, hosts](const config::Profile &, const Credentials &c)
        -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        m_factoryCalls << c;
        return std::shared_ptr<deploy::RemoteScriptExecutor>(hosts);
    };
    m_window = std::make_unique<MainWindow>(ctx);
    m_window->setConfirmHandler([this](const QString &, const QString &text) {
        m_confirmText = text;
        return m_confirmAnswer;
    });
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->loadProfiles();
}

HostState tst_MainWindow::stateOf(const QString &host) const
{
    const int row = m_window->hostModel()->rowOfHost(host);
    return row < 0 ? HostState::Unknown : m_window->hostModel()->statusAt(row).state;
}

QString tst_MainWindow::messageOf(const QString &host) const
{
    const int row = m_window->hostModel()->rowOfHost(host);
    return row < 0 ? QString()
                   : m_window->hostModel()->index(row, HostTableModel::Message).data().toString();
}

void tst_MainWindow::trigger(MainWindow::Action a)
{
    QAction *act = m_window->action(a);
    QVERIFY2(act->isEnabled(), qPrintable(act->objectName()));
    act->trigger();
}

void tst_MainWindow::selectingAProfileStartsItsSessionWithTheStoredPassword()
{
    makeWindow();
    QTRY_VERIFY(m_window->session());
    QCOMPARE(m_window->currentProfileId(), m_a.id);
    QCOMPARE(m_factoryCalls.size(), 1);
    QCOMPARE(m_factoryCalls.first().user, u"TESTDOM\\operator"_qs);
    QCOMPARE(m_factoryCalls.first().password, u"Op3rator-pass"_qs);
    QAbstractItemModelTester tester(m_window->hostModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_window->hostModel()->rowCount(), 4);
    QTRY_VERIFY(m_window->session()->serverState() == ConsoleSession::ServerState::Ready);
    const QString status = m_window->serverStatusLabel()->text();
    QVERIFY2(status.contains(u"http://127.0.0.1:"_qs) && status.contains(u"2.0.0"_qs),
             qPrintable(status));
    QTRY_VERIFY(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled());
    QVERIFY(m_window->banner()->isVisible());
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Info);
    QVERIFY(m_window->banner()->text().contains(u"2.0.0"_qs));

    // Switching to the other profile replaces the session and the rows.
    auto *box = m_window->findChild<QComboBox *>(u"profileBox"_qs);
    QVERIFY(box);
    QCOMPARE(box->count(), 2);
    m_secrets.secrets.insert(m_b.id + u"|beta@TESTDOM.EXAMPLE"_qs, u"beta-pass"_qs);
    QVERIFY(m_window->selectProfile(m_b.id));
    QTRY_COMPARE(m_window->hostModel()->rowCount(), 2);
    QCOMPARE(m_profiles.current, m_b.id);
    QCOMPARE(m_factoryCalls.last().password, u"beta-pass"_qs);
}

void tst_MainWindow::checkShowsEachHostsState()
{
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::Check)->isEnabled());
    trigger(MainWindow::Action::Check);
    QTRY_VERIFY(!m_window->session()->service()->isRunning());
    QTRY_COMPARE(stateOf(u"hv4"_qs), HostState::Unreachable);
    QCOMPARE(stateOf(u"hv1"_qs), HostState::Current);
    QCOMPARE(stateOf(u"hv2"_qs), HostState::Outdated);
    QCOMPARE(stateOf(u"hv3"_qs), HostState::Outdated);
    QVERIFY2(messageOf(u"hv4"_qs).contains(u"connection refused"_qs),
             qPrintable(messageOf(u"hv4"_qs)));
    const int row = m_window->hostModel()->rowOfHost(u"hv2"_qs);
    QCOMPARE(m_window->hostModel()->index(row, HostTableModel::HostVersion).data().toString(),
             u"1.9.0"_qs);
    // A check never deploys.
    QCOMPARE(m_hosts->host(u"hv2"_qs).deployCalls, 0);
}

void tst_MainWindow::deployOutdatedBringsHostsToCurrent()
{
    FakeHostState up = m_hosts->host(u"hv4"_qs);
    up.read = Mode::Normal;
    m_hosts->set(u"hv4"_qs, up);
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled());
    QSignalSpy finished(m_window->session()->service(),
                        &deploy::HostDeploymentService::operationFinished);
    trigger(MainWindow::Action::DeployOutdated);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    for (const QString &h : {u"hv1"_qs, u"hv2"_qs, u"hv3"_qs, u"hv4"_qs})
        QTRY_COMPARE(stateOf(h), HostState::Current);
    QCOMPARE(m_hosts->host(u"hv1"_qs).deployCalls, 0); // was current already
    QCOMPARE(m_hosts->host(u"hv2"_qs).deployCalls, 1);
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Success);
    QVERIFY(m_window->banner()->text().contains(u"2.0.0"_qs));
    const int row = m_window->hostModel()->rowOfHost(u"hv2"_qs);
    QCOMPARE(m_window->hostModel()
                 ->index(row, HostTableModel::Progress)
                 .data(HostTableModel::RawValueRole)
                 .toDouble(),
             1.0);
    m_window->selectHosts({u"hv2"_qs});
    QTRY_COMPARE(m_window->logPane()->host(), u"hv2"_qs);
    QVERIFY2(m_window->logPane()->shownText().contains(u"2.0.0"_qs),
             qPrintable(m_window->logPane()->shownText()));
    QVERIFY(!m_window->logPane()->shownText().contains(u"Op3rator-pass"_qs));
}

void tst_MainWindow::failureMessageIsVisible()
{
    m_hosts->setDeployMode(u"hv2"_qs, Mode::Fail);
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled());
    m_window->selectHosts({u"hv2"_qs, u"hv3"_qs});
    QTRY_VERIFY(m_window->action(MainWindow::Action::ForceRedeploy)->isEnabled());
    QSignalSpy finished(m_window->session()->service(),
                        &deploy::HostDeploymentService::operationFinished);
    trigger(MainWindow::Action::ForceRedeploy);
    // The confirmation names the hosts.
    QVERIFY2(m_confirmText.contains(u"hv2"_qs) && m_confirmText.contains(u"hv3"_qs),
             qPrintable(m_confirmText));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QTRY_COMPARE(stateOf(u"hv2"_qs), HostState::Failed);
    QCOMPARE(stateOf(u"hv3"_qs), HostState::Current);
    QVERIFY2(messageOf(u"hv2"_qs).contains(u"failed verification"_qs),
             qPrintable(messageOf(u"hv2"_qs)));
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Error);
    QVERIFY2(m_window->banner()->text().contains(u"failed verification"_qs),
             qPrintable(m_window->banner()->text()));
    m_window->selectHosts({u"hv2"_qs});
    trigger(MainWindow::Action::CopyError);
    QVERIFY(QApplication::clipboard()->text().contains(u"failed verification"_qs));
    // Refused confirmation: nothing is deployed.
    m_confirmAnswer = false;
    const int calls = m_hosts->host(u"hv2"_qs).deployCalls;
    trigger(MainWindow::Action::ForceRedeploy);
    QTest::qWait(300);
    QCOMPARE(m_hosts->host(u"hv2"_qs).deployCalls, calls);
}

void tst_MainWindow::cancelStopsARunningDeployment()
{
    m_hosts->setDeployMode(u"hv3"_qs, Mode::Hold);
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled());
    m_window->selectHosts({u"hv3"_qs});
    trigger(MainWindow::Action::DeploySelected);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"hv3"_qs), HostState::Deploying, 10000);
    const int row = m_window->hostModel()->rowOfHost(u"hv3"_qs);
    QTRY_VERIFY(m_window->hostModel()->statusAt(row).bytesDone > 0);
    QTRY_VERIFY(m_window->action(MainWindow::Action::Cancel)->isEnabled());
    QCOMPARE(m_window->banner()->level(), BannerLevel::Progress);
    trigger(MainWindow::Action::Cancel);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"hv3"_qs), HostState::Cancelled, 10000);
    QTRY_COMPARE(m_hosts->host(u"hv3"_qs).cancelled, 1);
    QTRY_VERIFY(!m_window->action(MainWindow::Action::Cancel)->isEnabled());
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Warning);
    QCOMPARE(m_hosts->host(u"hv3"_qs).versionExists, false); // nothing was activated
}

void tst_MainWindow::missingPasswordPromptsAndStores()
{
    m_profiles.current = m_b.id;
    makeWindow();
    CredentialsDialog *dlg = nullptr;
    QTRY_VERIFY((dlg = m_window->findChild<CredentialsDialog *>()) && dlg->isVisible());
    QVERIFY(!m_window->session());
    QCOMPARE(dlg->userName(), u"beta@TESTDOM.EXAMPLE"_qs);
    auto *password = dlg->findChild<QLineEdit *>(u"password"_qs);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QTest::keyClicks(password, u"typed-pass"_qs);
    QTest::mouseClick(dlg->findChild<QPushButton *>(u"accept"_qs), Qt::LeftButton);
    QTRY_VERIFY(m_window->session());
    QCOMPARE(m_factoryCalls.last().password, u"typed-pass"_qs);
    QCOMPARE(m_secrets.secrets.value(m_b.id + u"|beta@TESTDOM.EXAMPLE"_qs), u"typed-pass"_qs);
    // Never in the profile store.
    for (const config::Profile &p : std::as_const(m_profiles.stored))
        QVERIFY(!QString::fromUtf8(p.toJson()).contains(u"typed-pass"_qs));
}

void tst_MainWindow::keychainErrorIsShownWithItsText()
{
    m_secrets.failure
        = u"Object does not exist at path /org/freedesktop/secrets/collection/login"_qs;
    makeWindow();
    CredentialsDialog *dlg = nullptr;
    QTRY_VERIFY((dlg = m_window->findChild<CredentialsDialog *>()) && dlg->isVisible());
    const QString intro = dlg->findChild<QLabel *>(u"reason"_qs)->text();
    QVERIFY2(intro.contains(u"collection/login"_qs), qPrintable(intro));
    QVERIFY(m_window->logBook()->text(QString()).contains(u"collection/login"_qs));
    // Storing fails with the keychain's text; untick "remember" to use it for this session only.
    QTest::keyClicks(dlg->findChild<QLineEdit *>(u"password"_qs), u"pw-now"_qs);
    QTest::mouseClick(dlg->findChild<QPushButton *>(u"accept"_qs), Qt::LeftButton);
    QTRY_VERIFY(dlg->statusText().contains(u"collection/login"_qs));
    QVERIFY(!m_window->session());
    dlg->findChild<QCheckBox *>(u"remember"_qs)->setChecked(false);
    QTest::mouseClick(dlg->findChild<QPushButton *>(u"accept"_qs), Qt::LeftButton);
    QTRY_VERIFY(m_window->session());
    QCOMPARE(m_factoryCalls.last().password, u"pw-now"_qs);
}

void tst_MainWindow::smokeTestComparesFilesWithTheBundle()
{
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::DeployOutdated)->isEnabled());
    QSignalSpy smoke(m_window->session(), &ConsoleSession::smokeTestFinished);
    m_window->selectHosts({u"hv1"_qs, u"hv2"_qs});
    trigger(MainWindow::Action::SmokeTest);
    QTRY_COMPARE(smoke.size(), 2);
    QHash<QString, bool> passed;
    for (const auto &args : std::as_const(smoke))
        passed.insert(args.at(0).toString(), args.at(1).toBool());
    QVERIFY(passed.value(u"hv1"_qs));
    QVERIFY(!passed.value(u"hv2"_qs));
    const QString hv2 = m_window->logBook()->text(u"hv2"_qs);
    QVERIFY2(hv2.contains(u"missing"_qs) && hv2.contains(u"WindowsProvisioning.iso"_qs),
             qPrintable(hv2));
}

void tst_MainWindow::profileWithErrorsNeverReachesHosts()
{
    m_a.installDirectory.clear();
    m_a.artifactServer.port = 0;
    m_profiles.stored = {m_a};
    makeWindow();
    QTest::qWait(200);
    QVERIFY(!m_window->session());
    QVERIFY(m_factoryCalls.isEmpty());
    QCOMPARE(m_secrets.reads, 0);
    const QString log = m_window->logBook()->text(QString());
    QVERIFY2(log.contains(u"installDirectory"_qs) && log.contains(u"artifactServer.port"_qs),
             qPrintable(log));
    QVERIFY(!m_window->action(MainWindow::Action::Check)->isEnabled());
}

void tst_MainWindow::startupDeploymentRunsWhileTheWindowIsUsable()
{
    m_hosts->setDeployMode(u"hv2"_qs, Mode::Hold);
    FakeHostState up = m_hosts->host(u"hv4"_qs);
    up.read = Mode::Normal;
    m_hosts->set(u"hv4"_qs, up);
    m_a.startupDeployment = true;
    m_profiles.stored = {m_a};
    makeWindow();
    // Nothing clicked: the startup rollout runs, and the window answers meanwhile.
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"hv2"_qs), HostState::Deploying, 10000);
    auto *filter = m_window->findChild<QLineEdit *>(u"hostFilter"_qs);
    QTest::keyClicks(filter, u"hv2"_qs);
    QCOMPARE(m_window->hostProxy()->rowCount(), 1);
    filter->clear();
    QVERIFY(m_window->action(MainWindow::Action::Cancel)->isEnabled());
    m_hosts->release();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"hv2"_qs), HostState::Current, 10000);
    QTRY_COMPARE(stateOf(u"hv3"_qs), HostState::Current);
    QTRY_COMPARE(m_window->banner()->level(), BannerLevel::Success);
}

void tst_MainWindow::filterAndContextMenu()
{
    makeWindow();
    QTRY_VERIFY(m_window->action(MainWindow::Action::Check)->isEnabled());
    trigger(MainWindow::Action::Check);
    QTRY_COMPARE(stateOf(u"hv4"_qs), HostState::Unreachable);
    auto *states = m_window->findChild<QComboBox *>(u"stateFilter"_qs);
    states->setCurrentIndex(states->findData(int(HostFilterProxyModel::StateGroup::Failures)));
    QCOMPARE(m_window->hostProxy()->rowCount(), 1);
    states->setCurrentIndex(0);
    QCOMPARE(m_window->hostProxy()->rowCount(), 4);
    // The context menu offers every host action.
    QStringList names;
    for (QAction *a : m_window->hostContextMenu()->actions())
        names << a->objectName();
    for (const char *n : {"actionDeploySelected", "actionForceRedeploy", "actionSmokeTest",
                          "actionCopyError", "actionShowLog"})
        QVERIFY2(names.contains(QLatin1StringView(n)), n);
    m_window->selectHosts({u"hv4"_qs});
    trigger(MainWindow::Action::ShowLog);
    QCOMPARE(m_window->logPane()->host(), u"hv4"_qs);
    QVERIFY(m_window->logPane()->shownText().contains(u"connection refused"_qs));
}

void tst_MainWindow::diagnosticsShowsMetrics()
{
    makeWindow();
    QTRY_VERIFY(m_window->session()
                && m_window->session()->serverState() == ConsoleSession::ServerState::Ready);
    m_window->showDiagnosticsDialog();
    auto *dlg = m_window->findChild<DiagnosticsDialog *>();
    QVERIFY(dlg);
    dlg->refresh();
    const QJsonObject m = dlg->current();
    QVERIFY(m.contains(u"artifactServer"_qs));
    QVERIFY(m.value(u"deployment"_qs).toObject().contains(u"taskRunner"_qs));
    QCOMPARE(m.value(u"bundle"_qs).toObject().value(u"version"_qs).toString(), u"2.0.0"_qs);
    QCOMPARE(m.value(u"deployment"_qs).toObject().value(u"hosts"_qs).toArray().size(), 4);
    QVERIFY(dlg->tree()->topLevelItemCount() >= 4);
    dlg->copyJson();
    QVERIFY(QApplication::clipboard()->text().contains(u"\"taskRunner\""_qs));
    QVERIFY(!dlg->json().contains(u"Op3rator-pass"_qs));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
