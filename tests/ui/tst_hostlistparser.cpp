#include "ui/profiles/hostlistparser.h"

#include <QTest>

using namespace aetherv;
using namespace aetherv::ui;

class tst_HostListParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void reportsBadLines();
    void roundTrips();
};

void tst_HostListParser::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("hosts"); // HostEntry::toString of each
    QTest::addColumn<int>("duplicates");
    QTest::newRow("lines") << u"hv01\nhv02.corp.example\n\n  hv03  \n"_qs
                           << QStringList{u"hv01"_qs, u"hv02.corp.example"_qs, u"hv03"_qs} << 0;
    QTest::newRow("ports and ipv6") << u"hv01:5986\n[2001:db8::7]:5986\n2001:db8::8\n192.0.2.7"_qs
                                    << QStringList{u"hv01:5986"_qs, u"[2001:db8::7]:5986"_qs,
                                                   u"2001:db8::8"_qs, u"192.0.2.7"_qs}
                                    << 0;
    QTest::newRow("blank separated")
        << u"hv01 hv02   hv03"_qs << QStringList{u"hv01"_qs, u"hv02"_qs, u"hv03"_qs} << 0;
    QTest::newRow("comments and duplicates") << u"# production\nhv01 # rack 1\nHV01\nhv01.\nhv02"_qs
                                             << QStringList{u"hv01"_qs, u"hv02"_qs} << 2;
    QTest::newRow("csv with header")
        << u"Name,Rack,Port\nhv01,A1,5986\n\"hv02\",A2,\nhv03,\"B, left\",5985"_qs
        << QStringList{u"hv01:5986"_qs, u"hv02"_qs, u"hv03:5985"_qs} << 0;
    QTest::newRow("csv host column not first")
        << u"rack;hostname\nA1;hv01\nA2;hv02"_qs << QStringList{u"hv01"_qs, u"hv02"_qs} << 0;
    QTest::newRow("csv without header, port second")
        << u"hv01,5986\nhv02,5985"_qs << QStringList{u"hv01:5986"_qs, u"hv02:5985"_qs} << 0;
    QTest::newRow("csv ipv6 with port column")
        << u"host,port\n2001:db8::7,5986"_qs << QStringList{u"[2001:db8::7]:5986"_qs} << 0;
    QTest::newRow("windows line ends")
        << u"hv01\r\nhv02\r\n"_qs << QStringList{u"hv01"_qs, u"hv02"_qs} << 0;
}

void tst_HostListParser::parses()
{
    QFETCH(QString, text);
    QFETCH(QStringList, hosts);
    QFETCH(int, duplicates);
    const HostListParse r = parseHostList(text);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QStringList got;
    for (const config::HostEntry &h : r.hosts)
        got << h.toString();
    QCOMPARE(got, hosts);
    QCOMPARE(r.duplicates, duplicates);
}

void tst_HostListParser::reportsBadLines()
{
    const HostListParse r
        = parseHostList(u"hv01\nbad_host!\nhv02:99999\nhost,port\nhv03,notaport\n-leading"_qs);
    QCOMPARE(r.hosts.size(), 1);
    QCOMPARE(r.errors.size(), 4);
    QVERIFY2(r.errors.at(0).startsWith(u"line 2"_qs), qPrintable(r.errors.at(0)));
    QVERIFY(r.errors.at(1).startsWith(u"line 3"_qs));
    QVERIFY(r.errors.at(2).startsWith(u"line 5"_qs));
    QVERIFY(r.errors.at(3).startsWith(u"line 6"_qs));
}

void tst_HostListParser::roundTrips()
{
    const QList<config::HostEntry> hosts{{u"hv01"_qs, 0}, {u"2001:db8::1"_qs, 5986}};
    const HostListParse r = parseHostList(formatHostList(hosts));
    QVERIFY(r.ok());
    QCOMPARE(r.hosts, hosts);
}

QTEST_GUILESS_MAIN(tst_HostListParser)
#include "tst_hostlistparser.moc"
