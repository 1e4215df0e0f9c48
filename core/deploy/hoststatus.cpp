#include "core/deploy/hoststatus.h"

#include <QCoreApplication>

namespace aetherv::deploy {

QString hostStateName(HostState s)
{
    switch (s) {
    case HostState::Unknown:
        return QStringLiteral("unknown");
    case HostState::Checking:
        return QStringLiteral("checking");
    case HostState::Current:
        return QStringLiteral("current");
    case HostState::Outdated:
        return QStringLiteral("outdated");
    case HostState::Drifted:
        return QStringLiteral("drifted");
    case HostState::Ahead:
        return QStringLiteral("ahead");
    case HostState::Legacy:
        return QStringLiteral("legacy");
    case HostState::Deploying:
        return QStringLiteral("deploying");
    case HostState::Verifying:
        return QStringLiteral("verifying");
    case HostState::Failed:
        return QStringLiteral("failed");
    case HostState::Unreachable:
        return QStringLiteral("unreachable");
    case HostState::AuthFailed:
        return QStringLiteral("auth-failed");
    case HostState::Locked:
        return QStringLiteral("locked");
    case HostState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString hostStateLabel(HostState s)
{
    switch (s) {
    case HostState::Unknown:
        return QCoreApplication::translate("HostState", "unknown");
    case HostState::Checking:
        return QCoreApplication::translate("HostState", "checking");
    case HostState::Current:
        return QCoreApplication::translate("HostState", "current");
    case HostState::Outdated:
        return QCoreApplication::translate("HostState", "outdated");
    case HostState::Drifted:
        return QCoreApplication::translate("HostState", "drifted");
    case HostState::Ahead:
        return QCoreApplication::translate("HostState", "ahead");
    case HostState::Legacy:
        return QCoreApplication::translate("HostState", "legacy install");
    case HostState::Deploying:
        return QCoreApplication::translate("HostState", "deploying");
    case HostState::Verifying:
        return QCoreApplication::translate("HostState", "verifying");
    case HostState::Failed:
        return QCoreApplication::translate("HostState", "failed");
    case HostState::Unreachable:
        return QCoreApplication::translate("HostState", "unreachable");
    case HostState::AuthFailed:
        return QCoreApplication::translate("HostState", "auth failed");
    case HostState::Locked:
        return QCoreApplication::translate("HostState", "locked by another console");
    case HostState::Cancelled:
        return QCoreApplication::translate("HostState", "cancelled");
    }
    return {};
}

bool isBusy(HostState s)
{
    return s == HostState::Checking || s == HostState::Deploying || s == HostState::Verifying;
}

bool isFailure(HostState s)
{
    return s == HostState::Failed || s == HostState::Unreachable || s == HostState::AuthFailed
           || s == HostState::Locked;
}

} // namespace aetherv::deploy
