#pragma once

#include <QLoggingCategory>

// One category per component, named aetherv.<layer>.<component>. Enable with QT_LOGGING_RULES
// (e.g. "aetherv.*.debug=true") or the CLI's --log-rules. Never log a secret.
Q_DECLARE_LOGGING_CATEGORY(lcBundle)
Q_DECLARE_LOGGING_CATEGORY(lcArtifactServer)
Q_DECLARE_LOGGING_CATEGORY(lcVersion)
Q_DECLARE_LOGGING_CATEGORY(lcWinRm)
