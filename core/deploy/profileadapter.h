#pragma once

#include "core/artifacts/artifactserver.h"
#include "core/common/result.h"
#include "core/deploy/deploysettings.h"

namespace aetherv::config {
struct Profile;
}

namespace aetherv::deploy {

// What the deployment service needs from a profile. `artifactServerUrl` is the embedded server's
// own URL (used when the profile sets no AGENT_DOWNLOAD_BASE_URL); fails when the resulting
// download URL could not work from the hosts.
// Everything but the download URL, for a caller that reports an unusable URL itself.
DeploySettings deploySettingsWithoutUrl(const config::Profile &profile, const QString &lockOwner);
Result<DeploySettings> deploySettingsFor(const config::Profile &profile,
                                         const QUrl &artifactServerUrl, const QString &lockOwner);

// Bound to every address (0.0.0.0, ::), the server advertises this machine's host name.
artifacts::ArtifactServerConfig artifactServerConfigFor(const config::Profile &profile);

// "aetherv-console alice@WS01 pid 4242": who holds a host's deployment lock.
QString defaultLockOwner(const QString &program);

} // namespace aetherv::deploy
