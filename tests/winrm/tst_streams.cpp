// Output decoding: bytes joined per stream, UTF-8 decoded across Receive boundaries, lines
// handed out as they complete; PowerShell CLIXML on stderr turned into text.
#include "core/winrm/clixml.h"
#include "core/winrm/streamdecoder.h"

#include <QTest>

using namespace aetherv::winrm;

class TestStreams : public QObject
{
    Q_OBJECT

private slots:
    void utf8CharacterSplitAcrossChunks();
    void crlfSplitAcrossChunks();
    void everySplitPointOfNonLatinText();
    void truncatedCharacterAtEnd();
    void clixmlErrorRecords();
    void clixmlSeveralDocumentsAndStreams();
    void notClixmlPassesThrough();
    void escapes();
};

void TestStreams::utf8CharacterSplitAcrossChunks()
{
    StreamDecoder d;
    const QByteArray euro = QStringLiteral("€").toUtf8(); // e2 82 ac
    QVERIFY(d.feed("price: " + euro.left(1)).isEmpty());
    QVERIFY(d.feed(euro.mid(1, 1)).isEmpty());
    const QStringList lines = d.feed(euro.mid(2) + "5\r\nnext");
    QCOMPARE(lines, QStringList{QStringLiteral("price: €5")});
    QCOMPARE(d.finish(), QStringList{QStringLiteral("next")});
    QCOMPARE(d.text(), QStringLiteral("price: €5\r\nnext"));
}

void TestStreams::crlfSplitAcrossChunks()
{
    StreamDecoder d;
    QCOMPARE(d.feed("a\r"), QStringList());
    QCOMPARE(d.feed("\nb\n\n"), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QString()}));
    QCOMPARE(d.finish(), QStringList());
}

void TestStreams::everySplitPointOfNonLatinText()
{
    const QString text = QStringLiteral("Привет, 世界! 🚀 Ωmega\r\nzweite Zeile ä\r\n");
    const QByteArray bytes = text.toUtf8();
    for (qsizetype cut = 1; cut < bytes.size(); ++cut) {
        StreamDecoder d;
        QStringList lines = d.feed(bytes.left(cut));
        lines += d.feed(bytes.mid(cut));
        lines += d.finish();
        QCOMPARE(lines, (QStringList{QStringLiteral("Привет, 世界! 🚀 Ωmega"),
                                     QStringLiteral("zweite Zeile ä")}));
        QCOMPARE(d.text(), text);
    }
}

void TestStreams::truncatedCharacterAtEnd()
{
    StreamDecoder d;
    d.feed(QByteArray("ok ") + QStringLiteral("世").toUtf8().left(2));
    const QStringList last = d.finish();
    QCOMPARE(last.size(), qsizetype(1));
    QVERIFY(last.first().startsWith(QStringLiteral("ok ")));
    QVERIFY(last.first().contains(QChar::ReplacementCharacter));
}

void TestStreams::clixmlErrorRecords()
{
    const QString err
        = QStringLiteral("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" "
                         "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                         "<Obj S=\"progress\" RefId=\"0\"><TN "
                         "RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T>"
                         "</TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing "
                         "modules for first use.</AV>"
                         "</PR></MS></Obj>"
                         "<S S=\"Error\">Get-Item : Cannot find path 'C:\\nope' because it does "
                         "not exist._x000D__x000A_</S>"
                         "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S></Objs>");
    QVERIFY(clixml::isClixml(err));
    QCOMPARE(clixml::toText(err),
             QStringLiteral("Get-Item : Cannot find path 'C:\\nope' because it does not exist.\r\n"
                            "At line:1 char:1\r\n"));
}

void TestStreams::clixmlSeveralDocumentsAndStreams()
{
    const QString err = QStringLiteral("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" "
                                       "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                                       "<S S=\"Warning\">disk almost full</S></Objs>"
                                       "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" "
                                       "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                                       "<S S=\"Error\">Umlaut ä_x000A_</S></Objs>");
    QCOMPARE(clixml::toText(err), QStringLiteral("WARNING: disk almost full\nUmlaut ä\n"));
}

void TestStreams::notClixmlPassesThrough()
{
    const QString plain = QStringLiteral("plain error text\n");
    QVERIFY(!clixml::isClixml(plain));
    QCOMPARE(clixml::toText(plain), plain);
}

void TestStreams::escapes()
{
    QCOMPARE(clixml::decodeEscapes(QStringLiteral("a_x000D__x000A_b_x0009_c_xZZZZ_")),
             QStringLiteral("a\r\nb\tc_xZZZZ_"));
}

QTEST_GUILESS_MAIN(TestStreams)
#include "tst_streams.moc"
