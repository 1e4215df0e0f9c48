#include "core/provision/provisioninggate.h"

#include <QTest>

using namespace aetherv;
using namespace aetherv::provision;
using deploy::HostState;
using deploy::Readiness;

Q_DECLARE_METATYPE(aetherv::provision::GateAction)

// The gate's decision for every readiness a host can have: start only on a verified host that
// runs the console's bundle version and digest, wait while it is checked or deployed, ask for a
// setup once when nobody works on it, refuse with the reason when its deployment failed.
class tst_ProvisioningGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decisions_data();
    void decisions();
    void failedReasonNamesTheCause();
    void disabledConsoleRefuses();
};

void tst_ProvisioningGate::decisions_data()
{
    QTest::addColumn<int>("readiness");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("hostVersion");
    QTest::addColumn<QByteArray>("hostDigest");
    QTest::addColumn<bool>("setupRequested");
    QTest::addColumn<GateAction>("action");

    const QByteArray ours(64, 'a');
    const QByteArray other(64, 'b');
    auto row = [](const char *name) -> QTestData & {
        return QTest::newRow(name);
    };
    row("ready, our bundle") << int(Readiness::Ready) << int(HostState::Current) << u"2.0.0"_qs
                             << ours << false << GateAction::Start;
    row("ready, other digest") << int(Readiness::Ready) << int(HostState::Current) << u"2.0.0"_qs
                               << other << false << GateAction::RequestSetup;
    row("ready, other digest, asked") << int(Readiness::Ready) << int(HostState::Current)
                                      << u"2.0.0"_qs << other << true << GateAction::Wait;
    row("deploying") << int(Readiness::Updating) << int(HostState::Deploying) << u"1.0.0"_qs
                     << other << false << GateAction::Wait;
    row("checking") << int(Readiness::Updating) << int(HostState::Checking) << QString()
                    << QByteArray() << true << GateAction::Wait;
    row("deployment failed") << int(Readiness::Failed) << int(HostState::Failed) << u"1.0.0"_qs
                             << other << false << GateAction::Refuse;
    row("unreachable") << int(Readiness::Failed) << int(HostState::Unreachable) << QString()
                       << QByteArray() << true << GateAction::Refuse;
    row("never checked") << int(Readiness::Unknown) << int(HostState::Unknown) << QString()
                         << QByteArray() << false << GateAction::RequestSetup;
    row("outdated") << int(Readiness::Unknown) << int(HostState::Outdated) << u"1.0.0"_qs << other
                    << false << GateAction::RequestSetup;
    row("outdated after setup") << int(Readiness::Unknown) << int(HostState::Outdated)
                                << u"1.0.0"_qs << other << true << GateAction::Refuse;
    row("newer agent") << int(Readiness::Unknown) << int(HostState::Ahead) << u"9.0.0"_qs << other
                       << true << GateAction::Refuse;
    row("cancelled deploy") << int(Readiness::Unknown) << int(HostState::Cancelled) << u"1.0.0"_qs
                            << other << true << GateAction::Refuse;
}

void tst_ProvisioningGate::decisions()
{
    QFETCH(int, readiness);
    QFETCH(int, state);
    QFETCH(QString, hostVersion);
    QFETCH(QByteArray, hostDigest);
    QFETCH(bool, setupRequested);
    QFETCH(GateAction, action);
    GateInput in;
    in.readiness.readiness = Readiness(readiness);
    in.readiness.reason = u"the host's own message"_qs;
    in.status.state = HostState(state);
    in.status.hostVersion = hostVersion;
    in.status.hostDigest = hostDigest;
    in.bundleVersion = u"2.0.0"_qs;
    in.bundleDigest = QByteArray(64, 'a');
    in.setupRequested = setupRequested;
    const GateDecision d = decideGate(in);
    QCOMPARE(d.action, action);
    QVERIFY(!d.reason.isEmpty());
}

void tst_ProvisioningGate::failedReasonNamesTheCause()
{
    GateInput in;
    in.readiness.readiness = Readiness::Failed;
    in.readiness.reason = u"disk-write-failed: There is not enough space on the disk."_qs;
    in.readiness.nextRetry = QDateTime::currentDateTimeUtc().addSecs(60);
    in.status.state = HostState::Failed;
    const GateDecision d = decideGate(in);
    QCOMPARE(d.action, GateAction::Refuse);
    QVERIFY2(d.reason.contains(in.readiness.reason), qPrintable(d.reason));
    QVERIFY2(d.reason.contains(u"retry"_qs), qPrintable(d.reason));

    GateInput newer;
    newer.readiness.readiness = Readiness::Unknown;
    newer.status.state = HostState::Ahead;
    newer.status.hostVersion = u"9.0.0"_qs;
    newer.bundleVersion = u"2.0.0"_qs;
    newer.setupRequested = true;
    const GateDecision n = decideGate(newer);
    QVERIFY2(n.reason.contains(u"9.0.0"_qs) && n.reason.contains(u"2.0.0"_qs),
             qPrintable(n.reason));
}

void tst_ProvisioningGate::disabledConsoleRefuses()
{
    GateInput in;
    in.serviceEnabled = false;
    in.disabledReason = u"the bundle folder has no version file"_qs;
    in.readiness.readiness = Readiness::Ready;
    const GateDecision d = decideGate(in);
    QCOMPARE(d.action, GateAction::Refuse);
    QVERIFY(d.reason.contains(in.disabledReason));
    in.serviceEnabled = true;
    in.knownHost = false;
    QCOMPARE(decideGate(in).action, GateAction::Refuse);
}

QTEST_GUILESS_MAIN(tst_ProvisioningGate)
#include "tst_provisioninggate.moc"
