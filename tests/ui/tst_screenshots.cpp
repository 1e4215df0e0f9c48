#include "core/deploy/hostdeploymentservice.h"
#include "ui/banner/rolloutbanner.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profileeditor.h"
#include "ui/profiles/profilesdialog.h"

#include "consolefixture.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QSet>
#include <QTableView>
#include <QTest>
#include <QTranslator>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::BannerLevel;
using deploy::HostState;
using Mode = FakeHostState::Mode;

// Writes PNG screenshots of the console into <build>/screenshots and checks that each is a real
// picture (size, many colours, not one flat colour): the main window mid-rollout with progress
// bars, the profiles dialog with an inline validation message, and the banner after a failure.
class tst_Screenshots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mainWindowMidRolloutThenFailedBanner();
    void profilesDialog();
    void mainWindowInGerman();

private:
    QString save(QWidget *w, const QString &name);
    static void checkNonTrivial(const QString &file, QSize minimum);

    QDir m_out;
    BundleFolder m_bundle;
};

void tst_Screenshots::initTestCase()
{
    const QString dir = qEnvironmentVariable("AETHERV_SCREENSHOT_DIR",
                                             QDir::current().filePath(u"screenshots"_qs));
    QVERIFY(QDir().mkpath(dir));
    m_out = QDir(dir);
    QVERIFY(m_bundle.create());
}

QString tst_Screenshots::save(QWidget *w, const QString &name)
{
    const QString file = m_out.filePath(name);
    const QImage img = w->grab().toImage();
    if (!img.save(file))
        return {};
    qInfo("wrote %s (%dx%d)", qPrintable(file), img.width(), img.height());
    return file;
}

void tst_Screenshots::checkNonTrivial(const QString &file, QSize minimum)
{
    QVERIFY2(!file.isEmpty(), "screenshot not written");
    QVERIFY(QFileInfo(file).size() > 5000);
    QImage img(file);
    QVERIFY(!img.isNull());
    QVERIFY2(img.width() >= minimum.width() && img.height() >= minimum.height(),
             qPrintable(QStringLiteral("%1x%2").arg(img.width()).arg(img.height())));
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 3) {
        for (int x = 0; x < img.width(); x += 3)
            colours.insert(img.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 24, qPrintable(QString::number(colours.size())));
}

void tst_Screenshots::mainWindowMidRolloutThenFailedBanner()
{
    auto hosts = std::make_shared<FakeHosts>();
    hosts->bundleFiles = m_bundle.snapshot->manifest.files();
    QStringList names;
    const QByteArray digest = m_bundle.snapshot->manifest.digest();
    for (int i = 1; i <= 14; ++i) {
        const QString h = QStringLiteral("hv%1.prod.corp.example").arg(i, 2, 10, QLatin1Char('0'));
        names << h;
        FakeHostState s;
        if (i % 5 == 0) {
            s = {true, "2.0.0", digest, hosts->bundleFiles};
        } else {
            s.versionExists = i % 3 != 0;
            s.version = "1.9.2";
            s.deploy = Mode::Hold;
            s.holdPercent = 10 + (i * 37) % 90;
        }
        if (i == 7)
            s.deploy = Mode::Fail;
        if (i == 11)
            s.read = Mode::Unreachable;
        hosts->set(h, s);
    }
    MemoryProfileStore profiles;
    MemorySecretStore secrets;
    config::Profile prod = testProfile(u"Production"_qs, names, m_bundle.dir.path());
    prod.environment = config::EnvironmentTag::Production;
    prod.taskRunner.deploymentConcurrency = 16; // every held host deploys at once
    config::Profile dev = testProfile(u"Development"_qs, {u"hv-dev01"_qs}, m_bundle.dir.path());
    profiles.stored = {prod, dev};
    profiles.current = prod.id;
    secrets.secrets.insert(prod.id + u"|TESTDOM\\operator"_qs, u"pw"_qs);
    ConsoleContext ctx;
    ctx.profiles = &profiles;
    ctx.secrets = &secrets;
    ctx.executorFactory
        = [hosts](const config::Profile &,
                  const Credentials &) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return hosts;
    };
    MainWindow window(ctx);
    window.resize(1400, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadProfiles();
    QTRY_VERIFY(window.action(MainWindow::Action::DeployOutdated)->isEnabled());
    window.action(MainWindow::Action::DeployOutdated)->trigger();

    // Mid-rollout: the held hosts stand at their percentages.
    auto held = [&] {
        int n = 0;
        for (int r = 0; r < window.hostModel()->rowCount(); ++r) {
            const auto &s = window.hostModel()->statusAt(r);
            n += s.state == HostState::Deploying && s.bytesDone > 0 ? 1 : 0;
        }
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(held() >= 9, 20000);
    window.hostTable()->sortByColumn(HostTableModel::Host, Qt::AscendingOrder);
    window.selectHosts({names.at(6)});
    QTRY_COMPARE(window.banner()->level(), BannerLevel::Warning); // running with a failure
    const QString mid = save(&window, u"mainwindow-rollout.png"_qs);
    checkNonTrivial(mid, QSize(1000, 600));

    // Let the rollout end: one failure, one unreachable host → the banner's failed state.
    hosts->release();
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->service()->isRunning(), 20000);
    QTRY_COMPARE(window.banner()->level(), BannerLevel::Error);
    QVERIFY(window.banner()->text().contains(u"failed verification"_qs));
    const QString failed = save(&window, u"banner-failed.png"_qs);
    checkNonTrivial(failed, QSize(1000, 600));
    const QString bannerOnly = save(window.banner(), u"banner-failed-strip.png"_qs);
    QVERIFY(!bannerOnly.isEmpty());
    QImage strip(bannerOnly);
    // The banner is painted in its error colour.
    const QColor bg = strip.pixelColor(strip.width() - 4, strip.height() / 2);
    QVERIFY2(bg.red() > bg.green() && bg.red() > bg.blue(), qPrintable(bg.name()));
}

void tst_Screenshots::profilesDialog()
{
    config::Profile prod = testProfile(
        u"Production"_qs, {u"hv01.prod.corp.example"_qs, u"hv02.prod.corp.example"_qs}, QString());
    prod.environment = config::EnvironmentTag::Production;
    config::Profile test = testProfile(u"Test"_qs, {u"hv01.test.corp.example"_qs}, QString());
    ProfilesDialog dlg({prod, test}, prod.id);
    dlg.resize(1100, 720);
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    auto *install = qobject_cast<QLineEdit *>(dlg.editor()->fieldWidget(u"installDirectory"_qs));
    install->setText(u"Program Files\\Aether-V"_qs);
    Q_EMIT dlg.editor()->edited();
    QVERIFY(!dlg.editor()->issueText(u"installDirectory"_qs).isEmpty());
    const QString file = save(&dlg, u"profiles-dialog.png"_qs);
    checkNonTrivial(file, QSize(900, 600));
}

void tst_Screenshots::mainWindowInGerman()
{
    // The console's own .qm (built by qt_add_translations from translations/aetherv_de.ts).
    QTranslator de;
    QVERIFY(de.load(qEnvironmentVariable("AETHERV_BUILD_DIR") + u"/app/console/aetherv_de.qm"_qs));
    QVERIFY(QCoreApplication::installTranslator(&de));
    auto hosts = std::make_shared<FakeHosts>();
    hosts->bundleFiles = m_bundle.snapshot->manifest.files();
    MemoryProfileStore profiles;
    MemorySecretStore secrets;
    config::Profile prod
        = testProfile(u"Produktion"_qs, {u"hv01"_qs, u"hv02"_qs, u"hv03"_qs}, m_bundle.dir.path());
    profiles.stored = {prod};
    secrets.secrets.insert(prod.id + u"|TESTDOM\\operator"_qs, u"pw"_qs);
    ConsoleContext ctx;
    ctx.profiles = &profiles;
    ctx.secrets = &secrets;
    ctx.executorFactory
        = [hosts](const config::Profile &,
                  const Credentials &) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return hosts;
    };
    MainWindow window(ctx);
    window.resize(1200, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadProfiles();
    QTRY_VERIFY(window.action(MainWindow::Action::DeployOutdated)->isEnabled());
    window.action(MainWindow::Action::DeployOutdated)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->service()->isRunning(), 20000);
    QTRY_COMPARE(window.banner()->level(), BannerLevel::Success);
    QCOMPARE(window.action(MainWindow::Action::Check)->text(), u"Versionen &prüfen"_qs);
    QCOMPARE(window.hostModel()->headerData(HostTableModel::State, Qt::Horizontal).toString(),
             u"Zustand"_qs);
    QCOMPARE(window.hostModel()->index(0, HostTableModel::State).data().toString(), u"aktuell"_qs);
    const QString file = save(&window, u"mainwindow-de.png"_qs);
    checkNonTrivial(file, QSize(1000, 500));
    QCoreApplication::removeTranslator(&de);
}

QTEST_MAIN(tst_Screenshots)
#include "tst_screenshots.moc"
