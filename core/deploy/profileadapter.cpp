#include "core/deploy/profileadapter.h"

#include "core/config/hostaddress.h"
#include "core/config/profile.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QUuid>

namespace aetherv::deploy {

DeploySettings deploySettingsWithoutUrl(const config::Profile &profile, const QString &lockOwner)
{
    DeploySettings s;
    for (const config::HostEntry &h : profile.hosts)
        s.hosts << h.toString();
    s.installDirectory = profile.installDirectory;
    s.downloadMaxAttempts = profile.downloadMaxAttempts;
    s.downloadRetryIntervalSeconds = profile.downloadRetryIntervalSeconds;
    s.downloadParallelism = profile.downloadParallelism;
    s.lockExpirySeconds = profile.lockExpirySeconds;
    s.checkDeadlineMs = qint64(profile.taskRunner.checkDeadlineSeconds) * 1000;
    s.deployDeadlineMs = qint64(profile.taskRunner.deployDeadlineSeconds) * 1000;
    s.ingressTimeoutSeconds = profile.ingressGate.timeoutSeconds;
    s.ingressIntervalSeconds = profile.ingressGate.intervalSeconds;
    s.verifiedCacheTtlSeconds = profile.verifiedCacheTtlSeconds;
    s.failureBackoffBaseSeconds = profile.failureBackoffBaseSeconds;
    s.failureBackoffMaxSeconds = profile.failureBackoffMaxSeconds;
    s.startupDeployment = profile.startupDeployment;
    s.lockOwner = lockOwner;
    return s;
}

Result<DeploySettings> deploySettingsFor(const config::Profile &profile,
                                         const QUrl &artifactServerUrl, const QString &lockOwner)
{
    const auto url = profile.effectiveDownloadBaseUrl(artifactServerUrl);
    if (!url)
        return std::unexpected(url.error());
    DeploySettings s = deploySettingsWithoutUrl(profile, lockOwner);
    s.downloadBaseUrl = *url;
    return s;
}

artifacts::ArtifactServerConfig artifactServerConfigFor(const config::Profile &profile)
{
    artifacts::ArtifactServerConfig c;
    c.address = QHostAddress(profile.artifactServer.listenAddress);
    c.port = quint16(std::clamp(profile.artifactServer.port, 0, 65535));
    c.certificateFile = profile.artifactServer.certificateFile;
    c.privateKeyFile = profile.artifactServer.privateKeyFile;
    c.maxConnections = profile.artifactServer.maxConnections;
    c.idleTimeoutMs = profile.artifactServer.idleTimeoutSeconds * 1000;
    if (config::isUnspecifiedHost(profile.artifactServer.listenAddress)) {
        // Bound to every address: advertise this machine's name; a profile whose hosts need
        // another name sets downloadBaseUrl.
        c.advertisedHost = QHostInfo::localHostName();
    }
    return c;
}

QString defaultLockOwner(const QString &program)
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return QStringLiteral("%1 %2@%3 pid %4 run %5")
        .arg(program, user, QHostInfo::localHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QUuid::createUuid().toString(QUuid::WithoutBraces).left(8));
}

} // namespace aetherv::deploy
