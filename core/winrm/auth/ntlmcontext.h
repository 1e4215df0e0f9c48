#pragma once

#include "core/winrm/auth/ntlmmessages.h"
#include "core/winrm/auth/ntlmsession.h"
#include "core/winrm/auth/securitycontext.h"

#include <QString>

// The NTLMv2 initiator (MS-NLMP 3.1.5): NEGOTIATE, then AUTHENTICATE with MIC, target name and
// channel bindings; afterwards it seals and unseals message bodies.
namespace aetherv::winrm::ntlm {

struct NtlmClientOptions
{
    QString user;   // as sent: "alice" or "alice@corp.example" (UPN with empty domain)
    QString domain; // NetBIOS or DNS domain; empty for local accounts or a UPN
    QString password;
    QString workstation;
    QString targetSpn;              // "HTTP/host", goes into MsvAvTargetName
    QByteArray channelBindingsData; // tls-server-end-point data over HTTPS, else empty
    bool requireSealing = true;     // message encryption over HTTP needs SIGN+SEAL+KEY_EXCH
    // Deterministic values for tests; random/current when empty.
    QByteArray clientChallenge;
    QByteArray exportedSessionKey;
    QByteArray timestamp;
};

class NtlmContext final : public SecurityContext
{
public:
    explicit NtlmContext(NtlmClientOptions options);

    QString mechanismName() const override { return QStringLiteral("NTLM"); }
    QByteArray httpScheme() const override { return QByteArrayLiteral("Negotiate"); }
    Result<QByteArray> step(const QByteArray &serverToken) override;
    bool isComplete() const override { return m_state == State::Complete; }
    Result<WrappedMessage> wrap(const QByteArray &plaintext) override;
    Result<QByteArray> unwrap(const QByteArray &header, const QByteArray &data) override;

    QByteArray exportedSessionKey() const { return m_exportedSessionKey; }
    std::uint32_t negotiatedFlags() const { return m_flags; }

private:
    Result<QByteArray> authenticate(const QByteArray &challengeToken);

    enum class State { Initial, NegotiateSent, Complete, Failed };
    NtlmClientOptions m_options;
    State m_state = State::Initial;
    QByteArray m_negotiateMessage;
    QByteArray m_exportedSessionKey;
    std::uint32_t m_flags = 0;
    NtlmSession m_session;
};

} // namespace aetherv::winrm::ntlm
