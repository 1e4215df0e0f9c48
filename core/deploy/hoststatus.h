#pragma once

#include "core/version/assessment.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace aetherv::deploy {

// What the console believes about a host. Every value is backed by something the host said (or a
// failure to reach it); nothing is assumed.
enum class HostState {
    Unknown,     // never checked in this session
    Checking,    // reading its version
    Current,     // version and manifest digest equal the bundle's (verified on the host)
    Outdated,    // needs the bundle
    Drifted,     // same version, different files
    Ahead,       // newer than the bundle; left alone
    Legacy,      // old installers' layout
    Deploying,   // downloading into staging
    Verifying,   // re-reading after activation
    Failed,      // the last operation failed; message says why
    Unreachable, // network / WinRM endpoint / artifact URL not reachable
    AuthFailed,  // credentials rejected
    Locked,      // another console holds the host's lock
    Cancelled,   // the operator cancelled; the host kept its previous complete set
};
QString hostStateName(HostState s);  // stable machine word (JSON, CLI)
QString hostStateLabel(HostState s); // translated text for people
bool isBusy(HostState s);
bool isFailure(HostState s);

struct HostStatus
{
    QString host;
    HostState state = HostState::Unknown;
    QString hostVersion; // as read from the host (normalised), empty when none
    QString bundleVersion;
    QByteArray hostDigest; // deployed manifest digest on the host
    bool versionFileExists = false;
    version::Outcome assessment = version::Outcome::Missing;
    QString message; // the real cause or reason, for the table and logs
    QString lockOwner;
    QDateTime lastChecked;
    qint64 lastDurationMs = 0;
    int attempts = 0; // deployments tried this session
    int consecutiveFailures = 0;
    QDateTime nextRetry;  // after a failure: not retried automatically before this
    QDateTime verifiedAt; // when Current was last verified on the host
    qint64 bytesDone = 0; // this rollout's download progress
    qint64 bytesTotal = 0;
    QString currentFile;
};

} // namespace aetherv::deploy

Q_DECLARE_METATYPE(aetherv::deploy::HostStatus)
