#include "workerpool.h"

#include "hostsimlog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

WorkerPool::WorkerPool(QString pwsh, QString script, QString assembly, int count, QObject *parent)
    : QObject(parent)
    , m_pwsh(std::move(pwsh))
    , m_script(std::move(script))
    , m_assembly(std::move(assembly))
{
    for (int i = 0; i < count; ++i) {
        auto worker = std::make_shared<Worker>();
        worker->index = i;
        m_workers << worker;
    }
}

WorkerPool::~WorkerPool()
{
    m_shuttingDown = true;
    for (const auto &worker : std::as_const(m_workers)) {
        if (!worker->process)
            continue;
        worker->process->disconnect(this);
        worker->process->closeWriteChannel(); // the worker stops its commands and exits on EOF
        if (!worker->process->waitForFinished(3000))
            worker->process->kill();
        worker->process->waitForFinished(1000);
    }
}

void WorkerPool::setPreload(const QString &library, const QString &quotaFile)
{
    m_preload = library;
    m_quotaFile = quotaFile;
}

void WorkerPool::start()
{
    for (int i = 0; i < m_workers.size(); ++i)
        launch(i);
}

QList<qint64> WorkerPool::processIds() const
{
    QList<qint64> pids;
    for (const auto &worker : m_workers)
        if (worker->process && worker->process->processId() > 0)
            pids << worker->process->processId();
    return pids;
}

void WorkerPool::launch(int index)
{
    auto &worker = *m_workers[index];
    worker.buffer.clear();
    worker.ready = false;
    worker.running = 0;
    auto *process = new QProcess(this);
    worker.process = process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"POWERSHELL_TELEMETRY_OPTOUT"_s, u"1"_s);
    env.insert(u"POWERSHELL_UPDATECHECK"_s, u"Off"_s);
    env.insert(u"NO_COLOR"_s, u"1"_s);
    env.insert(u"TERM"_s, u"dumb"_s);
    // Garbage collection tuned for many small runspaces in few processes.
    env.insert(u"DOTNET_gcServer"_s, u"0"_s);
    env.insert(u"DOTNET_GCConserveMemory"_s, u"5"_s);
    if (!m_preload.isEmpty()) {
        const QString existing = env.value(u"LD_PRELOAD"_s);
        env.insert(u"LD_PRELOAD"_s, existing.isEmpty() ? m_preload : m_preload + u':' + existing);
        env.insert(u"AETHERV_HOSTSIM_QUOTA_FILE"_s, m_quotaFile);
    }
    process->setProcessEnvironment(env);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(process, &QProcess::readyReadStandardOutput, this, [this, index] { onOutput(index); });
    connect(process, &QProcess::finished, this, [this, index] { onFinished(index); });
    connect(process, &QProcess::errorOccurred, this, [this, index](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onFinished(index);
    });
    process->start(m_pwsh, {u"-NoProfile"_s, u"-NonInteractive"_s, u"-File"_s, m_script,
                            u"-Assembly"_s, m_assembly});
}

void WorkerPool::onOutput(int index)
{
    auto &worker = *m_workers[index];
    worker.buffer += worker.process->readAllStandardOutput();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = worker.buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        handleLine(index, worker.buffer.mid(start, nl - start));
        start = nl + 1;
    }
    worker.buffer.remove(0, start);
}

void WorkerPool::handleLine(int index, const QByteArray &line)
{
    auto &worker = *m_workers[index];
    QJsonParseError error;
    const QJsonObject msg = QJsonDocument::fromJson(line, &error).object();
    if (error.error != QJsonParseError::NoError) {
        qCWarning(lcHostSim) << "worker" << index
                             << "sent a line that is not JSON:" << line.left(200);
        return;
    }
    const QString ev = msg.value(u"ev"_s).toString();
    const quint64 id = quint64(msg.value(u"id"_s).toInteger());
    if (ev == u"out") {
        const auto it = m_jobs.constFind(id);
        if (it == m_jobs.cend() || !it->callbacks.output)
            return;
        const QByteArray data = QByteArray::fromBase64(msg.value(u"data"_s).toString().toLatin1());
        it->callbacks.output(msg.value(u"stream"_s).toString() == u"stderr", data);
    } else if (ev == u"exit") {
        const Job job = m_jobs.take(id);
        if (job.worker >= 0)
            --m_workers[job.worker]->running;
        if (job.callbacks.finished)
            job.callbacks.finished(msg.value(u"code"_s).toInt());
    } else if (ev == u"ready") {
        worker.ready = true;
        ++m_readyCount;
        qCInfo(lcHostSim) << "pwsh worker" << index << "ready, pid"
                          << msg.value(u"pid"_s).toInteger();
        if (isReady())
            emit ready();
    } else if (ev == u"log") {
        qCWarning(lcHostSim).noquote() << "worker" << index << msg.value(u"message"_s).toString();
    }
}

void WorkerPool::onFinished(int index)
{
    auto &worker = *m_workers[index];
    if (!worker.process)
        return;
    const QString message = u"pwsh worker %1 exited (%2)"_s.arg(index).arg(
        worker.process->exitStatus() == QProcess::CrashExit
            ? u"crashed"_s
            : u"code %1"_s.arg(worker.process->exitCode()));
    worker.process->deleteLater();
    worker.process = nullptr;
    if (worker.ready)
        --m_readyCount;
    if (m_shuttingDown)
        return;
    qCWarning(lcHostSim).noquote() << message;
    emit workerFailed(message);
    // Commands that ran there end the way a killed process ends on Windows.
    const auto ids = m_jobs.keys();
    for (quint64 id : ids) {
        if (m_jobs.value(id).worker != index)
            continue;
        const Job job = m_jobs.take(id);
        if (job.callbacks.output)
            job.callbacks.output(true,
                                 "The simulated PowerShell process terminated unexpectedly.\r\n");
        if (job.callbacks.finished)
            job.callbacks.finished(-1073741819); // STATUS_ACCESS_VIOLATION
    }
    launch(index);
}

void WorkerPool::send(int index, const QByteArray &json)
{
    auto *process = m_workers[index]->process;
    if (process)
        process->write(json + '\n');
}

quint64 WorkerPool::startCommand(const WorkerCommand &command, Callbacks callbacks)
{
    int best = 0;
    for (int i = 1; i < m_workers.size(); ++i)
        if (m_workers[i]->running < m_workers[best]->running)
            best = i;
    const quint64 id = m_nextId++;
    m_jobs.insert(id, Job{best, std::move(callbacks)});
    ++m_workers[best]->running;

    QJsonObject env;
    for (auto it = command.environment.cbegin(); it != command.environment.cend(); ++it)
        env.insert(it.key(), it.value());
    const QJsonObject msg{
        {u"op"_s, u"start"_s},
        {u"id"_s, qint64(id)},
        {u"host"_s, command.host},
        {u"root"_s, command.root},
        {u"user"_s, command.user},
        {u"domain"_s, command.domain},
        {u"mode"_s, command.fromStdin ? u"stdin"_s : u"script"_s},
        {u"script"_s, command.script},
        {u"cwd"_s, command.workingDirectory},
        {u"clixml"_s, command.clixmlErrors},
        {u"env"_s, env},
    };
    send(best, QJsonDocument(msg).toJson(QJsonDocument::Compact));
    return id;
}

void WorkerPool::sendStdin(quint64 id, const QByteArray &data, bool end)
{
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.cend())
        return;
    const QJsonObject msg{{u"op"_s, u"stdin"_s},
                          {u"id"_s, qint64(id)},
                          {u"data"_s, QString::fromLatin1(data.toBase64())},
                          {u"end"_s, end}};
    send(it->worker, QJsonDocument(msg).toJson(QJsonDocument::Compact));
}

void WorkerPool::stop(quint64 id, int exitCode)
{
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.cend())
        return;
    const QJsonObject msg{{u"op"_s, u"stop"_s}, {u"id"_s, qint64(id)}, {u"exitCode"_s, exitCode}};
    send(it->worker, QJsonDocument(msg).toJson(QJsonDocument::Compact));
}

void WorkerPool::discard(quint64 id)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    it->callbacks = {};
    stop(id, 1);
}

} // namespace aetherv::hostsim
