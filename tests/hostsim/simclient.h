#pragma once

// The project's real WinRM client (core/winrm) pointed at aetherv-hostsim: NTLM under Negotiate
// with message encryption over HTTP, as against a Windows host with default settings.
#include "core/winrm/powershellrunner.h"
#include "core/winrm/remotecommand.h"
#include "support/hostsimprocess.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

namespace aetherv::hostsimtest {

struct RunOutcome
{
    winrm::CommandResult result;
    QStringList stdoutLines;
    int finishedCount = 0;
};

inline winrm::ConnectionSettings ntlmSettings(const testsupport::HostSimProcess::Host &host)
{
    winrm::ConnectionSettings s;
    s.host = host.url.host();
    s.port = host.url.port();
    s.path = host.url.path();
    s.auth = winrm::AuthMechanism::Ntlm;
    s.operationTimeout = std::chrono::seconds(5);
    s.commandDeadline = std::chrono::minutes(2);
    return s;
}

// Starts a PowerShellRunner or RemoteCommand job and waits (event loop running) for its end.
template<typename Job>
RunOutcome runToEnd(Job &job, int timeoutMs = 120000)
{
    RunOutcome out;
    QObject::connect(&job, &Job::outputLine, &job,
                     [&out](winrm::OutputStream stream, const QString &line) {
                         if (stream == winrm::OutputStream::Stdout)
                             out.stdoutLines.append(line);
                     });
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    if (finished.isEmpty())
        finished.wait(timeoutMs);
    out.finishedCount = int(finished.count());
    out.result = job.result();
    return out;
}

// UTF-16LE base64, as powershell.exe -EncodedCommand expects.
inline QString encodedCommand(const QString &script)
{
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(script.utf16()), script.size() * 2).toBase64());
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(content) == content.size();
}

} // namespace aetherv::hostsimtest
