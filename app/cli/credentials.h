#pragma once

#include "core/common/credentials.h"
#include "core/common/result.h"
#include "core/config/profile.h"

namespace aetherv::cli {

// The password for the profile's WinRM user, for automation: AETHERV_WINRM_PASSWORD, or the file
// named by AETHERV_WINRM_PASSWORD_FILE (mode 0600, owned by the user running the CLI). Kerberos
// with an existing ticket cache needs none. Never read from the command line.
Result<Credentials> resolveCredentials(const config::Profile &profile);

// Profiles saved by the console (none when the console never ran on this account).
QList<config::Profile> savedProfiles(const QString &settingsFile = {});

} // namespace aetherv::cli
