#pragma once

#include "core/winrm/remotecommand.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

// Runs a PowerShell script of any length on a host: a short -EncodedCommand bootstrap (far below
// cmd.exe's 8191 characters) reads one JSON parameter document and the real script from stdin,
// which travels in Send chunks sized from MaxEnvelopeSize. The script is invoked as a script
// block with the JSON text as its only argument (param([string]$ParametersJson)). Output lines
// arrive through outputLine / the line callback as the host produces them.
namespace aetherv::winrm {

class PowerShellRunner : public QObject
{
    Q_OBJECT

public:
    using LineCallback = std::function<void(OutputStream, const QString &)>;

    PowerShellRunner(const ConnectionSettings &settings, const Credentials &credentials,
                     const QString &script, const QJsonObject &parameters = {},
                     QObject *parent = nullptr);
    // With a caller-provided transport (not owned), e.g. a fake in tests.
    PowerShellRunner(WsmanTransport *transport, const ConnectionSettings &settings,
                     const QString &script, const QJsonObject &parameters = {},
                     QObject *parent = nullptr);

    void setLineCallback(LineCallback callback) { m_callback = std::move(callback); }
    void start();
    void cancel();
    bool isFinished() const;
    const CommandResult &result() const;
    const RemoteCommand &command() const { return *m_command; }

    // The pieces, public for tests and for the CLI's diagnostics.
    static QString bootstrapScript();
    static QString executable() { return QStringLiteral("powershell.exe"); }
    static QStringList arguments();
    static QByteArray stdinPayload(const QString &script, const QJsonObject &parameters);

signals:
    void outputLine(aetherv::winrm::OutputStream stream, const QString &line);
    void finished(const aetherv::winrm::CommandResult &result);

private:
    void wire();

    RemoteCommand *m_command = nullptr;
    LineCallback m_callback;
};

} // namespace aetherv::winrm
