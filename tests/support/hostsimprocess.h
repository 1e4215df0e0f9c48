#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace aetherv::testsupport {

// Starts aetherv-hostsim for a test, waits for its ready line and exposes each host's endpoint.
// The process is terminated when the object goes away.
class HostSimProcess
{
public:
    struct Host
    {
        QString name;
        QUrl url;
        QString driveRoot; // the host's C: on disk
    };

    HostSimProcess();
    ~HostSimProcess();
    HostSimProcess(const HostSimProcess &) = delete;
    HostSimProcess &operator=(const HostSimProcess &) = delete;

    // Path of the executable: $AETHERV_HOSTSIM, else
    // <AETHERV_BUILD_DIR>/tests/hostsim/aetherv-hostsim.
    static QString executable();

    // Starts with the given options (e.g. {"--hosts","2","--root",dir,"--users",file}); returns
    // false with errorString() when it exits or stays silent for timeoutMs.
    bool start(const QStringList &arguments, int timeoutMs = 60000,
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    void stop();

    // Asks the simulator to reread its faults file (SIGHUP) and waits for its answer: false
    // with errorString() when the file was refused (the faults in effect stay) or no answer came.
    bool reloadFaults(int timeoutMs = 10000);

    const QList<Host> &hosts() const { return m_hosts; }
    Host host(const QString &name) const;
    QString errorString() const { return m_error; }
    // Everything the simulator logged (stderr) since start().
    QString stderrText();
    qint64 processId() const { return m_process.processId(); }

private:
    bool waitForEvent(const QString &event, int timeoutMs, QByteArray *line);
    bool waitForEvent(const std::function<bool(const QJsonObject &)> &match, int timeoutMs,
                      QByteArray *line);

    QProcess m_process;
    QList<Host> m_hosts;
    QString m_error;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderr;
};

} // namespace aetherv::testsupport
