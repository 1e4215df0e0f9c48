#pragma once

#include "core/common/credentials.h"
#include "core/deploy/remotescriptexecutor.h"
#include "core/winrm/connectionsettings.h"

#include <functional>
#include <memory>

namespace aetherv::config {
struct Profile;
}

namespace aetherv::deploy {

// Runs the remote scripts (:/powershell/<name>) over WinRM with PowerShellRunner: the script and
// its JSON parameters travel on stdin, stdout lines are parsed as they arrive (progress events
// reach the caller at once), and cancellation or the task deadline stops the command (Signal +
// Delete) before run() returns.
class WinRmScriptExecutor : public RemoteScriptExecutor
{
public:
    using SettingsFor = std::function<winrm::ConnectionSettings(const QString &host)>;
    WinRmScriptExecutor(SettingsFor settingsFor, Credentials credentials);

    Result<QJsonObject> run(const QString &host, const QString &scriptName,
                            const QJsonObject &parameters,
                            const std::function<void(const QJsonObject &)> &onProgress,
                            tasks::TaskContext &ctx) override;

    // The text of a compiled-in remote script, or an empty string.
    static QString scriptText(const QString &scriptName);

private:
    SettingsFor m_settingsFor;
    Credentials m_credentials;
};

// Connection settings for one host of a profile (transport, port, auth, SPN, TLS, timeouts).
winrm::ConnectionSettings connectionSettingsFor(const config::Profile &profile,
                                                const QString &host);

std::shared_ptr<RemoteScriptExecutor> makeWinRmExecutor(const config::Profile &profile,
                                                        const Credentials &credentials);

} // namespace aetherv::deploy
