#include "ui/logs/hostlogbook.h"
#include "ui/logs/logpane.h"

#include <QApplication>
#include <QClipboard>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace aetherv::ui;

class tst_HostLogBook : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entriesArePerHostAndTimestamped();
    void redactsSecrets_data();
    void redactsSecrets();
    void boundedPerHost();
    void paneShowsTheSelectedHostAndCopies();
};

void tst_HostLogBook::entriesArePerHostAndTimestamped()
{
    HostLogBook book;
    QSignalSpy spy(&book, &HostLogBook::appended);
    const QDateTime t(QDate(2026, 11, 29), QTime(14, 5, 6, 789), Qt::UTC);
    book.append(u"hv1"_qs, t, u"info"_qs, u"deploying bundle 2.0.0"_qs);
    book.append(u"hv2"_qs, t, u"error"_qs, u"hash mismatch"_qs);
    book.append(QString(), t, u"info"_qs, u"artifact URL serves the bundle"_qs);
    QCOMPARE(spy.size(), 3);
    QCOMPARE(book.entries(u"hv1"_qs).size(), 1);
    QCOMPARE(book.entries(u"hv2"_qs).first().level, u"error"_qs);
    QCOMPARE(book.entries(QString()).size(), 1);
    const QString line = book.entries(u"hv1"_qs).first().format();
    QVERIFY2(line.contains(t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_qs)),
             qPrintable(line));
    QVERIFY(line.endsWith(u"deploying bundle 2.0.0"_qs));
}

void tst_HostLogBook::redactsSecrets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret");
    QTest::newRow("known password")
        << u"logon as CORP\\alice with Winter2026! failed"_qs << u"Winter2026!"_qs;
    QTest::newRow("key=value") << u"connect user=alice password=hunter22 host=hv1"_qs
                               << u"hunter22"_qs;
    QTest::newRow("json") << u"{\"user\":\"a\",\"password\":\"s3cr3t-pw\"}"_qs << u"s3cr3t-pw"_qs;
    QTest::newRow("authorization header")
        << u"401 after Authorization: Negotiate TlRMTVNTUAADAAAAGAAYAEgAAAA="_qs
        << u"TlRMTVNTUAADAAAAGAAYAEgAAAA="_qs;
    QTest::newRow("bare ntlm token") << u"sent NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAA"_qs
                                     << u"TlRMTVNTUAABAAAAB4IIogAAAAAAAAAA"_qs;
    QTest::newRow("securestring") << u"ConvertTo-SecureString 'P@ss' -AsPlainText"_qs << u"P@ss"_qs;
    QTest::newRow("token") << u"token: abc.def.ghi"_qs << u"abc.def.ghi"_qs;
}

void tst_HostLogBook::redactsSecrets()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    HostLogBook book;
    book.setSecrets({u"Winter2026!"_qs});
    book.append(u"hv1"_qs, QDateTime::currentDateTimeUtc(), u"error"_qs, text);
    const QString stored = book.entries(u"hv1"_qs).first().text;
    QVERIFY2(!stored.contains(secret), qPrintable(stored));
    QVERIFY(!book.text(u"hv1"_qs).contains(secret));
    QVERIFY(stored.contains(u"••••••"_qs));
}

void tst_HostLogBook::boundedPerHost()
{
    HostLogBook book;
    for (int i = 0; i < HostLogBook::kMaxPerHost + 50; ++i)
        book.append(u"hv1"_qs, QDateTime::currentDateTimeUtc(), u"info"_qs,
                    QStringLiteral("line %1").arg(i));
    const auto entries = book.entries(u"hv1"_qs);
    QCOMPARE(entries.size(), HostLogBook::kMaxPerHost);
    QCOMPARE(entries.first().text, u"line 50"_qs);
}

void tst_HostLogBook::paneShowsTheSelectedHostAndCopies()
{
    HostLogBook book;
    book.setSecrets({u"pa55word"_qs});
    LogPane pane(&book);
    book.append(u"hv1"_qs, {}, u"info"_qs, u"first on hv1"_qs);
    book.append(u"hv2"_qs, {}, u"info"_qs, u"first on hv2"_qs);
    pane.showHost(u"hv1"_qs);
    QVERIFY(pane.shownText().contains(u"first on hv1"_qs));
    QVERIFY(!pane.shownText().contains(u"hv2"_qs));
    book.append(u"hv1"_qs, {}, u"error"_qs, u"failed with pa55word"_qs);
    book.append(u"hv2"_qs, {}, u"info"_qs, u"second on hv2"_qs);
    QCOMPARE(pane.shownText().count(u'\n'), 1);
    QVERIFY(!pane.shownText().contains(u"pa55word"_qs));
    pane.copyAll();
    QCOMPARE(QApplication::clipboard()->text(), pane.shownText());
    pane.showHost(u"hv2"_qs);
    QVERIFY(pane.shownText().contains(u"second on hv2"_qs));
}

QTEST_MAIN(tst_HostLogBook)
#include "tst_hostlogbook.moc"
