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
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const qsizetype nl = m_stdoutBuffer.indexOf('\n');
        if (nl >= 0) {
            const QByteArray candidate = m_stdoutBuffer.left(nl);
            m_stdoutBuffer.remove(0, nl + 1);
            const QJsonObject object = QJsonDocument::fromJson(candidate).object();
            if (object.value(u"event"_s).toString() == event) {
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
            m_error = u"aetherv-hostsim did not report '%1' in time"_s.arg(event);
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
    QByteArray line;
    return waitForEvent(u"faults-loaded"_s, timeoutMs, &line);
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

QString HostSimProcess::stderrText() const
{
    return QString::fromUtf8(const_cast<QProcess &>(m_process).readAllStandardError());
}

HostSimProcess::Host HostSimProcess::host(const QString &name) const
{
    for (const Host &h : m_hosts)
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h;
    return {};
}

} // namespace aetherv::testsupport
