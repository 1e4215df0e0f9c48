#include "app/common/credentialstore.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUuid>

using namespace aetherv::appcommon;
using Status = SecretResult::Status;

// A real QtKeychain round trip against the Secret Service of the session (see with_keyring.sh).
class tst_CredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keysNormaliseUserAndRealm_data();
    void keysNormaliseUserAndRealm();
    void roundTrip();
    void missingEntryAsksTheOperator();
    void profilesDoNotShareSecrets();
    void noSessionBusFailsWithTheKeychainsText();

private:
    SecretResult waitFor(CredentialStore &store, quint64 request);
    QString m_profile;
};

void tst_CredentialStore::initTestCase()
{
    const QByteArray home = qgetenv("AETHERV_KEYRING_HOME");
    QVERIFY2(!home.isEmpty() && !qgetenv("DBUS_SESSION_BUS_ADDRESS").isEmpty(),
             "run through with_keyring.sh or scripts/test.sh");
    // Like the keyring daemon that scripts/test.sh started.
    qputenv("HOME", home);
    qputenv("XDG_DATA_HOME", home + "/.local/share");
    m_profile = u"test-"_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

SecretResult tst_CredentialStore::waitFor(CredentialStore &store, quint64 request)
{
    QSignalSpy spy(&store, &CredentialStore::finished);
    for (int round = 0; round < 50; ++round) {
        for (const QList<QVariant> &args : std::as_const(spy)) {
            const auto r = args.first().value<SecretResult>();
            if (r.request == request)
                return r;
        }
        spy.clear();
        if (!spy.wait(200) && store.pendingCount() == 0)
            break;
    }
    for (const QList<QVariant> &args : std::as_const(spy)) {
        const auto r = args.first().value<SecretResult>();
        if (r.request == request)
            return r;
    }
    SecretResult none;
    none.error = u"no finished() signal for the request"_qs;
    return none;
}

void tst_CredentialStore::keysNormaliseUserAndRealm_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("key");
    QTest::newRow("down-level") << u"CORP\\Alice"_qs << u"aetherv/prod/alice@CORP"_qs;
    QTest::newRow("upn") << u"alice@corp.example"_qs << u"aetherv/prod/alice@CORP.EXAMPLE"_qs;
    QTest::newRow("local account") << u"Administrator"_qs << u"aetherv/prod/administrator@."_qs;
    QTest::newRow("whitespace") << u"  CORP\\alice "_qs << u"aetherv/prod/alice@CORP"_qs;
}

void tst_CredentialStore::keysNormaliseUserAndRealm()
{
    QFETCH(QString, user);
    QFETCH(QString, key);
    QCOMPARE(CredentialStore::keyFor(u"prod"_qs, user), key);
}

void tst_CredentialStore::roundTrip()
{
    CredentialStore store;
    const QString user = u"CORP\\svc-aetherv"_qs;
    const QString password = u"Wint3r-ß-\"quoted\"-🔑"_qs;
    SecretResult w = waitFor(store, store.write(m_profile, user, password));
    QVERIFY2(w.status == Status::Ok, qPrintable(w.error));
    QCOMPARE(w.operation, SecretResult::Operation::Write);
    QCOMPARE(w.key, CredentialStore::keyFor(m_profile, user));
    QVERIFY(w.password.isEmpty());

    // The same account in UPN spelling finds the same entry.
    SecretResult r = waitFor(store, store.read(m_profile, u"svc-aetherv@corp"_qs));
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    QCOMPARE(r.password, password);

    SecretResult d = waitFor(store, store.remove(m_profile, user));
    QVERIFY2(d.status == Status::Ok, qPrintable(d.error));
    r = waitFor(store, store.read(m_profile, user));
    QCOMPARE(r.status, Status::NotFound);
    QVERIFY(r.password.isEmpty());
    QCOMPARE(store.pendingCount(), 0);
}

void tst_CredentialStore::missingEntryAsksTheOperator()
{
    CredentialStore store;
    const SecretResult r = waitFor(store, store.read(m_profile, u"nobody@nowhere"_qs));
    QCOMPARE(r.status, Status::NotFound);
    QVERIFY(r.error.isEmpty());
}

void tst_CredentialStore::profilesDoNotShareSecrets()
{
    CredentialStore store;
    const QString other = m_profile + u"-other"_qs;
    QCOMPARE(waitFor(store, store.write(m_profile, u"alice"_qs, u"one"_qs)).status, Status::Ok);
    QCOMPARE(waitFor(store, store.write(other, u"alice"_qs, u"two"_qs)).status, Status::Ok);
    QCOMPARE(waitFor(store, store.read(m_profile, u"alice"_qs)).password, u"one"_qs);
    QCOMPARE(waitFor(store, store.read(other, u"alice"_qs)).password, u"two"_qs);
    QCOMPARE(waitFor(store, store.remove(m_profile, u"alice"_qs)).status, Status::Ok);
    QCOMPARE(waitFor(store, store.remove(other, u"alice"_qs)).status, Status::Ok);
}

void tst_CredentialStore::noSessionBusFailsWithTheKeychainsText()
{
    // A child process without a session bus has no keychain: the write fails with QtKeychain's
    // own text, and nothing is stored anywhere else (its HOME stays empty: no plaintext fallback).
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"AETHERV_KEYCHAIN_CHILD"_qs, m_profile);
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_qs, u"unix:path=/nonexistent/aetherv-test-bus"_qs);
    env.remove(u"DISPLAY"_qs);
    env.remove(u"WAYLAND_DISPLAY"_qs);
    env.insert(u"HOME"_qs, home.path());
    env.insert(u"XDG_DATA_HOME"_qs, home.filePath(u".local/share"_qs));
    env.insert(u"XDG_CONFIG_HOME"_qs, home.filePath(u".config"_qs));
    QProcess child;
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(60000));
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QVERIFY2(out.startsWith(u"failed: "_qs), qPrintable(out));
    QVERIFY(out.size() > 10);
    QVERIFY(!out.contains(u"child-secret"_qs));
    QVERIFY(QDir(home.path())
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty());
}

// The child half of noSessionBusFailsWithTheKeychainsText: one write, its outcome on stdout.
static int keychainChild(const QString &profile)
{
    CredentialStore store;
    int code = 2;
    QObject::connect(&store, &CredentialStore::finished, &store, [&](const SecretResult &r) {
        QTextStream out(stdout);
        if (r.status == Status::Failed)
            out << "failed: " << r.error << '\n';
        else
            out << (r.status == Status::Ok ? "stored\n" : "not found\n");
        code = r.status == Status::Failed ? 0 : 1;
        QCoreApplication::quit();
    });
    store.write(profile, u"bob"_qs, u"child-secret"_qs);
    QCoreApplication::exec();
    return code;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString child = qEnvironmentVariable("AETHERV_KEYCHAIN_CHILD");
    if (!child.isEmpty())
        return keychainChild(child);
    tst_CredentialStore t;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&t, argc, argv);
}

#include "tst_credentialstore.moc"
