#include "app/common/settingsstore.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace aetherv;
using namespace aetherv::appcommon;
using aetherv::config::Profile;

class tst_SettingsStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void newFileGetsTheCurrentSchema();
    void profilesRoundTripUnderTheirIds();
    void replaceProfilesRemovesTheOthers();
    void replaceProfilesRefusesDuplicateIds();
    void invalidIdsAreRefused_data();
    void invalidIdsAreRefused();
    void damagedProfileIsReportedNotDropped();
    void migratesSchema1();
    void newerSchemaIsReadOnly();
    void uiStateRoundTrips();
    void neverStoresAPassword();

private:
    QString iniPath() const { return m_dir.filePath(QStringLiteral("aetherv.ini")); }
    QTemporaryDir m_dir;
};

void tst_SettingsStore::init()
{
    QFile::remove(iniPath());
}

void tst_SettingsStore::newFileGetsTheCurrentSchema()
{
    {
        SettingsStore store(iniPath());
        QCOMPARE(store.storedSchemaVersion(), 0);
        QVERIFY(!store.openError());
        QVERIFY(store.sync());
    }
    QSettings raw(iniPath(), QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("schemaVersion")).toInt(), SettingsStore::kSchemaVersion);
}

void tst_SettingsStore::profilesRoundTripUnderTheirIds()
{
    Profile prod
        = Profile::create(QStringLiteral("Production"), config::EnvironmentTag::Production);
    prod.hosts = {{QStringLiteral("hv01.corp.example"), 0}, {QStringLiteral("hv02"), 5986}};
    prod.installDirectory = QStringLiteral("D:\\Aether-V");
    prod.winrm.userName = QStringLiteral("CORP\\svc-aetherv");
    Profile dev = Profile::create(QStringLiteral("dev"), config::EnvironmentTag::Development);
    {
        SettingsStore store(iniPath());
        QVERIFY(store.saveProfile(prod));
        QVERIFY(store.saveProfile(dev));
        QVERIFY(store.setCurrentProfileId(prod.id));
        QVERIFY(store.sync());
    }
    SettingsStore store(iniPath());
    QCOMPARE(store.storedSchemaVersion(), SettingsStore::kSchemaVersion);
    const LoadedProfiles loaded = store.loadProfiles();
    QVERIFY(loaded.problems.isEmpty());
    QCOMPARE(loaded.profiles.size(), 2);
    QCOMPARE(loaded.profiles.at(0), dev); // sorted by name, case-insensitive
    QCOMPARE(loaded.profiles.at(1), prod);
    QCOMPARE(store.currentProfileId(), prod.id);
    QCOMPARE(*store.profile(prod.id), prod);
    QSettings raw(iniPath(), QSettings::IniFormat);
    QVERIFY(raw.contains(u"profiles/" + prod.id));
}

void tst_SettingsStore::replaceProfilesRemovesTheOthers()
{
    SettingsStore store(iniPath());
    const Profile a = Profile::create(QStringLiteral("a"));
    const Profile b = Profile::create(QStringLiteral("b"));
    Profile c = Profile::create(QStringLiteral("c"));
    QVERIFY(store.saveProfile(a));
    QVERIFY(store.saveProfile(b));
    QVERIFY(store.setCurrentProfileId(b.id));
    c.installDirectory = QStringLiteral("C:\\Aether-V (Test)");
    QVERIFY(store.replaceProfiles({a, c}));
    QStringList ids = store.profileIds();
    ids.sort();
    QStringList expected{a.id, c.id};
    expected.sort();
    QCOMPARE(ids, expected);
    QVERIFY(store.currentProfileId().isEmpty());
    QCOMPARE(store.profile(c.id)->installDirectory, c.installDirectory);
    QCOMPARE(store.profile(b.id).error().code, ErrorCode::NotFound);
}

void tst_SettingsStore::replaceProfilesRefusesDuplicateIds()
{
    SettingsStore store(iniPath());
    const Profile a = Profile::create(QStringLiteral("a"));
    QVERIFY(store.saveProfile(a));
    Profile twin = Profile::create(QStringLiteral("twin"));
    twin.id = a.id;
    const Result<void> r = store.replaceProfiles({a, twin});
    QVERIFY(!r);
    QVERIFY(r.error().message.contains(a.id));
    QCOMPARE(store.profile(a.id)->name, QStringLiteral("a"));
}

void tst_SettingsStore::invalidIdsAreRefused_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("slash makes a group") << QStringLiteral("prod/eu");
    QTest::newRow("backslash") << QStringLiteral("prod\\eu");
    QTest::newRow("space") << QStringLiteral("prod eu");
    QTest::newRow("leading dot") << QStringLiteral(".hidden");
    QTest::newRow("non-ascii") << QStringLiteral("pröd");
}

void tst_SettingsStore::invalidIdsAreRefused()
{
    QFETCH(QString, id);
    SettingsStore store(iniPath());
    Profile p = Profile::create(QStringLiteral("x"));
    p.id = id;
    const Result<void> r = store.saveProfile(p);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::InvalidInput);
    QVERIFY(store.profileIds().isEmpty());
}

void tst_SettingsStore::damagedProfileIsReportedNotDropped()
{
    {
        QSettings raw(iniPath(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("schemaVersion"), 2);
        raw.setValue(QStringLiteral("profiles/good"),
                     QString::fromUtf8(Profile::create(QStringLiteral("good")).toJson()));
        raw.setValue(QStringLiteral("profiles/bad"), QStringLiteral("{\"hosts\": 7"));
    }
    SettingsStore store(iniPath());
    const LoadedProfiles loaded = store.loadProfiles();
    QCOMPARE(loaded.profiles.size(), 1);
    QCOMPARE(loaded.profiles.first().id, QStringLiteral("good")); // the key is the identity
    QCOMPARE(loaded.problems.size(), 1);
    QCOMPARE(loaded.problems.first().id, QStringLiteral("bad"));
    QCOMPARE(loaded.problems.first().error.code, ErrorCode::Configuration);
}

void tst_SettingsStore::migratesSchema1()
{
    // Schema 1: no schemaVersion, old key names, profile JSON of profile schema 1.
    const char *v1Profile = "{\"name\": \"Production\", \"environment\": \"prod\", "
                            "\"hostInstallDirectory\": \"C:\\\\Program Files\\\\Aether-V (Prod)\", "
                            "\"hosts\": [\"hv01\", \"hv02:5986\"], "
                            "\"winrm\": {\"useHttps\": true, \"authMethod\": \"kerberos\"}}";
    {
        QSettings raw(iniPath(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("currentProfile"), QStringLiteral("prod"));
        raw.setValue(QStringLiteral("language"), QStringLiteral("de"));
        raw.setValue(QStringLiteral("profiles/prod"), QString::fromUtf8(v1Profile));
    }
    {
        SettingsStore store(iniPath());
        QVERIFY(!store.openError());
        QCOMPARE(store.storedSchemaVersion(), 1);
        QVERIFY(!store.migrationLog().isEmpty());
        QCOMPARE(store.currentProfileId(), QStringLiteral("prod"));
        QCOMPARE(store.languageOverride(), QStringLiteral("de"));
        const Result<Profile> p = store.profile(QStringLiteral("prod"));
        QVERIFY(p);
        QCOMPARE(p->installDirectory, QStringLiteral("C:\\Program Files\\Aether-V (Prod)"));
        QCOMPARE(p->hosts.size(), 2);
        QCOMPARE(p->hosts.at(1).port, 5986);
        QCOMPARE(p->winrm.transport, config::WinRmTransport::Https);
        QCOMPARE(p->winrm.auth, config::WinRmAuth::Kerberos);
        QVERIFY(store.sync());
    }
    QSettings raw(iniPath(), QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("schemaVersion")).toInt(), 2);
    QVERIFY(!raw.contains(QStringLiteral("currentProfile")));
    QVERIFY(!raw.contains(QStringLiteral("language")));
    QVERIFY(raw.value(QStringLiteral("profiles/prod")).toString().contains(u"\"schemaVersion\""));
    // Opening again migrates nothing.
    SettingsStore again(iniPath());
    QCOMPARE(again.storedSchemaVersion(), 2);
    QVERIFY(again.migrationLog().isEmpty());
}

void tst_SettingsStore::newerSchemaIsReadOnly()
{
    {
        QSettings raw(iniPath(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("schemaVersion"), 99);
        raw.setValue(QStringLiteral("currentProfileId"), QStringLiteral("future"));
    }
    {
        SettingsStore store(iniPath());
        QVERIFY(store.openError());
        QCOMPARE(store.currentProfileId(), QStringLiteral("future"));
        const Result<void> r = store.setCurrentProfileId(QStringLiteral("other"));
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(u"99"));
        QVERIFY(!store.saveProfile(Profile::create(QStringLiteral("x"))));
    }
    QSettings raw(iniPath(), QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("schemaVersion")).toInt(), 99);
    QCOMPARE(raw.value(QStringLiteral("currentProfileId")).toString(), QStringLiteral("future"));
}

void tst_SettingsStore::uiStateRoundTrips()
{
    const QByteArray geometry("\x01\xd9\xd0\xcb\x00\x03", 6);
    {
        SettingsStore store(iniPath());
        QVERIFY(store.setWindowGeometry(geometry));
        QVERIFY(store.setWindowState(QByteArray(40, '\x7f')));
        QVERIFY(store.setHostTableHeaderState(QByteArray("hdr")));
        QVERIFY(store.setLanguageOverride(QStringLiteral("de")));
    }
    SettingsStore store(iniPath());
    QCOMPARE(store.windowGeometry(), geometry);
    QCOMPARE(store.windowState(), QByteArray(40, '\x7f'));
    QCOMPARE(store.hostTableHeaderState(), QByteArray("hdr"));
    QCOMPARE(store.languageOverride(), QStringLiteral("de"));
}

void tst_SettingsStore::neverStoresAPassword()
{
    // A profile carries no password field; even a JSON with one must not survive a save.
    const QByteArray json = "{\"schemaVersion\": 2, \"id\": \"p1\", \"name\": \"p\", "
                            "\"winrm\": {\"userName\": \"CORP\\\\alice\", "
                            "\"password\": \"Sup3rSecret!\"}}";
    const Result<Profile> p = Profile::fromJson(json);
    QVERIFY(p);
    {
        SettingsStore store(iniPath());
        QVERIFY(store.saveProfile(*p));
        QVERIFY(store.sync());
    }
    QFile f(iniPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("alice"));
    QVERIFY(!text.contains("Sup3rSecret"));
    QVERIFY(!text.contains("password"));
}

QTEST_GUILESS_MAIN(tst_SettingsStore)
#include "tst_settingsstore.moc"
