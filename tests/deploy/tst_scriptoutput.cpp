#include "core/deploy/remotescriptexecutor.h"

#include <QTest>

using namespace aetherv;
using namespace aetherv::deploy;

class tst_ScriptOutput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsLinesAcrossChunks();
    void missingResult();
    void twoResults();
};

void tst_ScriptOutput::splitsLinesAcrossChunks()
{
    QList<QJsonObject> progress;
    ScriptOutputParser p(QStringLiteral("Deploy-AgentBundle.ps1"),
                         [&](const QJsonObject &o) { progress << o; });
    const QByteArray text = "{\"event\":\"progress\",\"bytes\":1}\r\n"
                            "stray text\n"
                            "{\"event\":\"progress\",\"file\":\"\xC3\xBC.iso\"}\n"
                            "{\"event\":\"result\",\"outcome\":\"deployed\"}\n";
    for (qsizetype i = 0; i < text.size(); i += 7)
        p.feed(QByteArrayView(text).sliced(i, std::min<qsizetype>(7, text.size() - i)));
    const auto r = p.finish(0, {});
    QVERIFY(r);
    QCOMPARE(r->value(QStringLiteral("outcome")).toString(), QStringLiteral("deployed"));
    QCOMPARE(progress.size(), 2);
    QCOMPARE(progress[1].value(QStringLiteral("file")).toString(), QStringLiteral("ü.iso"));
}

void tst_ScriptOutput::missingResult()
{
    ScriptOutputParser p(QStringLiteral("Read-AgentState.ps1"), {});
    p.feed("{\"event\":\"progress\"}\nnot json\n");
    const auto r = p.finish(1, QStringLiteral("Access to the path is denied."));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Protocol);
    QVERIFY(r.error().message.contains(QStringLiteral("Read-AgentState.ps1")));
    QVERIFY(r.error().message.contains(QStringLiteral("Access to the path is denied.")));
    QVERIFY(r.error().detail.contains(QStringLiteral("not json")));
}

void tst_ScriptOutput::twoResults()
{
    ScriptOutputParser p(QStringLiteral("x.ps1"), {});
    p.feed("{\"event\":\"result\"}\n{\"event\":\"result\"}"); // last line without newline
    const auto r = p.finish(0, {});
    QVERIFY(!r);
    QVERIFY(r.error().message.contains(QStringLiteral("2 results")));
}

QTEST_GUILESS_MAIN(tst_ScriptOutput)
#include "tst_scriptoutput.moc"
