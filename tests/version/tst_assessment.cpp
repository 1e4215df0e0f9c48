#include "core/version/assessment.h"
#include "core/version/versiontext.h"

#include <QTest>

using namespace aetherv::version;

class tst_Assessment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void table_data();
    void table();
    void hostTextIsNotAPlaceholder();
    void everyOutcomeHasADistinctReason();
};

static const QByteArray kDigest(64, 'd');
static const QByteArray kOther(64, 'e');

void tst_Assessment::table_data()
{
    QTest::addColumn<bool>("exists");
    QTest::addColumn<QByteArray>("rawVersion"); // as read from the host's file
    QTest::addColumn<QByteArray>("hostDigest");
    QTest::addColumn<bool>("legacy");
    QTest::addColumn<QString>("bundleVersion");
    QTest::addColumn<bool>("force");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<bool>("deploy");

    auto row = [](const char *name, bool exists, QByteArray raw, QByteArray digest, bool legacy,
                  const char *bundle, bool force, Outcome o, bool deploy) {
        QTest::newRow(name) << exists << raw << digest << legacy << QString::fromLatin1(bundle)
                            << force << int(o) << deploy;
    };
    // The seed's behaviour: blank / missing / default / unparsable → deploy; equal → current.
    row("missing file", false, {}, {}, false, "1.2.0", false, Outcome::Missing, true);
    row("legacy install", false, {}, {}, true, "1.2.0", false, Outcome::Legacy, true);
    row("blank", true, " \r\n", {}, false, "1.2.0", false, Outcome::Blank, true);
    row("nul only", true, QByteArray(6, '\0'), {}, false, "1.2.0", false, Outcome::Blank, true);
    row("default 0.0.0", true, "0.0.0", kDigest, false, "1.2.0", false, Outcome::Default, true);
    row("unparsable", true, "latest", kDigest, false, "1.2.0", false, Outcome::Unparsable, true);
    row("older", true, "1.1.9", kDigest, false, "1.2.0", false, Outcome::Outdated, true);
    row("older numerically", true, "1.9.0", kDigest, false, "1.10.0", false, Outcome::Outdated,
        true);
    row("equal", true, "1.2.0", kDigest, false, "1.2.0", false, Outcome::Current, false);
    row("padded equal", true, "2.5.000", kDigest, false, "2.5.0", false, Outcome::Current, false);
    row("utf16 bom equal", true,
        QByteArray("\xFF\xFE"
                   "1\0.\0"
                   "2\0.\0"
                   "0\0\r\0\n\0",
                   14),
        kDigest, false, "1.2.0", false, Outcome::Current, false);
    row("prerelease older", true, "1.2.0-rc.1", kDigest, false, "1.2.0", false, Outcome::Outdated,
        true);
    row("prerelease ordering", true, "1.2.0-beta.2", kDigest, false, "1.2.0-beta.11", false,
        Outcome::Outdated, true);
    row("ahead", true, "1.3.0", kDigest, false, "1.2.0", false, Outcome::Ahead, false);
    row("release ahead of rc", true, "1.2.0", kDigest, false, "1.2.0-rc.1", false, Outcome::Ahead,
        false);
    row("drifted", true, "1.2.0", kOther, false, "1.2.0", false, Outcome::Drifted, true);
    row("unverified", true, "1.2.0", {}, false, "1.2.0", false, Outcome::Unverified, true);
    row("forced current", true, "1.2.0", kDigest, false, "1.2.0", true, Outcome::Forced, true);
    row("forced ahead", true, "1.3.0", kDigest, false, "1.2.0", true, Outcome::Forced, true);
    row("forced drifted stays drifted", true, "1.2.0", kOther, false, "1.2.0", true,
        Outcome::Drifted, true);
    row("bundle unparsable", true, "1.0.0", kDigest, false, "garbage", false,
        Outcome::BundleInvalid, false);
    row("bundle empty", false, {}, {}, false, "", false, Outcome::BundleInvalid, false);
    row("bundle 0.0.0", true, "1.0.0", kDigest, false, "0.0.0", false, Outcome::BundleInvalid,
        false);
    row("bundle invalid even forced", true, "1.0.0", kDigest, false, "x", true,
        Outcome::BundleInvalid, false);
}

void tst_Assessment::table()
{
    QFETCH(bool, exists);
    QFETCH(QByteArray, rawVersion);
    QFETCH(QByteArray, hostDigest);
    QFETCH(bool, legacy);
    QFETCH(QString, bundleVersion);
    QFETCH(bool, force);
    QFETCH(int, outcome);
    QFETCH(bool, deploy);
    HostVersionInfo host;
    host.versionFileExists = exists;
    host.versionText = normaliseVersionText(rawVersion);
    host.manifestDigest = hostDigest;
    host.legacyInstall = legacy;
    const Assessment a = assess(host, {bundleVersion, kDigest}, force);
    QCOMPARE(outcomeName(a.outcome), outcomeName(Outcome(outcome)));
    QCOMPARE(a.deploy, deploy);
    QVERIFY(!a.reason.isEmpty());
    QVERIFY2(!a.reason.contains(u'%'), qPrintable(a.reason)); // every placeholder filled
    // Reasons that name the bundle name the right version, never the host's text in its place.
    if (outcome == int(Outcome::Missing) || outcome == int(Outcome::Outdated)
        || outcome == int(Outcome::Ahead))
        QVERIFY2(a.reason.contains(bundleVersion), qPrintable(a.reason));
    if (outcome == int(Outcome::Outdated) || outcome == int(Outcome::Ahead))
        QVERIFY2(a.reason.contains(host.versionText), qPrintable(a.reason));
}

void tst_Assessment::hostTextIsNotAPlaceholder()
{
    HostVersionInfo host;
    host.versionFileExists = true;
    host.versionText = QStringLiteral("%2 and %1");
    const Assessment a = assess(host, {QStringLiteral("1.0.0"), kDigest});
    QCOMPARE(a.outcome, Outcome::Unparsable);
    QVERIFY2(a.reason.contains(QStringLiteral("\"%2 and %1\"")), qPrintable(a.reason));
    QVERIFY(a.reason.endsWith(QStringLiteral("deploying 1.0.0")));
}

void tst_Assessment::everyOutcomeHasADistinctReason()
{
    QSet<QString> names;
    for (int o = int(Outcome::BundleInvalid); o <= int(Outcome::Forced); ++o)
        names.insert(outcomeName(Outcome(o)));
    QCOMPARE(names.size(), int(Outcome::Forced) + 1);
}

QTEST_GUILESS_MAIN(tst_Assessment)
#include "tst_assessment.moc"
