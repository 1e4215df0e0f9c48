#pragma once

#include <QString>

#include <expected>

namespace aetherv {

// What kind of failure an operation met. The code is for programs (exit codes, retry policy,
// the host table's state); the message is for people and says what to do next.
enum class ErrorCode {
    InvalidInput,
    Configuration,
    NotFound,
    Io,
    Integrity,
    Network,
    Tls,
    CredentialsRejected,
    EncryptionRequired,
    WsManFault,
    Protocol,
    Timeout,
    Cancelled,
    Busy,
    Locked,
    Internal,
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message; // human text, names the likely fix
    QString detail;  // optional technical context (paths, raw server text); never secrets

    QString toString() const
    {
        return detail.isEmpty() ? message : message + u" (" + detail + u')';
    }
    friend bool operator==(const Error &, const Error &) = default;
};

template<typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, QString message, QString detail = {})
{
    return std::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

QString errorCodeName(ErrorCode code);

} // namespace aetherv
