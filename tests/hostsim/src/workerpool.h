#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QProcess>
#include <QString>

#include <functional>
#include <memory>

namespace aetherv::hostsim {

// What one command needs to run in a worker.
struct WorkerCommand
{
    QString host;
    QString root; // absolute path of the host's C: drive
    QString user;
    QString domain;
    bool fromStdin = false;
    QString script;
    QString workingDirectory;
    bool clixmlErrors = false;
    QMap<QString, QString> environment;
};

// A small pool of long-lived pwsh processes; each runs many commands at once, one runspace each
// (see worker/Worker.cs). Commands go to the worker with the fewest running commands.
class WorkerPool : public QObject
{
    Q_OBJECT

public:
    struct Callbacks
    {
        std::function<void(bool isStderr, const QByteArray &data)> output;
        std::function<void(int exitCode)> finished;
    };

    WorkerPool(QString pwsh, QString script, QString assembly, int count,
               QObject *parent = nullptr);
    ~WorkerPool() override;

    // Workers preload `library` (the disk quota shim), which reads its quotas from `quotaFile`.
    void setPreload(const QString &library, const QString &quotaFile);
    void start();
    bool isReady() const { return m_readyCount == m_workers.size(); }

    quint64 startCommand(const WorkerCommand &command, Callbacks callbacks);
    void sendStdin(quint64 id, const QByteArray &data, bool end);
    void stop(quint64 id, int exitCode);
    // Forgets the callbacks of a command whose owner is gone; the command is stopped.
    void discard(quint64 id);

    int runningCommands() const { return int(m_jobs.size()); }
    QList<qint64> processIds() const;

signals:
    void ready();
    void workerFailed(const QString &message);

private:
    struct Worker
    {
        QProcess *process = nullptr;
        QByteArray buffer;
        bool ready = false;
        int running = 0;
        int index = 0;
    };
    struct Job
    {
        int worker = -1;
        Callbacks callbacks;
    };

    void launch(int index);
    void onOutput(int index);
    void onFinished(int index);
    void handleLine(int index, const QByteArray &line);
    void send(int index, const QByteArray &json);

    QString m_pwsh;
    QString m_script;
    QString m_assembly;
    QString m_preload;
    QString m_quotaFile;
    QList<std::shared_ptr<Worker>> m_workers;
    QHash<quint64, Job> m_jobs;
    quint64 m_nextId = 1;
    int m_readyCount = 0;
    bool m_shuttingDown = false;
};

} // namespace aetherv::hostsim
