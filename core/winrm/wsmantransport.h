#pragma once

#include "core/common/result.h"

#include <QByteArray>

#include <chrono>
#include <functional>

// The seam between shell logic and the wire: one SOAP envelope out, the SOAP reply back (HTTP 200
// or a 500 fault, already decrypted). Tests replace it with a fake.
namespace aetherv::winrm {

class WsmanTransport
{
public:
    using Callback = std::function<void(Result<QByteArray>)>;

    virtual ~WsmanTransport() = default;

    // `repeatable` marks requests that may be sent again verbatim (same MessageID) after a lost
    // security context or connection: Receive, Signal, Delete. Command, Send and Create are never
    // repeated. `done` is called exactly once unless abort() is called first.
    virtual void send(const QByteArray &envelope, bool repeatable,
                      std::chrono::milliseconds timeout, Callback done)
        = 0;
    // Drops the request in flight (its callback is never called) and the connection with it.
    virtual void abort() = 0;
    virtual QString endpoint() const = 0;
};

} // namespace aetherv::winrm
