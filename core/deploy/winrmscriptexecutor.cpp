#include "core/deploy/winrmscriptexecutor.h"

#include "core/config/profile.h"
#include "core/tasks/remotetaskrunner.h"
#include "core/winrm/powershellrunner.h"

#include <QEventLoop>
#include <QFile>

namespace aetherv::deploy {

WinRmScriptExecutor::WinRmScriptExecutor(SettingsFor settingsFor, Credentials credentials)
    : m_settingsFor(std::move(settingsFor))
    , m_credentials(std::move(credentials))
{}

QString WinRmScriptExecutor::scriptText(const QString &scriptName)
{
    QFile f(QStringLiteral(":/powershell/") + scriptName);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

Result<QJsonObject> WinRmScriptExecutor::run(
    const QString &host, const QString &scriptName, const QJsonObject &parameters,
    const std::function<void(const QJsonObject &)> &onProgress, tasks::TaskContext &ctx)
{
    const QString script = scriptText(scriptName);
    if (script.isEmpty()) {
        return fail(
            ErrorCode::Internal,
            QStringLiteral("the remote script %1 is not built into this program").arg(scriptName));
    }
    if (ctx.isCancelRequested())
        return fail(ErrorCode::Cancelled, QStringLiteral("cancelled"));

    winrm::ConnectionSettings settings = m_settingsFor(host);
    // The task's own deadline bounds the command too (the runner signals it on expiry).
    const qint64 remaining = ctx.deadline().remainingTime();
    if (remaining > 0
        && (settings.commandDeadline.count() == 0
            || settings.commandDeadline.count() > remaining)) {
        settings.commandDeadline = std::chrono::milliseconds(remaining);
    }
    winrm::PowerShellRunner runner(settings, m_credentials, script, parameters);
    ScriptOutputParser parser(scriptName, onProgress);
    runner.setLineCallback([&parser](winrm::OutputStream stream, const QString &line) {
        if (stream == winrm::OutputStream::Stdout)
            parser.feed(QByteArray(line.toUtf8() + '\n'));
    });
    QEventLoop loop;
    QObject::connect(&runner, &winrm::PowerShellRunner::finished, &loop, &QEventLoop::quit);
    QObject::connect(ctx.control(), &tasks::TaskControl::cancelRequested, &runner,
                     &winrm::PowerShellRunner::cancel);
    runner.start();
    if (!runner.isFinished())
        loop.exec();
    const winrm::CommandResult &r = runner.result();
    if (r.outcome == winrm::JobOutcome::Cancelled)
        return fail(ErrorCode::Cancelled,
                    QStringLiteral("cancelled; the remote command was stopped"));
    if (r.outcome == winrm::JobOutcome::Failed)
        return std::unexpected(r.error);
    return parser.finish(int(r.exitCode.value_or(-1)), r.stderrText);
}

winrm::ConnectionSettings connectionSettingsFor(const config::Profile &profile, const QString &host)
{
    winrm::ConnectionSettings s;
    int port = 0;
    for (const config::HostEntry &h : profile.hosts) {
        if (h.address.compare(host, Qt::CaseInsensitive) == 0 || h.toString() == host) {
            s.host = h.address;
            port = profile.winrmPort(h);
            break;
        }
    }
    if (s.host.isEmpty()) {
        const auto parsed = config::HostEntry::parse(host);
        s.host = parsed ? parsed->address : host;
        port = parsed ? profile.winrmPort(*parsed) : profile.winrm.effectivePort();
    }
    s.port = port;
    s.https = profile.winrm.transport == config::WinRmTransport::Https;
    switch (profile.winrm.auth) {
    case config::WinRmAuth::Negotiate:
        s.auth = winrm::AuthMechanism::Negotiate;
        break;
    case config::WinRmAuth::Ntlm:
        s.auth = winrm::AuthMechanism::Ntlm;
        break;
    case config::WinRmAuth::Kerberos:
        s.auth = winrm::AuthMechanism::Kerberos;
        break;
    case config::WinRmAuth::Basic:
        s.auth = winrm::AuthMechanism::Basic;
        break;
    }
    s.spnService = profile.winrm.spnService;
    s.spnTargetName = profile.winrm.spnTargetOverride;
    s.delegation = profile.winrm.kerberosDelegation;
    s.caFile = profile.winrm.caFile;
    s.ignoreTlsErrors = profile.winrm.ignoreTlsErrors;
    s.allowUnencryptedBasic = profile.winrm.allowBasicOverHttp;
    s.operationTimeout = std::chrono::seconds(profile.winrm.operationTimeoutSeconds);
    s.connectTimeout = std::chrono::seconds(profile.winrm.connectTimeoutSeconds);
    s.commandDeadline = std::chrono::seconds(profile.winrm.commandDeadlineSeconds);
    return s;
}

std::shared_ptr<RemoteScriptExecutor> makeWinRmExecutor(const config::Profile &profile,
                                                        const Credentials &credentials)
{
    return std::make_shared<WinRmScriptExecutor>(
        [profile](const QString &host) { return connectionSettingsFor(profile, host); },
        credentials);
}

} // namespace aetherv::deploy
