#include "core/winrm/powershellrunner.h"

#include "core/winrm/auth/ntlmcrypto.h"

#include <QJsonDocument>

namespace aetherv::winrm {

namespace {

CommandSpec specFor(const QString &script, const QJsonObject &parameters)
{
    CommandSpec spec;
    spec.command = PowerShellRunner::executable();
    spec.arguments = PowerShellRunner::arguments();
    spec.stdinData = PowerShellRunner::stdinPayload(script, parameters);
    return spec;
}

} // namespace

QString PowerShellRunner::bootstrapScript()
{
    // Line 1 of stdin: base64 UTF-8 JSON parameters; line 2: base64 UTF-8 script. Base64 keeps
    // stdin ASCII whatever the console input code page is. Terminating errors leave exit code 1
    // with their text on stderr; "exit N" in the script sets the exit code.
    return QStringLiteral(
        "$ProgressPreference='SilentlyContinue'\n"
        "$e=New-Object System.Text.UTF8Encoding $false\n"
        "try{[Console]::OutputEncoding=$e}catch{}\n"
        "$i=[Console]::In\n"
        "$l=@($i.ReadLine(),$i.ReadLine())\n"
        "if(-not $l[1]){[Console]::Error.WriteLine('Aether-V bootstrap: the script did not "
        "arrive on stdin');exit 254}\n"
        "try{$p=$e.GetString([Convert]::FromBase64String($l[0]))\n"
        "$s=$e.GetString([Convert]::FromBase64String($l[1]))\n"
        "& ([ScriptBlock]::Create($s)) $p}catch{[Console]::Error.WriteLine(($_|Out-String));"
        "exit 1}\n"
        "exit 0\n");
}

QStringList PowerShellRunner::arguments()
{
    const QByteArray encoded = ntlm::utf16le(bootstrapScript()).toBase64();
    return {QStringLiteral("-NoLogo"),         QStringLiteral("-NoProfile"),
            QStringLiteral("-NonInteractive"), QStringLiteral("-ExecutionPolicy"),
            QStringLiteral("Bypass"),          QStringLiteral("-EncodedCommand"),
            QString::fromLatin1(encoded)};
}

QByteArray PowerShellRunner::stdinPayload(const QString &script, const QJsonObject &parameters)
{
    const QByteArray json = QJsonDocument(parameters).toJson(QJsonDocument::Compact);
    return json.toBase64() + "\r\n" + script.toUtf8().toBase64() + "\r\n";
}

PowerShellRunner::PowerShellRunner(const ConnectionSettings &settings,
                                   const Credentials &credentials, const QString &script,
                                   const QJsonObject &parameters, QObject *parent)
    : QObject(parent)
    , m_command(new RemoteCommand(settings, credentials, specFor(script, parameters), this))
{
    wire();
}

PowerShellRunner::PowerShellRunner(WsmanTransport *transport, const ConnectionSettings &settings,
                                   const QString &script, const QJsonObject &parameters,
                                   QObject *parent)
    : QObject(parent)
    , m_command(new RemoteCommand(transport, settings, specFor(script, parameters), this))
{
    wire();
}

void PowerShellRunner::wire()
{
    connect(m_command, &RemoteCommand::outputLine, this,
            [this](OutputStream stream, const QString &line) {
                if (m_callback)
                    m_callback(stream, line);
                emit outputLine(stream, line);
            });
    connect(m_command, &RemoteCommand::finished, this,
            [this](const CommandResult &result) { emit finished(result); });
}

void PowerShellRunner::start()
{
    m_command->start();
}

void PowerShellRunner::cancel()
{
    m_command->cancel();
}

bool PowerShellRunner::isFinished() const
{
    return m_command->isFinished();
}

const CommandResult &PowerShellRunner::result() const
{
    return m_command->result();
}

} // namespace aetherv::winrm
