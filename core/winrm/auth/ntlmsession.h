#pragma once

#include "core/common/result.h"
#include "core/winrm/auth/ntlmcrypto.h"
#include "core/winrm/auth/securitycontext.h"

#include <cstdint>

// NTLM session security with extended session security (MS-NLMP 3.4.3, 3.4.4.2): one RC4 stream
// and one sequence number per direction, both kept for the life of the context.
namespace aetherv::winrm::ntlm {

class NtlmSession
{
public:
    enum class Role { Client, Server };

    NtlmSession() = default;
    NtlmSession(const QByteArray &exportedSessionKey, std::uint32_t flags,
                Role role = Role::Client);

    bool isValid() const { return m_valid; }
    // Seals for the peer: 16-byte signature and ciphertext of the same length as the input.
    WrappedMessage seal(const QByteArray &plaintext);
    // Unseals what the peer sealed, verifying signature and sequence number.
    Result<QByteArray> unseal(const QByteArray &signature, const QByteArray &sealed);

private:
    QByteArray signature(const QByteArray &signKey, Rc4 &cipher, std::uint32_t seq,
                         const QByteArray &message) const;

    bool m_valid = false;
    std::uint32_t m_flags = 0;
    QByteArray m_outSignKey;
    QByteArray m_inSignKey;
    Rc4 m_outCipher;
    Rc4 m_inCipher;
    std::uint32_t m_outSeq = 0;
    std::uint32_t m_inSeq = 0;
};

} // namespace aetherv::winrm::ntlm
