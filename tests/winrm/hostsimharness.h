#pragma once

// Starts aetherv-hostsim for a test and reads its "ready" line; keeps its log for assertions.
#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <csignal>

struct SimHostInfo
{
    QString name;
    QString url;
};

class HostSimHarness
{
public:
    HostSimHarness() = default;
    ~HostSimHarness() { stop(); }

    bool start(const QStringList &arguments,
               const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        const QString exe = qEnvironmentVariable("AETHERV_HOSTSIM");
        if (exe.isEmpty() || !m_dir.isValid())
            return false;
        m_process.setProcessEnvironment(env);
        m_process.setProgram(exe);
        m_process.setArguments(QStringList{QStringLiteral("--root"),
                                           m_dir.filePath(QStringLiteral("root")),
                                           QStringLiteral("--base-port"), QStringLiteral("0"),
                                           QStringLiteral("--workers"), QStringLiteral("1")}
                               + arguments);
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        QByteArray out;
        while (!out.contains('\n')) {
            if (!m_process.waitForReadyRead(60000))
                return false;
            out += m_process.readAllStandardOutput();
        }
        const QJsonObject ready = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
        if (ready.value(QStringLiteral("event")).toString() != u"ready")
            return false;
        for (const QJsonValue &h : ready.value(QStringLiteral("hosts")).toArray())
            hosts.append(
                {h[QStringLiteral("name")].toString(), h[QStringLiteral("url")].toString()});
        return !hosts.isEmpty();
    }

    // Everything the simulator logged so far (stderr).
    QString log()
    {
        m_log += QString::fromUtf8(m_process.readAllStandardError());
        return m_log;
    }

    // Makes the simulator reread its faults file now (SIGHUP) and waits until it did.
    bool reloadFaults()
    {
        const qsizetype before = log().count(QStringLiteral("faults loaded ( SIGHUP )"));
        if (::kill(static_cast<pid_t>(m_process.processId()), SIGHUP) != 0)
            return false;
        QElapsedTimer clock;
        clock.start();
        while (log().count(QStringLiteral("faults loaded ( SIGHUP )")) == before) {
            if (clock.elapsed() > 10000 || !m_process.waitForReadyRead(200))
                if (clock.elapsed() > 10000)
                    return false;
        }
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }

    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QList<SimHostInfo> hosts;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_log;
};

#include "core/winrm/powershellrunner.h"

#include <QSignalSpy>
#include <QTest>

// Runs a script to its end (bounded by `timeoutMs`) and returns the result and every line.
struct RunOutcome
{
    aetherv::winrm::CommandResult result;
    QStringList stdoutLines;
    QStringList stderrLines;
    int finishedCount = 0;
};

inline aetherv::winrm::ConnectionSettings settingsFor(const SimHostInfo &host,
                                                      aetherv::winrm::AuthMechanism auth)
{
    const QUrl url(host.url);
    aetherv::winrm::ConnectionSettings s;
    s.host = url.host();
    s.port = url.port();
    s.https = url.scheme() == u"https";
    s.path = url.path();
    s.auth = auth;
    s.operationTimeout = std::chrono::seconds(5);
    s.commandDeadline = std::chrono::minutes(2);
    return s;
}
