#pragma once

#include "hostsimoptions.h"
#include "userdirectory.h"

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSocketNotifier>

#include <optional>

namespace aetherv::hostsim {

class SimHost;
class WorkerPool;

// The aetherv-hostsim program: starts the workers and hosts, prints the ready line, reloads the
// faults file on SIGHUP or when it changes.
class HostSimApp : public QObject
{
    Q_OBJECT

public:
    explicit HostSimApp(HostSimOptions options, QObject *parent = nullptr);
    ~HostSimApp() override;

    Result<void> start();

private:
    void onWorkersReady();
    void reloadFaults(const char *why);
    void installSignalHandlers();
    bool writeQuotas(const QByteArray &lines);
    void announce(const QJsonObject &event);

    HostSimOptions m_options;
    std::optional<UserDirectory> m_users;
    WorkerPool *m_pool = nullptr;
    QList<SimHost *> m_hosts;
    QFileSystemWatcher m_watcher;
    QSocketNotifier *m_signalNotifier = nullptr;
    QString m_quotaFile; // "<bytes>\t<canonical C: root>" lines for the quota library
    QElapsedTimer m_startup;
    bool m_announced = false;
};

} // namespace aetherv::hostsim
