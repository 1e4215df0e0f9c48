#pragma once

#include "core/common/result.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QVariant>

#include <atomic>
#include <functional>
#include <memory>

namespace aetherv::tasks {

enum class Category { Deployment, Inventory, Diagnostics };
QString categoryName(Category c);

enum class TaskOutcome { Succeeded, Failed, Cancelled, TimedOut };
QString outcomeName(TaskOutcome o);

struct TaskResult
{
    TaskOutcome outcome = TaskOutcome::Failed;
    Error error;    // meaningful for Failed / TimedOut
    QVariant value; // what the task produced
    qint64 queuedMs = 0;
    qint64 runMs = 0;
};

class TaskControl;

// Handed to a task's work function, on the pool thread that runs it. The function may run that
// thread's own event loop for its whole life (it owns its QNetworkAccessManager there). When the
// task is cancelled or passes its deadline, cancelRequested() fires on that thread; the function
// must then stop its remote work (Signal + Delete the shell) and return — the pool slot is freed
// only when it returns.
class TaskContext
{
public:
    bool isCancelRequested() const;
    bool deadlinePassed() const;
    QDeadlineTimer deadline() const { return m_deadline; }
    QString label() const { return m_label; }
    // The QObject (living on the task's thread) whose cancelRequested() signal to connect to.
    TaskControl *control() const { return m_control; }
    // Sends a progress value to the TaskHandle's thread (queued).
    void reportProgress(const QVariant &value) const;

private:
    friend class RemoteTaskRunner;
    friend class TaskRunnable;
    TaskControl *m_control = nullptr;
    QDeadlineTimer m_deadline;
    QString m_label;
    std::shared_ptr<struct TaskShared> m_shared;
};

class TaskControl : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void cancelRequested();
};

using TaskFunction = std::function<Result<QVariant>(TaskContext &)>;

// The caller's side of one task: lives on the thread that submitted it. Emits finished() exactly
// once, whatever happens (success, failure, cancel before or after start, deadline).
class TaskHandle : public QObject
{
    Q_OBJECT
public:
    ~TaskHandle() override;
    void cancel();
    QString label() const;
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void started();
    void progress(const QVariant &value);
    void finished(const aetherv::tasks::TaskResult &result);

private:
    friend class RemoteTaskRunner;
    friend class TaskRunnable;
    TaskHandle() = default;
    void deliver(const TaskResult &result);
    std::shared_ptr<struct TaskShared> m_shared;
    bool m_finished = false;
};

struct CategoryStats
{
    int limit = 0;
    int queued = 0;
    int running = 0;
    quint64 succeeded = 0;
    quint64 failed = 0;
    quint64 timedOut = 0;
    quint64 cancelled = 0;
    qint64 totalRunMs = 0;
    qint64 maxRunMs = 0;
    qint64 maxQueuedMs = 0;
    quint64 completed() const { return succeeded + failed + timedOut + cancelled; }
};

// One QThreadPool per category whose thread count is the category's concurrency limit; every
// task has a deadline and can be cancelled. Thread-safe.
class RemoteTaskRunner : public QObject
{
    Q_OBJECT
public:
    explicit RemoteTaskRunner(QObject *parent = nullptr);
    ~RemoteTaskRunner() override; // cancels everything and waits for the pools

    void setConcurrency(Category c, int limit);
    int concurrency(Category c) const;

    // Queues `fn`; the returned handle belongs to the caller (deleted with `parent`, or by the
    // caller after finished()). `deadlineMs` bounds the run time, counted from the moment a
    // pool thread starts the task (time spent queued behind the concurrency limit is not charged).
    TaskHandle *submit(Category c, const QString &label, qint64 deadlineMs, TaskFunction fn,
                       QObject *parent = nullptr);

    CategoryStats stats(Category c) const;
    void cancelAll();
    // Blocks until every pool is idle; for shutdown and tests (never on the GUI thread).
    bool waitForDone(int msecs = -1);

private:
    friend class TaskRunnable;
    friend class TaskHandle;
    void record(Category c, const TaskResult &r, bool started);
    void cancelTask(const std::shared_ptr<struct TaskShared> &shared);
    void markStarted(Category c, qint64 queuedMs);

    QThreadPool m_pools[3];
    mutable QMutex m_mutex;
    CategoryStats m_stats[3];
    QList<std::weak_ptr<struct TaskShared>> m_live;
};

} // namespace aetherv::tasks

Q_DECLARE_METATYPE(aetherv::tasks::TaskResult)
