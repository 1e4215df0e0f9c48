#include "core/tasks/remotetaskrunner.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>

using namespace aetherv;
using namespace aetherv::tasks;

class tst_RemoteTaskRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void succeedsAndFails();
    void concurrencyLimitHolds();
    void deadlineStopsRemoteWorkBeforeFreeingTheSlot();
    void cancelRunningTask();
    void cancelQueuedTaskReportsAtOnce();
    void finishedAtMostOnce();
    void exceptionBecomesFailure();
    void progressReachesTheHandle();
    void metrics();
};

// A task that waits on its own thread's event loop until `ms` passed or it is cancelled, like
// a WinRM command would; on cancel it runs its cleanup (the Signal + Delete of a real shell).
static TaskFunction waitingTask(int ms, std::atomic<int> *cleanups = nullptr)
{
    return [ms, cleanups](TaskContext &ctx) -> Result<QVariant> {
        QEventLoop loop;
        bool cancelled = false;
        QTimer done;
        done.setSingleShot(true);
        QObject::connect(&done, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(ctx.control(), &TaskControl::cancelRequested, &loop, [&] {
            cancelled = true;
            loop.quit();
        });
        done.start(ms);
        loop.exec();
        if (cancelled) {
            QThread::msleep(50); // the remote cleanup takes a while
            if (cleanups)
                ++*cleanups;
            return fail(ErrorCode::Cancelled, QStringLiteral("stopped"));
        }
        return QVariant(ms);
    };
}

void tst_RemoteTaskRunner::succeedsAndFails()
{
    RemoteTaskRunner runner;
    auto *ok = runner.submit(
        Category::Inventory, QStringLiteral("ok"), 5000,
        [](TaskContext &) -> Result<QVariant> { return QVariant(42); }, this);
    auto *bad = runner.submit(
        Category::Inventory, QStringLiteral("bad"), 5000,
        [](TaskContext &) -> Result<QVariant> {
            return fail(ErrorCode::Network, QStringLiteral("host down"));
        },
        this);
    QSignalSpy okSpy(ok, &TaskHandle::finished), badSpy(bad, &TaskHandle::finished);
    QVERIFY(okSpy.wait(5000) || okSpy.size() == 1);
    QTRY_COMPARE(badSpy.size(), 1);
    const auto r1 = okSpy.first().first().value<TaskResult>();
    QCOMPARE(r1.outcome, TaskOutcome::Succeeded);
    QCOMPARE(r1.value.toInt(), 42);
    const auto r2 = badSpy.first().first().value<TaskResult>();
    QCOMPARE(r2.outcome, TaskOutcome::Failed);
    QCOMPARE(r2.error.code, ErrorCode::Network);
    QCOMPARE(r2.error.message, QStringLiteral("host down"));
}

void tst_RemoteTaskRunner::concurrencyLimitHolds()
{
    RemoteTaskRunner runner;
    runner.setConcurrency(Category::Deployment, 3);
    std::atomic<int> running{0}, peak{0};
    QList<TaskHandle *> handles;
    for (int i = 0; i < 12; ++i) {
        handles << runner.submit(
            Category::Deployment, QStringLiteral("t%1").arg(i), 10000,
            [&](TaskContext &) -> Result<QVariant> {
                const int now = ++running;
                int p = peak;
                while (now > p && !peak.compare_exchange_weak(p, now)) {
                }
                QThread::msleep(40);
                --running;
                return QVariant();
            },
            this);
    }
    QVERIFY(runner.waitForDone(20000));
    QCOMPARE(peak.load(), 3);
    for (TaskHandle *h : handles)
        QTRY_VERIFY(h->isFinished());
}

void tst_RemoteTaskRunner::deadlineStopsRemoteWorkBeforeFreeingTheSlot()
{
    RemoteTaskRunner runner;
    runner.setConcurrency(Category::Deployment, 1);
    std::atomic<int> cleanups{0};
    std::atomic<int> cleanupsSeenByNext{-1};
    auto *slow = runner.submit(Category::Deployment, QStringLiteral("slow host"), 150,
                               waitingTask(60000, &cleanups), this);
    // Queued behind the slow one: when it starts, the slow one's cleanup must be complete.
    auto *next = runner.submit(
        Category::Deployment, QStringLiteral("next"), 5000,
        [&](TaskContext &) -> Result<QVariant> {
            cleanupsSeenByNext = cleanups.load();
            return QVariant();
        },
        this);
    QSignalSpy slowSpy(slow, &TaskHandle::finished), nextSpy(next, &TaskHandle::finished);
    QTRY_COMPARE_WITH_TIMEOUT(nextSpy.size(), 1, 10000);
    QCOMPARE(slowSpy.size(), 1);
    const auto r = slowSpy.first().first().value<TaskResult>();
    QCOMPARE(r.outcome, TaskOutcome::TimedOut);
    QCOMPARE(r.error.code, ErrorCode::Timeout);
    QVERIFY2(r.error.message.contains(QStringLiteral("slow host")), qPrintable(r.error.message));
    QVERIFY(r.runMs >= 150 && r.runMs < 5000);
    QCOMPARE(cleanups.load(), 1);
    QCOMPARE(cleanupsSeenByNext.load(), 1);
    QCOMPARE(runner.stats(Category::Deployment).timedOut, 1u);
}

void tst_RemoteTaskRunner::cancelRunningTask()
{
    RemoteTaskRunner runner;
    std::atomic<int> cleanups{0};
    auto *h = runner.submit(Category::Deployment, QStringLiteral("long"), 60000,
                            waitingTask(60000, &cleanups), this);
    QSignalSpy started(h, &TaskHandle::started), finished(h, &TaskHandle::finished);
    QVERIFY(started.wait(5000));
    h->cancel();
    QVERIFY(finished.wait(5000));
    const auto r = finished.first().first().value<TaskResult>();
    QCOMPARE(r.outcome, TaskOutcome::Cancelled);
    QCOMPARE(cleanups.load(), 1);
}

void tst_RemoteTaskRunner::cancelQueuedTaskReportsAtOnce()
{
    RemoteTaskRunner runner;
    runner.setConcurrency(Category::Diagnostics, 1);
    auto *blocker = runner.submit(Category::Diagnostics, QStringLiteral("blocker"), 60000,
                                  waitingTask(60000), this);
    QSignalSpy blockerStarted(blocker, &TaskHandle::started);
    QVERIFY(blockerStarted.wait(5000));
    std::atomic<bool> ran{false};
    auto *queued = runner.submit(
        Category::Diagnostics, QStringLiteral("queued"), 60000,
        [&](TaskContext &) -> Result<QVariant> {
            ran = true;
            return QVariant();
        },
        this);
    QSignalSpy queuedDone(queued, &TaskHandle::finished);
    queued->cancel();
    QVERIFY(queuedDone.wait(2000)); // not after the 60 s blocker
    QCOMPARE(queuedDone.first().first().value<TaskResult>().outcome, TaskOutcome::Cancelled);
    QVERIFY(!blocker->isFinished());
    blocker->cancel();
    QVERIFY(runner.waitForDone(5000));
    QVERIFY(!ran);
    QCOMPARE(runner.stats(Category::Diagnostics).cancelled, 2u);
    QCOMPARE(runner.stats(Category::Diagnostics).queued, 0);
    QCOMPARE(runner.stats(Category::Diagnostics).running, 0);
}

void tst_RemoteTaskRunner::finishedAtMostOnce()
{
    RemoteTaskRunner runner;
    // Cancel racing with completion and deadline, many times over.
    for (int i = 0; i < 50; ++i) {
        auto *h = runner.submit(Category::Inventory, QStringLiteral("race"), 1 + i % 3,
                                waitingTask(i % 4), this);
        QSignalSpy spy(h, &TaskHandle::finished);
        if (i % 2)
            h->cancel();
        h->cancel();
        QTRY_COMPARE(spy.size(), 1);
        QTest::qWait(5);
        QCOMPARE(spy.size(), 1);
        delete h;
    }
    QVERIFY(runner.waitForDone(5000));
    QCOMPARE(runner.stats(Category::Inventory).completed(), 50u);
}

void tst_RemoteTaskRunner::exceptionBecomesFailure()
{
    RemoteTaskRunner runner;
    auto *h = runner.submit(
        Category::Inventory, QStringLiteral("throws"), 5000,
        [](TaskContext &) -> Result<QVariant> { throw std::runtime_error("boom"); }, this);
    QSignalSpy spy(h, &TaskHandle::finished);
    QVERIFY(spy.wait(5000));
    const auto r = spy.first().first().value<TaskResult>();
    QCOMPARE(r.outcome, TaskOutcome::Failed);
    QVERIFY(r.error.message.contains(QStringLiteral("boom")));
}

void tst_RemoteTaskRunner::progressReachesTheHandle()
{
    RemoteTaskRunner runner;
    auto *h = runner.submit(
        Category::Deployment, QStringLiteral("progress"), 5000,
        [](TaskContext &ctx) -> Result<QVariant> {
            for (int i = 1; i <= 3; ++i)
                ctx.reportProgress(i);
            return QVariant();
        },
        this);
    QSignalSpy progress(h, &TaskHandle::progress), done(h, &TaskHandle::finished);
    QVERIFY(done.wait(5000));
    QCOMPARE(progress.size(), 3);
    QCOMPARE(progress.at(2).first().toInt(), 3);
    QVERIFY(h->thread() == QThread::currentThread());
}

void tst_RemoteTaskRunner::metrics()
{
    RemoteTaskRunner runner;
    runner.setConcurrency(Category::Inventory, 2);
    for (int i = 0; i < 4; ++i)
        runner.submit(Category::Inventory, QStringLiteral("m"), 5000, waitingTask(20), this);
    QVERIFY(runner.waitForDone(5000));
    QTRY_COMPARE(runner.stats(Category::Inventory).succeeded, 4u);
    const CategoryStats s = runner.stats(Category::Inventory);
    QCOMPARE(s.limit, 2);
    QCOMPARE(s.running, 0);
    QCOMPARE(s.queued, 0);
    QVERIFY(s.totalRunMs >= 80);
    QVERIFY(s.maxRunMs >= 20);
}

QTEST_GUILESS_MAIN(tst_RemoteTaskRunner)
#include "tst_remotetaskrunner.moc"
