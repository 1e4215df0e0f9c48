#include "ui/hosts/hostfilterproxymodel.h"
#include "ui/hosts/hosttablemodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::HostState;
using deploy::HostStatus;

class tst_HostTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void columnsAndRoles();
    void smallBatchEmitsPerRowForChangedColumnsOnly();
    void largeBatchEmitsOneFullRange();
    void unknownHostsAreAppended();
    void proxyFiltersByTextAndState();
    void proxySortsByRawValue();
    void thousandHostsWithProgressEvery100ms();
    void thousandHostsBatchCost();
    void formatting_data();
    void formatting();

private:
    static QList<HostStatus> hosts(int n);
    void feedThousandHosts(bool withTesters, int ticks, qint64 *worstBatchNs);
};

QList<HostStatus> tst_HostTableModel::hosts(int n)
{
    QList<HostStatus> out;
    for (int i = 0; i < n; ++i) {
        HostStatus s;
        s.host = QStringLiteral("hv%1.corp.example").arg(i, 4, 10, QLatin1Char('0'));
        s.bundleVersion = QStringLiteral("2.0.0");
        out << s;
    }
    return out;
}

void tst_HostTableModel::columnsAndRoles()
{
    HostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<HostStatus> list = hosts(3);
    list[1].state = HostState::Failed;
    list[1].message = QStringLiteral("WinRM refused the credentials");
    list[2].state = HostState::Deploying;
    list[2].bytesDone = 512;
    list[2].bytesTotal = 2048;
    list[2].lastDurationMs = 65'000;
    list[2].lastChecked = QDateTime(QDate(2026, 11, 29), QTime(10, 0), Qt::UTC);
    model.setStatuses(list);
    QCOMPARE(model.columnCount(), int(HostTableModel::ColumnCount));
    QCOMPARE(model.rowCount(), 3);
    for (int c = 0; c < HostTableModel::ColumnCount; ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    const auto idx = [&](int r, int c) {
        return model.index(r, c);
    };
    QCOMPARE(idx(1, HostTableModel::State).data().toString(),
             deploy::hostStateLabel(HostState::Failed));
    QCOMPARE(idx(1, HostTableModel::State).data(HostTableModel::RawValueRole).toInt(),
             int(HostState::Failed));
    QVERIFY(idx(1, HostTableModel::State).data(Qt::DecorationRole).value<QIcon>().isNull()
            == false);
    QCOMPARE(idx(1, HostTableModel::Message).data().toString(), list[1].message);
    QCOMPARE(idx(2, HostTableModel::Progress).data(HostTableModel::RawValueRole).toDouble(), 0.25);
    QVERIFY(idx(2, HostTableModel::Progress).data().toString().startsWith(u"25"));
    QCOMPARE(idx(0, HostTableModel::Progress).data(HostTableModel::RawValueRole).toDouble(), -1.0);
    QCOMPARE(idx(2, HostTableModel::Duration).data(HostTableModel::RawValueRole).toLongLong(),
             65'000);
    QCOMPARE(idx(2, HostTableModel::Duration).data().toString(),
             HostTableModel::formatDuration(65'000));
    QCOMPARE(idx(2, HostTableModel::LastChecked).data(HostTableModel::RawValueRole).toDateTime(),
             list[2].lastChecked);
    QCOMPARE(idx(2, HostTableModel::Host).data(HostTableModel::BytesTotalRole).toLongLong(), 2048);
    QCOMPARE(idx(2, HostTableModel::Message).data(HostTableModel::HostRole).toString(),
             list[2].host);
    QCOMPARE(model.rowOfHost(list[2].host), 2);
}

void tst_HostTableModel::smallBatchEmitsPerRowForChangedColumnsOnly()
{
    HostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<HostStatus> list = hosts(100);
    model.setStatuses(list);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    list[10].bytesDone = 100;
    list[10].bytesTotal = 1000;
    list[50].state = HostState::Current;
    list[50].message = QStringLiteral("verified");
    model.applyBatch({list[10], list[50], list[70]}); // 70 unchanged
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 2);
    const auto first = changed.at(0);
    QCOMPARE(first.at(0).toModelIndex().row(), 10);
    QCOMPARE(first.at(1).toModelIndex().row(), 10);
    QCOMPARE(first.at(0).toModelIndex().column(), int(HostTableModel::Progress));
    QCOMPARE(first.at(1).toModelIndex().column(), int(HostTableModel::Progress));
    const auto second = changed.at(1);
    QCOMPARE(second.at(0).toModelIndex().row(), 50);
    QCOMPARE(second.at(0).toModelIndex().column(), int(HostTableModel::State));
    QCOMPARE(second.at(1).toModelIndex().column(), int(HostTableModel::Message));
    QCOMPARE(model.lastBatch().changedRows, 2);
    QVERIFY(!model.lastBatch().fullRefresh);
    QCOMPARE(model.statusAt(50).state, HostState::Current);
}

void tst_HostTableModel::largeBatchEmitsOneFullRange()
{
    HostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<HostStatus> list = hosts(100);
    model.setStatuses(list);
    for (HostStatus &s : list)
        s.state = HostState::Checking;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyBatch(list);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), model.index(0, 0));
    QCOMPARE(changed.first().at(1).toModelIndex(),
             model.index(99, HostTableModel::ColumnCount - 1));
    QVERIFY(model.lastBatch().fullRefresh);
}

void tst_HostTableModel::unknownHostsAreAppended()
{
    HostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStatuses(hosts(2));
    HostStatus extra;
    extra.host = QStringLiteral("late-host");
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyBatch({extra, extra});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOfHost(QStringLiteral("late-host")), 2);
}

void tst_HostTableModel::proxyFiltersByTextAndState()
{
    HostTableModel model;
    HostFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<HostStatus> list = hosts(6);
    list[0].state = HostState::Current;
    list[1].state = HostState::Outdated;
    list[2].state = HostState::Failed;
    list[2].message = QStringLiteral("hash mismatch on WindowsProvisioning.iso");
    list[3].state = HostState::Deploying;
    list[4].state = HostState::Unreachable;
    model.setStatuses(list);
    QCOMPARE(proxy.rowCount(), 6);
    proxy.setStateFilter(
        HostFilterProxyModel::statesOf(HostFilterProxyModel::StateGroup::Failures));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterText(QStringLiteral("HASH mismatch"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(HostTableModel::HostRole).toString(), list[2].host);
    proxy.setStateFilter({});
    proxy.setFilterText(QStringLiteral("hv0003"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setFilterText(QString());
    proxy.setStateFilter(HostFilterProxyModel::statesOf(HostFilterProxyModel::StateGroup::Busy));
    QCOMPARE(proxy.rowCount(), 1);
    // A state change moves a host in and out of the filter.
    list[3].state = HostState::Current;
    model.applyBatch({list[3]});
    QCOMPARE(proxy.rowCount(), 0);
}

void tst_HostTableModel::proxySortsByRawValue()
{
    HostTableModel model;
    HostFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<HostStatus> list = hosts(3);
    list[0].lastDurationMs = 9'000;  // "9.0 s"
    list[1].lastDurationMs = 70'000; // "1 min 10 s": sorts after 9 s by number, not text
    list[2].lastDurationMs = 500;
    model.setStatuses(list);
    proxy.sort(HostTableModel::Duration, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(HostTableModel::HostRole).toString(), list[2].host);
    QCOMPARE(proxy.index(1, 0).data(HostTableModel::HostRole).toString(), list[0].host);
    QCOMPARE(proxy.index(2, 0).data(HostTableModel::HostRole).toString(), list[1].host);
    // Dynamic sort: a progress update moves a row.
    proxy.sort(HostTableModel::Progress, Qt::DescendingOrder);
    list[0].bytesDone = 90;
    list[0].bytesTotal = 100;
    model.applyBatch({list[0]});
    QCOMPARE(proxy.index(0, 0).data(HostTableModel::HostRole).toString(), list[0].host);
}

void tst_HostTableModel::feedThousandHosts(bool withTesters, int ticks, qint64 *worstBatchNs)
{
    // 1 000 hosts; every 100 ms a batch with progress for a random subset (every 7th batch
    // touches most rows), through the model and a sorting, filtering proxy.
    constexpr int kHosts = 1000;
    HostTableModel model;
    HostFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(HostTableModel::Progress, Qt::DescendingOrder);
    proxy.setStateFilter(HostFilterProxyModel::statesOf(HostFilterProxyModel::StateGroup::Busy));
    std::unique_ptr<QAbstractItemModelTester> t1, t2;
    if (withTesters) {
        t1 = std::make_unique<QAbstractItemModelTester>(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        t2 = std::make_unique<QAbstractItemModelTester>(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    QList<HostStatus> list = hosts(kHosts);
    model.setStatuses(list);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QRandomGenerator rng(42);
    int tick = 0;
    int fullRefreshes = 0;
    *worstBatchNs = 0;
    QTimer timer;
    timer.setInterval(100);
    connect(&timer, &QTimer::timeout, this, [&] {
        QList<HostStatus> batch;
        const int n = tick % 7 == 6 ? 900 : 50 + int(rng.bounded(150));
        for (int k = 0; k < n; ++k) {
            HostStatus &s = list[int(rng.bounded(kHosts))];
            s.state = HostState::Deploying;
            s.bytesTotal = 300LL * 1024 * 1024;
            s.bytesDone = std::min(s.bytesTotal, s.bytesDone + qint64(rng.bounded(20)) * 1048576);
            if (s.bytesDone == s.bytesTotal)
                s.state = HostState::Current;
            batch << s;
        }
        QElapsedTimer t;
        t.start();
        model.applyBatch(batch);
        *worstBatchNs = std::max(*worstBatchNs, t.nsecsElapsed());
        fullRefreshes += model.lastBatch().fullRefresh ? 1 : 0;
        ++tick;
    });
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(tick >= ticks, 120000);
    timer.stop();

    QCOMPARE(model.rowCount(), kHosts);
    QVERIFY(fullRefreshes >= 1);
    QVERIFY(changed.size() > ticks);
    // The model holds exactly what was fed last.
    for (int r = 0; r < kHosts; ++r) {
        const HostStatus &s = model.statusAt(r);
        QCOMPARE(s.host, list[r].host);
        QCOMPARE(s.bytesDone, list[r].bytesDone);
        QCOMPARE(s.state, list[r].state);
    }
    // The proxy shows exactly the busy hosts, sorted by progress.
    int busy = 0;
    for (const HostStatus &s : std::as_const(list))
        busy += s.state == HostState::Deploying ? 1 : 0;
    QCOMPARE(proxy.rowCount(), busy);
    for (int r = 1; r < proxy.rowCount(); ++r) {
        const double before = proxy.index(r - 1, HostTableModel::Progress)
                                  .data(HostTableModel::RawValueRole)
                                  .toDouble();
        const double after = proxy.index(r, HostTableModel::Progress)
                                 .data(HostTableModel::RawValueRole)
                                 .toDouble();
        QVERIFY2(before >= after,
                 qPrintable(QStringLiteral("row %1: %2 before %3").arg(r).arg(before).arg(after)));
    }
}

void tst_HostTableModel::thousandHostsWithProgressEvery100ms()
{
    // Consistency: QAbstractItemModelTester on the model and the proxy for every batch.
    qint64 worst = 0;
    feedThousandHosts(true, 15, &worst);
}

void tst_HostTableModel::thousandHostsBatchCost()
{
    // Cost: the same feed without the testers' own checks; one batch (model + sorting, filtering
    // proxy) must stay far inside the 100 ms tick.
    qint64 worst = 0;
    feedThousandHosts(false, 30, &worst);
    if (QTest::currentTestFailed())
        return;
    qInfo("1000 hosts, 30 batches every 100 ms: worst batch %.2f ms (model + proxy)",
          double(worst) / 1e6);
    QVERIFY2(worst < 50'000'000, qPrintable(QString::number(double(worst) / 1e6) + u" ms"));
}

void tst_HostTableModel::formatting_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("none") << qint64(0) << QString();
    QTest::newRow("milliseconds") << qint64(45) << u"45 ms"_qs;
    QTest::newRow("seconds") << qint64(1500) << u"1.5 s"_qs;
    QTest::newRow("minutes") << qint64(125'000) << u"2 min 05 s"_qs;
    QTest::newRow("hours") << qint64(3'720'000) << u"1 h 02 min"_qs;
}

void tst_HostTableModel::formatting()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QLocale::setDefault(QLocale::c());
    QCOMPARE(HostTableModel::formatDuration(ms), text);
    QVERIFY(HostTableModel::formatProgress(0, 0).isEmpty());
    QVERIFY(HostTableModel::formatProgress(50, 200).startsWith(u"25 %"));
}

QTEST_MAIN(tst_HostTableModel)
#include "tst_hosttablemodel.moc"
