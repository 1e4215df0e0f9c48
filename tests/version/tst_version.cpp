#include "core/version/version.h"
#include "core/version/versiontext.h"

#include <QStringEncoder>
#include <QTest>

using namespace aetherv::version;

class tst_Version : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void normalise_data();
    void normalise();
    void compare_data();
    void compare();
    void rejects_data();
    void rejects();
    void zero();
};

static QByteArray utf16(const QString &s, QStringConverter::Encoding enc, bool bom)
{
    QStringEncoder e(enc, bom ? QStringConverter::Flag::WriteBom : QStringConverter::Flag::Default);
    return e.encode(s);
}

void tst_Version::normalise_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QByteArray("1.2.3") << QStringLiteral("1.2.3");
    QTest::newRow("crlf") << QByteArray("1.2.3\r\n") << QStringLiteral("1.2.3");
    QTest::newRow("utf8 bom") << QByteArray("\xEF\xBB\xBF"
                                            "2.0.1\n")
                              << QStringLiteral("2.0.1");
    QTest::newRow("blank lines first")
        << QByteArray("\n \r\n\t\n  3.1.0  \nignored") << QStringLiteral("3.1.0");
    QTest::newRow("nul padding") << QByteArray("1.0.0\0\0\0", 8) << QStringLiteral("1.0.0");
    QTest::newRow("utf16le bom") << utf16(QStringLiteral("4.5.6\r\n"), QStringConverter::Utf16LE,
                                          true)
                                 << QStringLiteral("4.5.6");
    QTest::newRow("utf16be bom") << utf16(QStringLiteral("4.5.7\r\n"), QStringConverter::Utf16BE,
                                          true)
                                 << QStringLiteral("4.5.7");
    QTest::newRow("utf16le no bom")
        << utf16(QStringLiteral("10.0.1"), QStringConverter::Utf16LE, false)
        << QStringLiteral("10.0.1");
    QTest::newRow("utf16be no bom")
        << utf16(QStringLiteral("10.0.2\n"), QStringConverter::Utf16BE, false)
        << QStringLiteral("10.0.2");
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("only whitespace") << QByteArray(" \r\n\t\n") << QString();
    QTest::newRow("only nuls") << QByteArray(4, '\0') << QString();
    QTest::newRow("bom only") << QByteArray("\xEF\xBB\xBF") << QString();
    QTest::newRow("semver") << QByteArray("v1.2.3-rc.1+build.5\n")
                            << QStringLiteral("v1.2.3-rc.1+build.5");
}

void tst_Version::normalise()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);
    QCOMPARE(normaliseVersionText(raw), expected);
}

void tst_Version::compare_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("equal") << "1.2.3"
                           << "1.2.3" << 0;
    QTest::newRow("padded zeros") << "2.5.000"
                                  << "2.5.0" << 0;
    QTest::newRow("missing component") << "2.5"
                                       << "2.5.0" << 0;
    QTest::newRow("leading v") << "v2.5.0"
                               << "2.5.0" << 0;
    QTest::newRow("numeric not lexical") << "1.10.0"
                                         << "1.9.0" << 1;
    QTest::newRow("patch") << "1.2.3"
                           << "1.2.4" << -1;
    QTest::newRow("four parts") << "1.2.3.4"
                                << "1.2.3" << 1;
    QTest::newRow("prerelease below release") << "1.0.0-alpha"
                                              << "1.0.0" << -1;
    // SemVer 2.0 §11 example chain.
    QTest::newRow("alpha < alpha.1") << "1.0.0-alpha"
                                     << "1.0.0-alpha.1" << -1;
    QTest::newRow("alpha.1 < alpha.beta") << "1.0.0-alpha.1"
                                          << "1.0.0-alpha.beta" << -1;
    QTest::newRow("alpha.beta < beta") << "1.0.0-alpha.beta"
                                       << "1.0.0-beta" << -1;
    QTest::newRow("beta < beta.2") << "1.0.0-beta"
                                   << "1.0.0-beta.2" << -1;
    QTest::newRow("beta.2 < beta.11") << "1.0.0-beta.2"
                                      << "1.0.0-beta.11" << -1;
    QTest::newRow("beta.11 < rc.1") << "1.0.0-beta.11"
                                    << "1.0.0-rc.1" << -1;
    QTest::newRow("rc.1 < release") << "1.0.0-rc.1"
                                    << "1.0.0" << -1;
    QTest::newRow("build metadata ignored") << "1.0.0+a"
                                            << "1.0.0+b" << 0;
    QTest::newRow("huge numbers") << "1.18446744073709551615"
                                  << "1.18446744073709551614" << 1;
}

void tst_Version::compare()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    const auto va = Version::parse(a), vb = Version::parse(b);
    QVERIFY2(va, qPrintable(a));
    QVERIFY2(vb, qPrintable(b));
    QCOMPARE(va->compare(*vb), expected);
    QCOMPARE(vb->compare(*va), -expected);
}

void tst_Version::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("word") << "latest";
    QTest::newRow("trailing dot") << "1.2.";
    QTest::newRow("double dot") << "1..2";
    QTest::newRow("letters in number") << "1.2a.3";
    QTest::newRow("empty prerelease") << "1.2.3-";
    QTest::newRow("bad prerelease char") << "1.2.3-rc_1";
    QTest::newRow("overflow") << "1.99999999999999999999";
    QTest::newRow("just v") << "v";
    QTest::newRow("space inside") << "1. 2";
}

void tst_Version::rejects()
{
    QFETCH(QString, text);
    QVERIFY(!Version::parse(text));
}

void tst_Version::zero()
{
    QVERIFY(Version::parse(u"0.0.0")->isZero());
    QVERIFY(Version::parse(u"0")->isZero());
    QVERIFY(Version::parse(u"0.0.000")->isZero());
    QVERIFY(!Version::parse(u"0.0.1")->isZero());
    QVERIFY(!Version::parse(u"0.0.0-rc.1")->isZero());
}

QTEST_GUILESS_MAIN(tst_Version)
#include "tst_version.moc"
