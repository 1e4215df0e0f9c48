#pragma once

#include "core/common/result.h"
#include "core/version/assessment.h"

#include <QJsonObject>

namespace aetherv::deploy {

// The parsed result of Read-AgentState.ps1.
struct AgentState
{
    version::HostVersionInfo version;
    bool installDirectoryExists = false;
    QString legacyScriptsVersion;
    QString legacyIsosVersion;
    QString lockOwner;
    QString lockExpiresUtc;
    bool lockExpired = false;
    QString computerName;
};

Result<AgentState> parseAgentState(const QJsonObject &result);

} // namespace aetherv::deploy
