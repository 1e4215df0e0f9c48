#include "core/artifacts/agentbundle.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace aetherv;
using namespace aetherv::artifacts;

class tst_AgentBundle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumeratesAtRunTime();
    void versionErrors_data();
    void versionErrors();
    void missingFolder();
    void caseCollision();
    void cacheAvoidsRehash();
    void asyncRunsOffTheCallingThread();
};

static void write(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

static QByteArray sha(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

void tst_AgentBundle::enumeratesAtRunTime()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("version")), "\xEF\xBB\xBF"
                                                   "1.4.0\r\n");
    write(dir.filePath(QStringLiteral("Inventory.Collect.ps1")), "Write-Output 1\n");
    write(dir.filePath(QStringLiteral("LinuxProvisioning.iso")), QByteArray(4096, 'L'));
    write(dir.filePath(QStringLiteral("README.txt")), "not in the bundle");
    write(dir.filePath(QStringLiteral("notes.ps1.bak")), "not in the bundle");
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub.iso")));

    auto snap = AgentBundle::scan(dir.path());
    QVERIFY2(snap, qPrintable(snap ? QString() : snap.error().toString()));
    QCOMPARE(snap->version, QStringLiteral("1.4.0"));
    QStringList names;
    for (const BundleFile &f : snap->files)
        names << f.name;
    QCOMPARE(names,
             (QStringList{QStringLiteral("Inventory.Collect.ps1"),
                          QStringLiteral("LinuxProvisioning.iso"), QStringLiteral("version")}));
    const BundleFile *iso = snap->find(u"LinuxProvisioning.iso");
    QVERIFY(iso);
    QCOMPARE(iso->size, 4096);
    QCOMPARE(iso->sha256, sha(QByteArray(4096, 'L')));
    QCOMPARE(snap->manifest.files().size(), 3);
    QCOMPARE(snap->manifest.version(), QStringLiteral("1.4.0"));

    // A new script takes part with no code change; the digest moves with it.
    write(dir.filePath(QStringLiteral("New.Helper.ps1")), "Write-Output 2\n");
    auto again = AgentBundle::scan(dir.path());
    QVERIFY(again);
    QCOMPARE(again->files.size(), 4);
    QVERIFY(again->find(u"New.Helper.ps1"));
    QVERIFY(again->manifest.digest() != snap->manifest.digest());
}

void tst_AgentBundle::versionErrors_data()
{
    QTest::addColumn<QByteArray>("content"); // null: no file at all
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("needle");
    QTest::newRow("missing") << QByteArray() << int(ErrorCode::NotFound) << "no version file";
    QTest::newRow("empty") << QByteArray("") << int(ErrorCode::InvalidInput) << "is empty";
    QTest::newRow("blank") << QByteArray(" \r\n\0\0", 5) << int(ErrorCode::InvalidInput)
                           << "is empty";
    QTest::newRow("garbage") << QByteArray("latest\n") << int(ErrorCode::InvalidInput)
                             << "not a version";
    QTest::newRow("huge") << QByteArray(10 * 1024 * 1024, '1') << int(ErrorCode::InvalidInput)
                          << "bytes";
}

void tst_AgentBundle::versionErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(int, code);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("a.ps1")), "x");
    if (!content.isNull())
        write(dir.filePath(QStringLiteral("version")), content);
    const auto snap = AgentBundle::scan(dir.path());
    QVERIFY(!snap);
    QCOMPARE(int(snap.error().code), code);
    QVERIFY2(snap.error().message.contains(needle), qPrintable(snap.error().message));
    // The error names the file so the operator knows where to look; never a made-up 0.0.0.
    QVERIFY2(snap.error().message.contains(dir.filePath(QStringLiteral("version"))),
             qPrintable(snap.error().message));
}

void tst_AgentBundle::missingFolder()
{
    const auto snap = AgentBundle::scan(QStringLiteral("/nonexistent/aetherv-bundle"));
    QVERIFY(!snap);
    QCOMPARE(snap.error().code, ErrorCode::NotFound);
    QVERIFY(snap.error().message.contains(QStringLiteral("/nonexistent/aetherv-bundle")));
}

void tst_AgentBundle::caseCollision()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("version")), "1.0.0");
    write(dir.filePath(QStringLiteral("Setup.ps1")), "a");
    write(dir.filePath(QStringLiteral("setup.PS1")), "b");
    const auto snap = AgentBundle::scan(dir.path());
    QVERIFY(!snap);
    QVERIFY2(snap.error().message.contains(QStringLiteral("differ only in case")),
             qPrintable(snap.error().message));
}

void tst_AgentBundle::cacheAvoidsRehash()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("version")), "1.0.0");
    write(dir.filePath(QStringLiteral("a.iso")), QByteArray(1 << 20, 'a'));
    HashCache cache;
    QVERIFY(AgentBundle::scan(dir.path(), &cache));
    QCOMPARE(cache.hits(), 0);
    QCOMPARE(cache.misses(), 2);
    QVERIFY(AgentBundle::scan(dir.path(), &cache));
    QCOMPARE(cache.hits(), 2);

    // A changed file (size or mtime) is hashed again and the new digest is used.
    write(dir.filePath(QStringLiteral("a.iso")), QByteArray((1 << 20) + 1, 'b'));
    const auto snap = AgentBundle::scan(dir.path(), &cache);
    QVERIFY(snap);
    QCOMPARE(cache.misses(), 3);
    QCOMPARE(snap->find(u"a.iso")->sha256, sha(QByteArray((1 << 20) + 1, 'b')));
}

void tst_AgentBundle::asyncRunsOffTheCallingThread()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("version")), "2.0.0");
    write(dir.filePath(QStringLiteral("big.iso")), QByteArray(8 << 20, 'z'));
    QFutureWatcher<Result<BundleSnapshot>> watcher;
    QSignalSpy done(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(AgentBundle::scanAsync(dir.path(), std::make_shared<HashCache>()));
    QVERIFY(done.wait(30000));
    const auto snap = watcher.result();
    QVERIFY(snap);
    QCOMPARE(snap->version, QStringLiteral("2.0.0"));
    QCOMPARE(snap->find(u"big.iso")->sha256, sha(QByteArray(8 << 20, 'z')));
}

QTEST_GUILESS_MAIN(tst_AgentBundle)
#include "tst_agentbundle.moc"
