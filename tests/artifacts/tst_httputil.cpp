#include "core/artifacts/httputil.h"

#include <QTest>

using namespace aetherv::artifacts::http;

class tst_HttpUtil : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void range_data();
    void range();
    void ifNoneMatch();
    void date();
    void paths_data();
    void paths();
};

void tst_HttpUtil::range_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    const int none = int(RangeKind::None), ok = int(RangeKind::Satisfiable),
              bad = int(RangeKind::Unsatisfiable);
    QTest::newRow("first byte") << QByteArray("bytes=0-0") << 100LL << ok << 0LL << 0LL;
    QTest::newRow("last byte suffix") << QByteArray("bytes=-1") << 100LL << ok << 99LL << 99LL;
    QTest::newRow("last byte explicit") << QByteArray("bytes=99-99") << 100LL << ok << 99LL << 99LL;
    QTest::newRow("open end") << QByteArray("bytes=10-") << 100LL << ok << 10LL << 99LL;
    QTest::newRow("across the end") << QByteArray("bytes=90-1000") << 100LL << ok << 90LL << 99LL;
    QTest::newRow("suffix longer than file")
        << QByteArray("bytes=-500") << 100LL << ok << 0LL << 99LL;
    QTest::newRow("start at size") << QByteArray("bytes=100-") << 100LL << bad << 0LL << -1LL;
    QTest::newRow("start past size") << QByteArray("bytes=200-300") << 100LL << bad << 0LL << -1LL;
    QTest::newRow("zero suffix") << QByteArray("bytes=-0") << 100LL << bad << 0LL << -1LL;
    QTest::newRow("empty file") << QByteArray("bytes=0-0") << 0LL << bad << 0LL << -1LL;
    QTest::newRow("spaces") << QByteArray(" bytes= 5 - 9 ") << 100LL << ok << 5LL << 9LL;
    QTest::newRow("multi range ignored")
        << QByteArray("bytes=0-1,5-6") << 100LL << none << 0LL << -1LL;
    QTest::newRow("reversed ignored") << QByteArray("bytes=9-5") << 100LL << none << 0LL << -1LL;
    QTest::newRow("other unit ignored") << QByteArray("items=0-5") << 100LL << none << 0LL << -1LL;
    QTest::newRow("garbage ignored") << QByteArray("bytes=a-b") << 100LL << none << 0LL << -1LL;
    QTest::newRow("no dash ignored") << QByteArray("bytes=5") << 100LL << none << 0LL << -1LL;
    QTest::newRow("overflow ignored")
        << QByteArray("bytes=99999999999999999999-") << 100LL << none << 0LL << -1LL;
    QTest::newRow("large file") << QByteArray("bytes=4294967296-") << (5LL << 30) << ok
                                << 4294967296LL << (5LL << 30) - 1;
}

void tst_HttpUtil::range()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, size);
    QFETCH(int, kind);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    const RangeRequest r = parseRange(header, size);
    QCOMPARE(int(r.kind), kind);
    if (r.kind == RangeKind::Satisfiable) {
        QCOMPARE(r.range.first, first);
        QCOMPARE(r.range.last, last);
    }
}

void tst_HttpUtil::ifNoneMatch()
{
    QVERIFY(ifNoneMatchMatches("\"abc\"", "\"abc\""));
    QVERIFY(ifNoneMatchMatches("\"x\", \"abc\"", "\"abc\""));
    QVERIFY(ifNoneMatchMatches("W/\"abc\"", "\"abc\""));
    QVERIFY(ifNoneMatchMatches("*", "\"abc\""));
    QVERIFY(!ifNoneMatchMatches("\"abd\"", "\"abc\""));
    QVERIFY(!ifNoneMatchMatches("abc", "\"abc\""));
}

void tst_HttpUtil::date()
{
    const QDateTime t(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
    QCOMPARE(httpDate(t), QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
}

void tst_HttpUtil::paths_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<QString>("decoded");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<QString>("name");
    const int ok = int(PathVerdict::Ok), bad = int(PathVerdict::BadRequest),
              longer = int(PathVerdict::TooLong);
    QTest::newRow("plain") << "/agent/a.ps1"
                           << "/agent/a.ps1" << ok << "a.ps1";
    QTest::newRow("space") << "/agent/My%20Script.ps1"
                           << "/agent/My Script.ps1" << ok << "My Script.ps1";
    QTest::newRow("unicode") << QStringLiteral("/agent/%C3%9C.iso")
                             << QStringLiteral("/agent/Ü.iso") << ok << QStringLiteral("Ü.iso");
    QTest::newRow("encoded slash") << "/agent/..%2fetc"
                                   << "/agent/../etc" << bad << "";
    QTest::newRow("encoded slash upper") << "/agent/a%2Fb"
                                         << "/agent/a/b" << bad << "";
    QTest::newRow("encoded dots") << "/agent/%2e%2e"
                                  << "/agent/.." << bad << "";
    QTest::newRow("dotdot") << "/agent/.."
                            << "/agent/.." << bad << "";
    QTest::newRow("subdir") << "/agent/x/y"
                            << "/agent/x/y" << bad << "";
    QTest::newRow("backslash") << "/agent/a%5Cb"
                               << "/agent/a\\b" << bad << "";
    QTest::newRow("raw backslash") << "/agent/a\\b"
                                   << "/agent/a\\b" << bad << "";
    QTest::newRow("nul") << "/agent/a%00" << QStringLiteral("/agent/a") + QChar(0) << bad << "";
    QTest::newRow("empty") << "/agent/"
                           << "/agent/" << bad << "";
    QTest::newRow("other prefix") << "/agentx/a"
                                  << "/agentx/a" << bad << "";
    QTest::newRow("256 chars") << QString(u"/agent/" + QString(256, u'a'))
                               << QString(u"/agent/" + QString(256, u'a')) << longer << "";
    QTest::newRow("2000 chars") << QString(u"/agent/" + QString(2000, u'a'))
                                << QString(u"/agent/" + QString(2000, u'a')) << longer << "";
}

void tst_HttpUtil::paths()
{
    QFETCH(QString, encoded);
    QFETCH(QString, decoded);
    QFETCH(int, verdict);
    QFETCH(QString, name);
    const AgentPath p = checkAgentPath(encoded, decoded, u"/agent/");
    QCOMPARE(int(p.verdict), verdict);
    QCOMPARE(p.name, name);
}

QTEST_GUILESS_MAIN(tst_HttpUtil)
#include "tst_httputil.moc"
