#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace aetherv::deploy {

enum class RolloutState {
    Idle, // nothing run yet
    Running,
    Succeeded, // every host ended current (or was left alone on purpose: ahead)
    Failed,    // at least one host failed
    Cancelled,
    Disabled, // no usable bundle: the reason says why; nothing is touched
    NoHosts,  // the profile has no hosts
};
QString rolloutStateName(RolloutState s);

enum class BannerLevel { Info, Progress, Success, Warning, Error };

// The "Agent deployment" banner's data: totals, progress, provisioning availability, and the real
// last error.
struct RolloutSummary
{
    RolloutState state = RolloutState::Idle;
    QString bundleVersion;
    QString disabledReason;
    int total = 0;     // hosts in this rollout
    int completed = 0; // hosts whose operation ended
    int succeeded = 0; // ended current (deployed or already current)
    int deployed = 0;  // of which actually deployed now
    int failed = 0;
    int skipped = 0;    // left alone on purpose (ahead)
    int readyHosts = 0; // hosts of the profile verified current: provisioning may run there
    int profileHosts = 0;
    bool provisioningAvailable = false;
    QString lastError;
    QString lastErrorHost;
    QDateTime startedAt;
    QDateTime finishedAt;

    QJsonObject toJson() const;
};

// Localised banner text and level. A disabled or empty profile is never called "up to date".
QString bannerText(const RolloutSummary &s);
BannerLevel bannerLevel(const RolloutSummary &s);

} // namespace aetherv::deploy

Q_DECLARE_METATYPE(aetherv::deploy::RolloutSummary)
