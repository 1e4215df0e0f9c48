#include "core/winrm/auth/ntlmsession.h"

#include "core/winrm/auth/ntlmflags.h"

#include <QtEndian>

namespace aetherv::winrm::ntlm {

NtlmSession::NtlmSession(const QByteArray &exportedSessionKey, std::uint32_t flags, Role role)
    : m_valid(true)
    , m_flags(flags)
{
    const Direction out
        = role == Role::Client ? Direction::ClientToServer : Direction::ServerToClient;
    const Direction in
        = role == Role::Client ? Direction::ServerToClient : Direction::ClientToServer;
    m_outSignKey = signKey(exportedSessionKey, out);
    m_inSignKey = signKey(exportedSessionKey, in);
    m_outCipher = Rc4(sealKey(exportedSessionKey, out, flags));
    m_inCipher = Rc4(sealKey(exportedSessionKey, in, flags));
}

QByteArray NtlmSession::signature(const QByteArray &key, Rc4 &cipher, std::uint32_t seq,
                                  const QByteArray &message) const
{
    char seqBytes[4];
    qToLittleEndian<quint32>(seq, seqBytes);
    QByteArray checksum = hmacMd5(key, QByteArray(seqBytes, 4) + message).left(8);
    if (m_flags & NegotiateFlag::KeyExchange)
        cipher.processInPlace(checksum.data(), checksum.size());
    QByteArray sig("\x01\x00\x00\x00", 4);
    sig.append(checksum);
    sig.append(seqBytes, 4);
    return sig;
}

WrappedMessage NtlmSession::seal(const QByteArray &plaintext)
{
    WrappedMessage out;
    out.data = plaintext;
    m_outCipher.processInPlace(out.data.data(), out.data.size());
    out.header = signature(m_outSignKey, m_outCipher, m_outSeq, plaintext);
    out.originalLength = plaintext.size();
    ++m_outSeq;
    return out;
}

Result<QByteArray> NtlmSession::unseal(const QByteArray &sig, const QByteArray &sealed)
{
    if (sig.size() != 16)
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the host's encrypted reply has a malformed NTLM signature"));
    QByteArray plain = sealed;
    m_inCipher.processInPlace(plain.data(), plain.size());
    const QByteArray expected = signature(m_inSignKey, m_inCipher, m_inSeq, plain);
    ++m_inSeq;
    if (expected != sig)
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the host's encrypted reply failed the NTLM signature check; "
                                   "the connection is reset and the request is not trusted"));
    return plain;
}

} // namespace aetherv::winrm::ntlm
