#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace aetherv::deploy {

// What the deployment service needs from a profile (filled by the caller from config::Profile).
struct DeploySettings
{
    QStringList hosts;
    QString installDirectory = QStringLiteral("C:\\Program Files\\Aether-V");
    QUrl downloadBaseUrl; // as the hosts reach the artifact server, ends in /agent
    int downloadMaxAttempts = 3;
    int downloadRetryIntervalSeconds = 5;
    int downloadParallelism = 4;
    int lockExpirySeconds = 1800;
    qint64 checkDeadlineMs = 120'000;  // one version read
    qint64 deployDeadlineMs = 900'000; // one host's whole deployment
    int ingressTimeoutSeconds = 120;
    int ingressIntervalSeconds = 3;
    int verifiedCacheTtlSeconds = 300;
    int failureBackoffBaseSeconds = 30;
    int failureBackoffMaxSeconds = 900;
    bool startupDeployment = true;
    QString lockOwner; // who we are, written into the host's lock file
};

} // namespace aetherv::deploy
