#include "core/common/logging.h"

Q_LOGGING_CATEGORY(lcBundle, "aetherv.core.bundle", QtInfoMsg)
Q_LOGGING_CATEGORY(lcArtifactServer, "aetherv.core.artifactserver", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVersion, "aetherv.core.version", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWinRm, "aetherv.core.winrm", QtInfoMsg)
