// A full rollout with a recognisable password, through the CLI and through the console window,
// against aetherv-hostsim (NTLM with message encryption, real PowerShell): the password, its
// hashes and any Authorization header stay out of every log (debug categories on), the CLI's text
// and JSON output, the metrics, the console's settings file, every widget's text and tooltip, and
// the command line of every process (the CLI, the console, the simulator's pwsh workers).
// Environment variables are not scanned: AETHERV_WINRM_PASSWORD is a documented way to pass it.
#include "clirun.h"
#include "secretscan.h"

#include "app/common/settingsstore.h"
#include "app/console/settingsprofilestore.h"
#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/winrmscriptexecutor.h"
#include "support/hostsimprocess.h"
#include "ui/consolefixture.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/logs/hostlogbook.h"
#include "ui/main/mainwindow.h"
#include "ui/session/consolesession.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextEdit>

using namespace aetherv;
using namespace aetherv::hardeningtest;

namespace {
QByteArray g_log; // every Qt message while the console test runs
QtMessageHandler g_previous = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log += QByteArray(context.category ? context.category : "") + ": " + message.toUtf8() + '\n';
    if (type != QtDebugMsg && g_previous)
        g_previous(type, context, message);
}
} // namespace

class tst_Secrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cliRolloutLeaksNothing();
    void consoleRolloutLeaksNothing();

private:
    void expectClean(const QString &what, const QByteArray &text);
    QString hostOf(const QString &name) const;
    QStringList widgetTexts(QWidget *root) const;

    QTemporaryDir m_dir;
    QString m_password;
    std::unique_ptr<SecretScan> m_scan;
    testsupport::HostSimProcess m_sim;
};

void tst_Secrets::expectClean(const QString &what, const QByteArray &text)
{
    const QStringList leaks = m_scan->leaks(text);
    QVERIFY2(leaks.isEmpty(), qPrintable(what + u" contains: "_qs + leaks.join(u", "_qs)));
}

QString tst_Secrets::hostOf(const QString &name) const
{
    return u"127.0.0.1:"_qs + QString::number(m_sim.host(name).url.port());
}

void tst_Secrets::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo::exists(cliExecutable()));
    m_password = QStringLiteral("Zz-Secret-%1-Qq")
                     .arg(QRandomGenerator::global()->generate64(), 16, 16, QChar(u'0'));
    m_scan = std::make_unique<SecretScan>(m_password, u"operator"_qs, u"LAB"_qs);
    QVERIFY(writeFile(m_dir.filePath(u"users"_qs), "LAB:operator:" + m_password.toUtf8() + '\n'));
    // HV01/HV02 for the CLI, HV03/HV04 for the console; HV02 and HV04 run an older release.
    QVERIFY2(m_sim.start({u"--host-names"_qs, u"HV01,HV02,HV03,HV04"_qs, u"--root"_qs,
                          m_dir.filePath(u"root"_qs), u"--users"_qs, m_dir.filePath(u"users"_qs)}),
             qPrintable(m_sim.errorString()));
    for (const QString &h : {u"HV02"_qs, u"HV04"_qs})
        QVERIFY(writeFile(m_sim.host(h).driveRoot + u"/Program Files/Aether-V/version"_qs,
                          "0.0.1\r\n"));
}

void tst_Secrets::cleanupTestCase()
{
    m_sim.stop();
    expectClean(u"the simulator's log"_qs, m_sim.stderrText().toUtf8());
}

void tst_Secrets::cliRolloutLeaksNothing()
{
    const QString profileFile = m_dir.filePath(u"profile.json"_qs);
    QJsonArray hosts;
    for (const QString &h : {u"HV01"_qs, u"HV02"_qs})
        hosts.append(
            QJsonObject{{u"address"_qs, u"127.0.0.1"_qs}, {u"port"_qs, m_sim.host(h).url.port()}});
    QVERIFY(writeJson(profileFile,
                      QJsonObject{
                          {u"schemaVersion"_qs, 2},
                          {u"id"_qs, u"secrets"_qs},
                          {u"name"_qs, u"Secrets lab"_qs},
                          {u"environment"_qs, u"test"_qs},
                          {u"hosts"_qs, hosts},
                          {u"bundleDirectory"_qs, QString(buildDir() + u"/agent-bundle"_qs)},
                          {u"winrm"_qs, QJsonObject{{u"transport"_qs, u"http"_qs},
                                                    {u"auth"_qs, u"negotiate"_qs},
                                                    {u"userName"_qs, u"LAB\\operator"_qs}}},
                          {u"artifactServer"_qs, QJsonObject{{u"listenAddress"_qs, u"127.0.0.1"_qs},
                                                             {u"port"_qs, freeLoopbackPort()}}},
                          {u"ingressGate"_qs,
                           QJsonObject{{u"timeoutSeconds"_qs, 30}, {u"intervalSeconds"_qs, 1}}},
                      }));
    QVERIFY(writePasswordFile(m_dir.filePath(u"password"_qs), m_password.toUtf8()));
    const QProcessEnvironment env
        = cliEnvironment(m_dir.filePath(u"home"_qs), m_dir.filePath(u"password"_qs));
    const QStringList common{u"--profile-file"_qs, profileFile, u"--log-rules"_qs,
                             u"aetherv.*.debug=true"_qs};

    const CliResult deploy
        = runCli(QStringList{u"deploy"_qs} + common, env, 240000, m_password.toUtf8());
    QVERIFY2(deploy.finished && deploy.exitCode == 0, qPrintable(deploy.text()));
    // The rollout really ran, with debug logging on, and /proc was really watched.
    QVERIFY2(deploy.err.contains("aetherv."), deploy.err.left(2000).constData());
    QVERIFY(deploy.cmdlineSamples > 0);
    QVERIFY2(deploy.pwshSeen > 0, "no pwsh worker of the simulator was seen in /proc");
    QCOMPARE(readFile(m_sim.host(u"HV02"_qs).driveRoot + u"/Program Files/Aether-V/version"_qs)
                 .trimmed(),
             readFile(buildDir() + u"/agent-bundle/version"_qs).trimmed());
    expectClean(u"deploy stdout"_qs, deploy.out);
    expectClean(u"deploy stderr (debug log)"_qs, deploy.err);
    QVERIFY2(deploy.secretInCmdline.isEmpty(), qPrintable(deploy.secretInCmdline.join(u'\n')));
    qInfo("deploy: %d /proc sweeps, %d pwsh command lines inspected, %lld bytes of debug log",
          deploy.cmdlineSamples, deploy.pwshSeen, qint64(deploy.err.size()));

    for (const QString &command : {u"check"_qs, u"status"_qs, u"metrics"_qs}) {
        const CliResult r
            = runCli(QStringList{command, u"--json"_qs} + common, env, 120000, m_password.toUtf8());
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(command + u": "_qs + r.text()));
        QVERIFY2(!r.jsonLines().isEmpty() || QJsonDocument::fromJson(r.out).isObject(),
                 qPrintable(command + u" printed no JSON: "_qs + r.text()));
        expectClean(command + u" --json stdout"_qs, r.out);
        expectClean(command + u" stderr (debug log)"_qs, r.err);
        QVERIFY2(r.secretInCmdline.isEmpty(), qPrintable(r.secretInCmdline.join(u'\n')));
    }
    const CliResult smoke = runCli(QStringList{u"smoke"_qs, hostOf(u"HV02"_qs)} + common, env,
                                   120000, m_password.toUtf8());
    QVERIFY2(smoke.finished && smoke.exitCode == 0, qPrintable(smoke.text()));
    expectClean(u"smoke output"_qs, smoke.out + smoke.err);
    // The password file is still private and unchanged.
    QVERIFY(!(QFile::permissions(m_dir.filePath(u"password"_qs))
              & QFileDevice::Permissions::fromInt(0x0077)));
}

QStringList tst_Secrets::widgetTexts(QWidget *root) const
{
    QStringList texts;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : widgets) {
        texts << w->windowTitle() << w->toolTip() << w->statusTip() << w->whatsThis()
              << w->accessibleName() << w->accessibleDescription();
        if (auto *l = qobject_cast<QLabel *>(w))
            texts << l->text();
        if (auto *e = qobject_cast<QLineEdit *>(w))
            texts << e->text();
        if (auto *b = qobject_cast<QAbstractButton *>(w))
            texts << b->text();
        if (auto *t = qobject_cast<QPlainTextEdit *>(w))
            texts << t->toPlainText();
        if (auto *t = qobject_cast<QTextEdit *>(w))
            texts << t->toPlainText();
        if (auto *c = qobject_cast<QComboBox *>(w)) {
            for (int i = 0; i < c->count(); ++i)
                texts << c->itemText(i);
        }
        for (QAction *a : w->actions())
            texts << a->text() << a->toolTip() << a->statusTip();
        if (auto *v = qobject_cast<QAbstractItemView *>(w); v && v->model()) {
            const QAbstractItemModel *m = v->model();
            for (int r = 0; r < m->rowCount(); ++r) {
                for (int c = 0; c < m->columnCount(); ++c) {
                    const QModelIndex i = m->index(r, c);
                    texts << i.data(Qt::DisplayRole).toString()
                          << i.data(Qt::ToolTipRole).toString();
                }
            }
            for (int c = 0; c < m->columnCount(); ++c)
                texts << m->headerData(c, Qt::Horizontal).toString();
        }
    }
    return texts;
}

void tst_Secrets::consoleRolloutLeaksNothing()
{
    const QString ini = m_dir.filePath(u"console/aetherv.conf"_qs);
    appcommon::SettingsStore settings(ini);
    console::SettingsProfileStore profiles(settings);
    config::Profile profile
        = testProfile(u"Secrets console"_qs, {}, buildDir() + u"/agent-bundle"_qs);
    for (const QString &h : {u"HV03"_qs, u"HV04"_qs})
        profile.hosts << *config::HostEntry::parse(hostOf(h));
    profile.winrm.userName = u"LAB\\operator"_qs;
    profile.winrm.auth = config::WinRmAuth::Negotiate;
    profile.ingressGate.timeoutSeconds = 30;
    QVERIFY(profiles.saveProfiles({profile}));
    profiles.setCurrentProfileId(profile.id);
    MemorySecretStore secrets; // the keychain seam: the console's only place for the password
    secrets.secrets.insert(profile.id + u"|LAB\\operator"_qs, m_password);
    ui::ConsoleContext ctx;
    ctx.profiles = &profiles;
    ctx.secrets = &secrets;
    ctx.executorFactory
        = [](const config::Profile &p,
             const Credentials &c) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return deploy::makeWinRmExecutor(p, c);
    };

    QLoggingCategory::setFilterRules(u"aetherv.*.debug=true"_qs);
    g_log.clear();
    g_previous = qInstallMessageHandler(captureMessage);
    QStringList cmdlineLeaks;
    int sweeps = 0;
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] {
        ++sweeps;
        for (const ProcSample &s : sampleCommandLines()) {
            if (s.cmdline.contains(m_password.toUtf8()))
                cmdlineLeaks << s.pid + u": "_qs + QString::fromUtf8(s.cmdline);
        }
    });
    sampler.start(50);

    ui::MainWindow window(ctx);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadProfiles();
    QTRY_VERIFY_WITH_TIMEOUT(window.action(ui::MainWindow::Action::DeployOutdated)->isEnabled(),
                             30000);
    window.action(ui::MainWindow::Action::Check)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->service()->isRunning(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->service()->isRunning(), 120000);
    window.action(ui::MainWindow::Action::DeployOutdated)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->service()->isRunning(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->service()->isRunning(), 240000);
    sampler.stop();
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());

    const int row = window.hostModel()->rowOfHost(hostOf(u"HV04"_qs));
    QCOMPARE(window.hostModel()->statusAt(row).state, deploy::HostState::Current);
    QVERIFY(sweeps > 0);
    QVERIFY2(cmdlineLeaks.isEmpty(), qPrintable(cmdlineLeaks.join(u'\n')));
    QVERIFY2(g_log.contains("aetherv."), "the debug log stayed empty");
    expectClean(u"the console's log"_qs, g_log);
    const QStringList texts = widgetTexts(&window);
    QVERIFY(texts.join(u'\n').contains(hostOf(u"HV04"_qs))); // the walk sees the host table
    expectClean(u"the console's widgets"_qs, texts.join(u'\n').toUtf8());
    expectClean(u"the host log book"_qs, window.logBook()->text(hostOf(u"HV04"_qs)).toUtf8());
    // What a screenshot would show: the window renders (no OCR here; the texts above are what it
    // draws).
    QVERIFY(!window.grab().isNull());

    QVERIFY(settings.sync());
    const QByteArray iniText = readFile(ini);
    QVERIFY2(iniText.contains("Secrets console")
                 && iniText.contains(QByteArray::number(m_sim.host(u"HV04"_qs).url.port())),
             iniText.constData());
    expectClean(u"the console's settings file"_qs, iniText);
    qInfo("console: %d /proc sweeps, %lld bytes of debug log, %lld widget texts", sweeps,
          qint64(g_log.size()), qint64(texts.size()));
}

QTEST_MAIN(tst_Secrets)
#include "tst_secrets.moc"
