#include "ui/banner/rolloutbanner.h"
#include "ui/common/stateicons.h"
#include "ui/main/rolloutnotifier.h"

#include <QSet>
#include <QTest>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::BannerLevel;
using deploy::RolloutState;
using deploy::RolloutSummary;

class tst_RolloutBanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void levelsColoursAndDistinctTexts();
    void failedNamesTheRealError();
    void notificationsOnlyForEndedRollouts_data();
    void notificationsOnlyForEndedRollouts();
};

static RolloutSummary summary(RolloutState state)
{
    RolloutSummary s;
    s.state = state;
    s.bundleVersion = u"2.0.0"_qs;
    s.total = 10;
    s.completed = state == RolloutState::Running ? 4 : 10;
    s.succeeded = state == RolloutState::Failed ? 8 : s.completed;
    s.failed = state == RolloutState::Failed ? 2 : 0;
    s.profileHosts = 10;
    s.readyHosts = s.succeeded;
    s.provisioningAvailable = s.readyHosts > 0;
    if (state == RolloutState::Failed) {
        s.lastError = u"WindowsProvisioning.iso failed verification"_qs;
        s.lastErrorHost = u"hv07"_qs;
    }
    if (state == RolloutState::Disabled)
        s.disabledReason = u"the agent bundle has no version file"_qs;
    return s;
}

void tst_RolloutBanner::levelsColoursAndDistinctTexts()
{
    RolloutBanner banner;
    QVERIFY(banner.isHidden()); // nothing to say before the first summary
    QSet<QString> texts;
    QHash<BannerLevel, QRgb> colours;
    for (RolloutState st :
         {RolloutState::Disabled, RolloutState::NoHosts, RolloutState::Idle, RolloutState::Running,
          RolloutState::Succeeded, RolloutState::Failed, RolloutState::Cancelled}) {
        banner.setSummary(summary(st));
        QVERIFY(!banner.isHidden());
        QCOMPARE(banner.level(), deploy::bannerLevel(summary(st)));
        QCOMPARE(banner.text(), deploy::bannerText(summary(st)));
        QCOMPARE(banner.palette().color(QPalette::Window), bannerColor(banner.level()));
        texts.insert(banner.text());
        colours.insert(banner.level(), bannerColor(banner.level()).rgb());
    }
    QCOMPARE(texts.size(), 7); // disabled, no hosts, idle, ..., never the same words
    QCOMPARE(banner.level(), BannerLevel::Warning);
    QCOMPARE(QSet<QRgb>(colours.cbegin(), colours.cend()).size(), colours.size());
    banner.setSummary(summary(RolloutState::Disabled));
    QCOMPARE(banner.level(), BannerLevel::Error);
    QVERIFY(banner.text().contains(u"no version file"_qs));
    banner.setSummary(summary(RolloutState::NoHosts));
    QVERIFY(!banner.text().contains(u"complete"_qs));
}

void tst_RolloutBanner::failedNamesTheRealError()
{
    RolloutBanner banner;
    banner.setSummary(summary(RolloutState::Failed));
    QCOMPARE(banner.level(), BannerLevel::Error);
    QVERIFY(banner.text().contains(u"hv07"_qs));
    QVERIFY(banner.text().contains(u"failed verification"_qs));
}

void tst_RolloutBanner::notificationsOnlyForEndedRollouts_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("total");
    QTest::addColumn<bool>("shown");
    QTest::newRow("succeeded") << int(RolloutState::Succeeded) << 10 << true;
    QTest::newRow("failed") << int(RolloutState::Failed) << 10 << true;
    QTest::newRow("cancelled") << int(RolloutState::Cancelled) << 10 << true;
    QTest::newRow("running") << int(RolloutState::Running) << 10 << false;
    QTest::newRow("disabled") << int(RolloutState::Disabled) << 10 << false;
    QTest::newRow("nothing ran") << int(RolloutState::Succeeded) << 0 << false;
}

void tst_RolloutBanner::notificationsOnlyForEndedRollouts()
{
    QFETCH(int, state);
    QFETCH(int, total);
    QFETCH(bool, shown);
    RolloutSummary s = summary(RolloutState(state));
    s.total = total;
    const RolloutNotifier::Notification n = RolloutNotifier::notificationFor(s);
    QCOMPARE(n.show, shown);
    if (shown) {
        QVERIFY(!n.title.isEmpty());
        QCOMPARE(n.text, deploy::bannerText(s));
        QCOMPARE(n.level, deploy::bannerLevel(s));
    }
    RolloutNotifier notifier; // offscreen: no tray; the notification is still composed
    notifier.rolloutFinished(s);
    QCOMPARE(notifier.lastNotification().show, shown);
}

QTEST_MAIN(tst_RolloutBanner)
#include "tst_rolloutbanner.moc"
