#include "hostsimprocess.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>

namespace aetherv::testsupport {

using namespace Qt::StringLiterals;

HostSimProcess::HostSimProcess()
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
}

HostSimProcess::~HostSimProcess()
{
    stop();
}

QString HostSimProcess::executable()
{
    const QString explicitPath = qEnvironmentVariable("AETHERV_HOSTSIM");
    if (!explicitPath.isEmpty())
        return explicitPath;
    return qEnvironmentVariable("AETHERV_BUILD_DIR") + u"/tests/hostsim/aetherv-hostsim"_s;
}

bool HostSimProcess::waitForEvent(const QString &event, int timeoutMs, QByteArray *line)
{
    return waitForEvent(
        [&event](const QJsonObject &o) { return o.value(u"event"_s).toString() == event; },
        timeoutMs, line);
}

bool HostSimProcess::waitForEvent(const std::function<bool(const QJsonObject &)> &match,
                                  int timeoutMs, QByteArray *line)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const qsizetype nl = m_stdoutBuffer.indexOf('\n');
        if (nl >= 0) {
            const QByteArray candidate = m_stdoutBuffer.left(nl);
            m_stdoutBuffer.remove(0, nl + 1);
            const QJsonObject object = QJsonDocument::fromJson(candidate).object();
            if (match(object)) {
                *line = candidate;
                return true;
            }
            continue;
        }
        if (m_process.state() == QProcess::NotRunning) {
            m_error = u"aetherv-hostsim exited: "_s + stderrText();
            return false;
        }
        if (deadline.hasExpired()) {
            m_error = u"aetherv-hostsim did not report the expected event in time"_s;
            return false;
        }
        // Blocking here is the point: the test thread waits for the child's output line.
        if (m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            m_stdoutBuffer += m_process.readAllStandardOutput();
    }
}

bool HostSimProcess::start(const QStringList &arguments, int timeoutMs,
                           const QProcessEnvironment &environment)
{
    stop();
    m_error.clear();
    m_hosts.clear();
    m_stdoutBuffer.clear();
    m_stderr.clear();
    m_process.setProcessEnvironment(environment);
    m_process.start(executable(), arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = u"cannot start %1: %2"_s.arg(executable(), m_process.errorString());
        return false;
    }
    QByteArray line;
    if (!waitForEvent(u"ready"_s, timeoutMs, &line))
        return false;
    const QJsonArray hosts = QJsonDocument::fromJson(line).object().value(u"hosts"_s).toArray();
    for (const QJsonValue &value : hosts) {
        const QJsonObject o = value.toObject();
        m_hosts.append({o.value(u"name"_s).toString(), QUrl(o.value(u"url"_s).toString()),
                        o.value(u"root"_s).toString()});
    }
    if (m_hosts.isEmpty()) {
        m_error = u"aetherv-hostsim reported no hosts"_s;
        return false;
    }
    return true;
}

bool HostSimProcess::reloadFaults(int timeoutMs)
{
    if (m_process.state() != QProcess::Running)
        return false;
    ::kill(pid_t(m_process.processId()), SIGHUP);
    // Only the answer to this SIGHUP: the file watcher may have reloaded (and reported) too.
    QByteArray line;
    if (!waitForEvent(
            [](const QJsonObject &o) {
                const QString event = o.value(u"event"_s).toString();
                return (event == u"faults-loaded"_s || event == u"faults-rejected"_s)
                       && o.value(u"reason"_s).toString() == u"SIGHUP"_s;
            },
            timeoutMs, &line))
        return false;
    const QJsonObject answer = QJsonDocument::fromJson(line).object();
    if (answer.value(u"event"_s).toString() == u"faults-rejected"_s) {
        m_error = answer.value(u"error"_s).toString();
        return false;
    }
    return true;
}

void HostSimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString HostSimProcess::stderrText()
{
    m_stderr += m_process.readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

HostSimProcess::Host HostSimProcess::host(const QString &name) const
{
    for (const Host &h : m_hosts)
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h;
    return {};
}

} // namespace aetherv::testsupport
