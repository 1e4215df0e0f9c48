#include "core/tasks/remotetaskrunner.h"

#include "core/common/tsan.h"

#include <QElapsedTimer>
#include <QRunnable>
#include <QThread>
#include <QTimer>

#include <exception>

namespace aetherv::tasks {

QString categoryName(Category c)
{
    switch (c) {
    case Category::Deployment:
        return QStringLiteral("deployment");
    case Category::Inventory:
        return QStringLiteral("inventory");
    case Category::Diagnostics:
        return QStringLiteral("diagnostics");
    }
    return QStringLiteral("unknown");
}

QString outcomeName(TaskOutcome o)
{
    switch (o) {
    case TaskOutcome::Succeeded:
        return QStringLiteral("succeeded");
    case TaskOutcome::Failed:
        return QStringLiteral("failed");
    case TaskOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case TaskOutcome::TimedOut:
        return QStringLiteral("timed-out");
    }
    return QStringLiteral("unknown");
}

// State shared by the caller's handle, the runnable and the runner. Every pointer here is only
// touched under `mutex`; the handle and control clear themselves when they go away.
struct TaskShared
{
    QMutex mutex;
    std::atomic<bool> cancel{false};
    std::atomic<bool> timedOut{false};
    TaskHandle *handle = nullptr;
    TaskControl *control = nullptr;
    QRunnable *runnable = nullptr;
    bool started = false;
    bool delivered = false;
    Category category = Category::Deployment;
    RemoteTaskRunner *runner = nullptr;
    QString label;
    qint64 deadlineMs = 0;
    QElapsedTimer sinceSubmit;

    // Posts `f` to the handle's thread if the handle still exists.
    template<typename F>
    void toHandle(F f)
    {
        QMutexLocker lock(&mutex);
        if (handle)
            QMetaObject::invokeMethod(handle, std::move(f), Qt::QueuedConnection);
    }
    void requestCancel()
    {
        cancel = true;
        QMutexLocker lock(&mutex);
        if (control) {
            TaskControl *c = control;
            QMetaObject::invokeMethod(
                c, [c] { Q_EMIT c->cancelRequested(); }, Qt::QueuedConnection);
        }
    }
};

bool TaskContext::isCancelRequested() const
{
    return m_shared->cancel || m_shared->timedOut;
}

bool TaskContext::deadlinePassed() const
{
    return m_shared->timedOut || m_deadline.hasExpired();
}

void TaskContext::reportProgress(const QVariant &value) const
{
    m_shared->toHandle([h = m_shared->handle, value] { Q_EMIT h->progress(value); });
}

TaskHandle::~TaskHandle()
{
    if (m_shared) {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->handle = nullptr;
    }
}

void TaskHandle::cancel()
{
    if (m_finished || !m_shared)
        return;
    m_shared->runner->cancelTask(m_shared);
}

QString TaskHandle::label() const
{
    return m_shared ? m_shared->label : QString();
}

void TaskHandle::deliver(const TaskResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(result);
}

class TaskRunnable : public QRunnable
{
public:
    TaskRunnable(RemoteTaskRunner *runner, std::shared_ptr<TaskShared> shared, TaskFunction fn)
        : m_runner(runner)
        , m_shared(std::move(shared))
        , m_fn(std::move(fn))
    {
        setAutoDelete(true);
    }

    void run() override
    {
        tsan::acquire(this); // QThreadPool::start() in submit() happens before this
        const qint64 queuedMs = m_shared->sinceSubmit.elapsed();
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->started = true;
            m_shared->runnable = nullptr;
        }
        TaskResult result;
        result.queuedMs = queuedMs;
        if (m_shared->cancel) {
            result.outcome = TaskOutcome::Cancelled;
            finish(result, false);
            return;
        }
        m_runner->markStarted(m_shared->category, queuedMs);
        m_shared->toHandle([h = m_shared->handle] { Q_EMIT h->started(); });

        QElapsedTimer runTimer;
        runTimer.start();
        TaskControl control;
        QTimer deadlineTimer;
        deadlineTimer.setSingleShot(true);
        QObject::connect(&deadlineTimer, &QTimer::timeout, &control, [this, &control] {
            m_shared->timedOut = true;
            Q_EMIT control.cancelRequested();
        });
        TaskContext ctx;
        ctx.m_control = &control;
        ctx.m_shared = m_shared;
        ctx.m_label = m_shared->label;
        ctx.m_deadline = QDeadlineTimer(std::max<qint64>(1, m_shared->deadlineMs));
        deadlineTimer.start(int(std::clamp<qint64>(m_shared->deadlineMs, 1, INT_MAX)));
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->control = &control;
        }
        if (m_shared->cancel) // cancelled between the check above and publishing the control
            QMetaObject::invokeMethod(
                &control, [&control] { Q_EMIT control.cancelRequested(); }, Qt::QueuedConnection);

        Result<QVariant> r = fail(ErrorCode::Internal, QStringLiteral("the task did not run"));
        try {
            r = m_fn(ctx);
        } catch (const std::exception &e) {
            r = fail(ErrorCode::Internal,
                     QStringLiteral("internal error in task %1: %2")
                         .arg(m_shared->label, QString::fromLocal8Bit(e.what())));
        } catch (...) {
            r = fail(ErrorCode::Internal,
                     QStringLiteral("internal error in task %1").arg(m_shared->label));
        }
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->control = nullptr;
        }
        deadlineTimer.stop();
        result.runMs = runTimer.elapsed();
        if (r) {
            result.outcome = TaskOutcome::Succeeded;
            result.value = *r;
        } else if (m_shared->timedOut) {
            result.outcome = TaskOutcome::TimedOut;
            result.error = r.error();
            if (result.error.code != ErrorCode::Timeout) {
                result.error
                    = Error{ErrorCode::Timeout,
                            QStringLiteral("%1 did not finish within %2 s; its remote work "
                                           "was stopped")
                                .arg(m_shared->label)
                                .arg(m_shared->deadlineMs / 1000.0),
                            r.error().message};
            }
        } else if (m_shared->cancel) {
            result.outcome = TaskOutcome::Cancelled;
        } else {
            result.outcome = TaskOutcome::Failed;
            result.error = r.error();
        }
        finish(result, true);
    }

    void finish(const TaskResult &result, bool started)
    {
        m_runner->record(m_shared->category, result, started);
        m_shared->toHandle([h = m_shared->handle, result] { h->deliver(result); });
    }

private:
    RemoteTaskRunner *m_runner;
    std::shared_ptr<TaskShared> m_shared;
    TaskFunction m_fn;
};

RemoteTaskRunner::RemoteTaskRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<aetherv::tasks::TaskResult>();
    setConcurrency(Category::Deployment, 8);
    setConcurrency(Category::Inventory, 16);
    setConcurrency(Category::Diagnostics, 4);
    for (QThreadPool &p : m_pools)
        p.setExpiryTimeout(30000);
}

RemoteTaskRunner::~RemoteTaskRunner()
{
    cancelAll();
    waitForDone();
}

void RemoteTaskRunner::setConcurrency(Category c, int limit)
{
    limit = std::max(1, limit);
    m_pools[int(c)].setMaxThreadCount(limit);
    QMutexLocker lock(&m_mutex);
    m_stats[int(c)].limit = limit;
}

int RemoteTaskRunner::concurrency(Category c) const
{
    return m_pools[int(c)].maxThreadCount();
}

TaskHandle *RemoteTaskRunner::submit(Category c, const QString &label, qint64 deadlineMs,
                                     TaskFunction fn, QObject *parent)
{
    auto shared = std::make_shared<TaskShared>();
    shared->category = c;
    shared->runner = this;
    shared->label = label;
    shared->deadlineMs = deadlineMs;
    shared->sinceSubmit.start();
    auto *handle = new TaskHandle;
    handle->setParent(parent);
    handle->m_shared = shared;
    shared->handle = handle;

    auto *runnable = new TaskRunnable(this, shared, std::move(fn));
    shared->runnable = runnable;
    {
        QMutexLocker lock(&m_mutex);
        ++m_stats[int(c)].queued;
        m_live.removeIf([](const std::weak_ptr<TaskShared> &w) { return w.expired(); });
        m_live.append(shared);
    }
    tsan::release(runnable); // everything above is visible to the pool thread's run()
    m_pools[int(c)].start(runnable);
    return handle;
}

void RemoteTaskRunner::markStarted(Category c, qint64 queuedMs)
{
    QMutexLocker lock(&m_mutex);
    CategoryStats &s = m_stats[int(c)];
    --s.queued;
    ++s.running;
    s.maxQueuedMs = std::max(s.maxQueuedMs, queuedMs);
}

void RemoteTaskRunner::record(Category c, const TaskResult &r, bool started)
{
    QMutexLocker lock(&m_mutex);
    CategoryStats &s = m_stats[int(c)];
    if (started) {
        --s.running;
        s.totalRunMs += r.runMs;
        s.maxRunMs = std::max(s.maxRunMs, r.runMs);
    } else {
        --s.queued;
    }
    switch (r.outcome) {
    case TaskOutcome::Succeeded:
        ++s.succeeded;
        break;
    case TaskOutcome::Failed:
        ++s.failed;
        break;
    case TaskOutcome::Cancelled:
        ++s.cancelled;
        break;
    case TaskOutcome::TimedOut:
        ++s.timedOut;
        break;
    }
}

CategoryStats RemoteTaskRunner::stats(Category c) const
{
    QMutexLocker lock(&m_mutex);
    return m_stats[int(c)];
}

void RemoteTaskRunner::cancelAll()
{
    QList<std::shared_ptr<TaskShared>> live;
    {
        QMutexLocker lock(&m_mutex);
        for (const auto &w : std::as_const(m_live)) {
            if (auto s = w.lock())
                live.append(s);
        }
    }
    for (const auto &s : live)
        cancelTask(s);
}

void RemoteTaskRunner::cancelTask(const std::shared_ptr<TaskShared> &s)
{
    s->requestCancel();
    // A task still waiting for a pool thread is taken out of the queue and reported at once.
    QRunnable *queued = nullptr;
    {
        QMutexLocker lock(&s->mutex);
        if (!s->started)
            queued = s->runnable;
    }
    if (queued && m_pools[int(s->category)].tryTake(queued)) {
        {
            QMutexLocker lock(&s->mutex);
            s->runnable = nullptr;
        }
        auto *runnable = static_cast<TaskRunnable *>(queued);
        TaskResult r;
        r.outcome = TaskOutcome::Cancelled;
        r.queuedMs = s->sinceSubmit.elapsed();
        runnable->finish(r, false);
        delete runnable;
    }
}

bool RemoteTaskRunner::waitForDone(int msecs)
{
    bool ok = true;
    for (QThreadPool &p : m_pools)
        ok = p.waitForDone(msecs) && ok;
    return ok;
}

} // namespace aetherv::tasks
