#include "core/common/result.h"

namespace aetherv {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput:
        return QStringLiteral("invalid-input");
    case ErrorCode::Configuration:
        return QStringLiteral("configuration");
    case ErrorCode::NotFound:
        return QStringLiteral("not-found");
    case ErrorCode::Io:
        return QStringLiteral("io");
    case ErrorCode::Integrity:
        return QStringLiteral("integrity");
    case ErrorCode::Network:
        return QStringLiteral("network");
    case ErrorCode::Tls:
        return QStringLiteral("tls");
    case ErrorCode::CredentialsRejected:
        return QStringLiteral("credentials-rejected");
    case ErrorCode::EncryptionRequired:
        return QStringLiteral("encryption-required");
    case ErrorCode::WsManFault:
        return QStringLiteral("wsman-fault");
    case ErrorCode::Protocol:
        return QStringLiteral("protocol");
    case ErrorCode::Timeout:
        return QStringLiteral("timeout");
    case ErrorCode::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorCode::Busy:
        return QStringLiteral("busy");
    case ErrorCode::Locked:
        return QStringLiteral("locked");
    case ErrorCode::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("unknown");
}

} // namespace aetherv
