#include "app/common/settingsstore.h"
#include "app/console/executorfactory.h"
#include "app/console/keychainsecretstore.h"
#include "app/console/settingsprofilestore.h"
#include "ui/common/stateicons.h"
#include "ui/main/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QHeaderView>
#include <QLibraryInfo>
#include <QTableView>
#include <QTimer>
#include <QTranslator>

#include <memory>

using namespace aetherv;

// Installs the console's own translation (embedded, :/i18n/aetherv_<lang>.qm) and Qt's for the
// standard dialogs when the system has them. English needs no file.
static void installTranslations(QApplication &app, const QLocale &locale)
{
    auto *own = new QTranslator(&app);
    if (own->load(locale, QStringLiteral("aetherv"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Aether-V"));
    QCoreApplication::setApplicationName(QStringLiteral("aetherv"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AETHERV_VERSION_STRING));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Aether-V"));
    QGuiApplication::setDesktopFileName(QStringLiteral("aetherv-console"));
    QApplication::setWindowIcon(ui::applicationIcon());

    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral(
        "Aether-V Agent Console: keeps Hyper-V hosts in sync with the agent bundle"));
    args.addHelpOption();
    args.addVersionOption();
    const QCommandLineOption settingsOption(QStringLiteral("settings"),
                                            QStringLiteral("Use this INI file for settings."),
                                            QStringLiteral("file"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QStringLiteral("Language for this run (e.g. de, en), overriding the saved choice."),
        QStringLiteral("locale"));
    const QCommandLineOption bundleOption(
        QStringLiteral("bundle"),
        QStringLiteral("Agent bundle folder for profiles that name none."), QStringLiteral("dir"));
    args.addOptions({settingsOption, langOption, bundleOption});
    args.process(app);

    const std::unique_ptr<appcommon::SettingsStore> store
        = args.isSet(settingsOption)
              ? std::make_unique<appcommon::SettingsStore>(args.value(settingsOption))
              : std::make_unique<appcommon::SettingsStore>();
    appcommon::SettingsStore &settings = *store;
    const QString language
        = args.isSet(langOption) ? args.value(langOption) : settings.languageOverride();
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    installTranslations(app, locale);

    console::SettingsProfileStore profiles(settings);
    console::KeychainSecretStore secrets;
    ui::ConsoleContext context;
    context.profiles = &profiles;
    context.secrets = &secrets;
    context.executorFactory = console::winRmExecutorFactory();
    context.defaultBundleDirectory = args.value(bundleOption);

    ui::MainWindow window(context);
    window.setLanguageOverride(settings.languageOverride());
    QObject::connect(&window, &ui::MainWindow::languageOverrideRequested, &window,
                     [&settings](const QString &name) {
                         if (settings.setLanguageOverride(name))
                             settings.sync();
                     });
    if (const QByteArray g = settings.windowGeometry(); !g.isEmpty())
        window.restoreGeometry(g);
    if (const QByteArray s = settings.windowState(); !s.isEmpty())
        window.restoreState(s);
    if (const QByteArray h = settings.hostTableHeaderState(); !h.isEmpty())
        window.hostTable()->horizontalHeader()->restoreState(h);
    window.show();
    // Profiles load (and the startup deployment begins) once the window is on screen.
    QTimer::singleShot(0, &window, &ui::MainWindow::loadProfiles);

    const int code = QApplication::exec();
    settings.setWindowGeometry(window.saveGeometry());
    settings.setWindowState(window.saveState());
    settings.setHostTableHeaderState(window.hostTable()->horizontalHeader()->saveState());
    settings.sync();
    return code;
}
