#include "core/artifacts/manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace aetherv;
using namespace aetherv::artifacts;

class tst_Manifest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void digestIsOrderIndependentAndContentSensitive();
    void digestKnownValue();
    void rejects_data();
    void rejects();
    void fileNames_data();
    void fileNames();
};

static const QByteArray kShaA(64, 'a');
static const QByteArray kShaB(64, 'b');

static Manifest sample()
{
    return Manifest(QStringLiteral("1.2.3"), {{QStringLiteral("b.ps1"), 10, kShaB},
                                              {QStringLiteral("A.iso"), 1LL << 40, kShaA},
                                              {QStringLiteral("version"), 6, kShaA}});
}

void tst_Manifest::roundTrip()
{
    const Manifest m = sample();
    QCOMPARE(m.files().first().name, QStringLiteral("A.iso")); // sorted by UTF-8 bytes
    QCOMPARE(m.totalSize(), (1LL << 40) + 16);
    const auto parsed = Manifest::fromJson(m.toJson());
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
    QCOMPARE(parsed->version(), m.version());
    QCOMPARE(parsed->files(), m.files());
    QCOMPARE(parsed->digest(), m.digest());
    QVERIFY(parsed->find(u"b.ps1"));
    QVERIFY(!parsed->find(u"B.ps1"));
}

void tst_Manifest::digestIsOrderIndependentAndContentSensitive()
{
    const Manifest a(QStringLiteral("1"),
                     {{QStringLiteral("x"), 1, kShaA}, {QStringLiteral("y"), 2, kShaB}});
    const Manifest b(QStringLiteral("1"),
                     {{QStringLiteral("y"), 2, kShaB}, {QStringLiteral("x"), 1, kShaA}});
    QCOMPARE(a.digest(), b.digest());
    const Manifest c(QStringLiteral("1"),
                     {{QStringLiteral("x"), 1, kShaA}, {QStringLiteral("y"), 3, kShaB}});
    QVERIFY(a.digest() != c.digest());
    const Manifest d(QStringLiteral("1"),
                     {{QStringLiteral("x"), 1, kShaB}, {QStringLiteral("y"), 2, kShaB}});
    QVERIFY(a.digest() != d.digest());
}

void tst_Manifest::digestKnownValue()
{
    // The digest is sha256 over "name\tsize\tsha256\n" lines: recompute it with coreutils.
    const Manifest m(QStringLiteral("1"), {{QStringLiteral("x"), 1, kShaA}});
    QProcess sh;
    sh.start(QStringLiteral("sh"),
             {QStringLiteral("-c"),
              QStringLiteral("printf 'x\\t1\\t%s\\n' $(printf 'a%.0s' $(seq 64)) | sha256sum")});
    QVERIFY(sh.waitForFinished());
    QCOMPARE(m.digest(), sh.readAllStandardOutput().left(64));
}

void tst_Manifest::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("needle");
    const QJsonObject good = QJsonDocument::fromJson(sample().toJson()).object();
    auto mutate = [&](auto f) {
        QJsonObject o = good;
        f(o);
        return QJsonDocument(o).toJson();
    };
    auto mutateFile = [&](int i, const QString &key, const QJsonValue &v) {
        return mutate([&](QJsonObject &o) {
            QJsonArray files = o.value(QStringLiteral("files")).toArray();
            QJsonObject f = files[i].toObject();
            f[key] = v;
            files[i] = f;
            o[QStringLiteral("files")] = files;
        });
    };
    QTest::newRow("not json") << QByteArray("{nope") << "not a JSON object";
    QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
    QTest::newRow("schema") << mutate([](QJsonObject &o) { o[QStringLiteral("schema")] = 7; })
                            << "unknown schema";
    QTest::newRow("no version") << mutate([](QJsonObject &o) {
        o.remove(QStringLiteral("version"));
    }) << "no version";
    QTest::newRow("no files") << mutate([](QJsonObject &o) { o.remove(QStringLiteral("files")); })
                              << "no files";
    QTest::newRow("digest lies") << mutate([](QJsonObject &o) {
        o[QStringLiteral("digest")] = QString(64, u'0');
    }) << "digest does not match";
    QTest::newRow("size lies") << mutateFile(1, QStringLiteral("size"), 11)
                               << "digest does not match";
    QTest::newRow("negative size") << mutateFile(1, QStringLiteral("size"), -1) << "invalid size";
    QTest::newRow("fractional size")
        << mutateFile(1, QStringLiteral("size"), 1.5) << "invalid size";
    QTest::newRow("string size") << mutateFile(1, QStringLiteral("size"), QStringLiteral("10"))
                                 << "invalid size";
    QTest::newRow("sizes overflow the total") << mutate([](QJsonObject &o) {
        QJsonArray files = o.value(QStringLiteral("files")).toArray();
        for (int i : {0, 1}) {
            QJsonObject f = files[i].toObject();
            f[QStringLiteral("size")] = qint64(1) << 62;
            files[i] = f;
        }
        o[QStringLiteral("files")] = files;
    }) << "more bytes in total";
    QTest::newRow("short sha") << mutateFile(1, QStringLiteral("sha256"), QStringLiteral("abc"))
                               << "invalid sha256";
    QTest::newRow("upper sha") << mutateFile(1, QStringLiteral("sha256"), QString(64, u'A'))
                               << "invalid sha256";
    QTest::newRow("traversal") << mutateFile(1, QStringLiteral("name"), QStringLiteral("../x.ps1"))
                               << "invalid file";
    QTest::newRow("backslash") << mutateFile(1, QStringLiteral("name"), QStringLiteral("a\\b.ps1"))
                               << "invalid file";
    QTest::newRow("case duplicate")
        << mutateFile(1, QStringLiteral("name"), QStringLiteral("a.iso")) << "twice";
}

void tst_Manifest::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, needle);
    const auto parsed = Manifest::fromJson(json);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::Integrity);
    QVERIFY2(parsed.error().message.contains(needle), qPrintable(parsed.error().message));
}

void tst_Manifest::fileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("script") << "Inventory.Collect.ps1" << true;
    QTest::newRow("spaces") << "My Script.ps1" << true;
    QTest::newRow("unicode") << QStringLiteral("Überprüfung-測試.ps1") << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("dot") << "." << false;
    QTest::newRow("dotdot") << ".." << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("colon") << "C:x" << false;
    QTest::newRow("star") << "a*.ps1" << false;
    QTest::newRow("trailing dot") << "a." << false;
    QTest::newRow("trailing space") << "a " << false;
    QTest::newRow("control") << QStringLiteral("a\u0001") << false;
    QTest::newRow("256 chars") << QString(256, u'a') << false;
    QTest::newRow("255 chars") << QString(255, u'a') << true;
}

void tst_Manifest::fileNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Manifest::isValidFileName(name), valid);
}

QTEST_GUILESS_MAIN(tst_Manifest)
#include "tst_manifest.moc"
