#pragma once

// Runs aetherv-deploy as a child process for the hardening tests while the test's own event loop
// keeps serving (hostile servers, the simulator's pipes). While the CLI runs, /proc is sampled
// every 25 ms: the CLI's resident memory, and every process's command line for a watched secret.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

namespace aetherv::hardeningtest {

inline QString buildDir()
{
    return qEnvironmentVariable("AETHERV_BUILD_DIR");
}

inline QString cliExecutable()
{
    return buildDir() + QStringLiteral("/app/cli/aetherv-deploy");
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeJson(const QString &path, const QJsonObject &o)
{
    return writeFile(path, QJsonDocument(o).toJson());
}

// A loopback port that was free a moment ago.
inline int loopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// Resident set size of a process in KiB from /proc/<pid>/status (0 when it is gone).
inline qint64 residentKiB(qint64 pid)
{
    const QByteArray status = readFile(QStringLiteral("/proc/%1/status").arg(pid));
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

struct ProcSample
{
    QString pid;
    QByteArray cmdline; // NUL-separated arguments
};

// Every readable /proc/<pid>/cmdline on the machine.
inline QList<ProcSample> sampleCommandLines()
{
    QList<ProcSample> out;
    const QStringList pids
        = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool numeric = false;
        pid.toLongLong(&numeric);
        if (!numeric)
            continue;
        QByteArray cmd = readFile(u"/proc/" + pid + u"/cmdline");
        if (!cmd.isEmpty())
            out.append({pid, std::move(cmd)});
    }
    return out;
}

struct CliResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
    qint64 maxRssKiB = 0; // sampled VmRSS, raised to the peak of all reaped children
    qint64 elapsedMs = 0;
    int cmdlineSamples = 0;      // /proc sweeps made while the CLI ran
    int pwshSeen = 0;            // command lines of pwsh processes inspected
    QStringList secretInCmdline; // "pid: cmdline" of every process whose arguments held the secret

    QString text() const { return QString::fromUtf8(out + err); }
    QList<QJsonObject> jsonLines() const
    {
        QList<QJsonObject> lines;
        for (const QByteArray &l : out.split('\n')) {
            const QJsonDocument d = QJsonDocument::fromJson(l);
            if (d.isObject())
                lines.append(d.object());
        }
        return lines;
    }
};

// Runs the CLI with arguments and extra environment; returns when it exits or after timeoutMs
// (then it is killed and finished stays false). secret, when given, is looked for in the command
// line of every process while the CLI runs.
inline CliResult runCli(const QStringList &arguments, const QProcessEnvironment &environment,
                        int timeoutMs = 120000, const QByteArray &secret = {})
{
    CliResult r;
    QProcess p;
    p.setProcessEnvironment(environment);
    QTimer sampler;
    sampler.setInterval(25);
    QObject::connect(&sampler, &QTimer::timeout, &p, [&] {
        if (p.processId() > 0)
            r.maxRssKiB = std::max(r.maxRssKiB, residentKiB(p.processId()));
        if (secret.isEmpty())
            return;
        ++r.cmdlineSamples;
        for (const ProcSample &s : sampleCommandLines()) {
            if (s.cmdline.contains("pwsh") || s.cmdline.contains("hostsim-worker"))
                ++r.pwshSeen;
            if (s.cmdline.contains(secret))
                r.secretInCmdline.append(s.pid + u": "
                                         + QString::fromUtf8(s.cmdline).replace(QChar(0), u' '));
        }
    });
    QElapsedTimer clock;
    clock.start();
    QSignalSpy done(&p, &QProcess::finished);
    p.start(cliExecutable(), arguments);
    if (!p.waitForStarted(10000))
        return r;
    sampler.start();
    r.finished = done.wait(timeoutMs);
    sampler.stop();
    r.elapsedMs = clock.elapsed();
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    // A fast run can end between two samples: the kernel's peak over every child this process
    // has reaped so far is an upper bound that cannot miss it.
    rusage usage{};
    if (::getrusage(RUSAGE_CHILDREN, &usage) == 0)
        r.maxRssKiB = std::max<qint64>(r.maxRssKiB, usage.ru_maxrss);
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The environment for a CLI run: this process's, a private HOME and the password file.
inline QProcessEnvironment cliEnvironment(const QString &home, const QString &passwordFile)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("HOME"), home);
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), home + u"/.config");
    e.remove(QStringLiteral("AETHERV_WINRM_PASSWORD"));
    e.remove(QStringLiteral("QT_LOGGING_RULES"));
    if (!passwordFile.isEmpty())
        e.insert(QStringLiteral("AETHERV_WINRM_PASSWORD_FILE"), passwordFile);
    return e;
}

// A 0600 password file.
inline bool writePasswordFile(const QString &path, const QByteArray &password)
{
    if (!writeFile(path, password))
        return false;
    return QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

} // namespace aetherv::hardeningtest
