#include "core/winrm/auth/ntlmcontext.h"

#include "core/winrm/auth/channelbindings.h"
#include "core/winrm/auth/ntlmcrypto.h"
#include "core/winrm/auth/ntlmflags.h"

#include <QRandomGenerator>
#include <QtEndian>

namespace aetherv::winrm::ntlm {

namespace {

QByteArray randomBytes(qsizetype count)
{
    QByteArray out(count, '\0');
    QRandomGenerator *rng = QRandomGenerator::system();
    for (qsizetype i = 0; i < count; ++i)
        out[i] = static_cast<char>(rng->bounded(256));
    return out;
}

} // namespace

NtlmContext::NtlmContext(NtlmClientOptions options)
    : m_options(std::move(options))
{}

Result<QByteArray> NtlmContext::step(const QByteArray &serverToken)
{
    switch (m_state) {
    case State::Initial:
        m_negotiateMessage = buildNegotiateMessage(clientNegotiateFlags);
        m_state = State::NegotiateSent;
        return m_negotiateMessage;
    case State::NegotiateSent: {
        auto result = authenticate(serverToken);
        m_state = result ? State::Complete : State::Failed;
        return result;
    }
    case State::Complete:
        // A final token after completion is not part of NTLM; anything else is a protocol error.
        if (serverToken.isEmpty())
            return QByteArray();
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the host sent an NTLM token after authentication finished"));
    case State::Failed:
        break;
    }
    return fail(ErrorCode::Protocol, QStringLiteral("the NTLM handshake already failed"));
}

Result<QByteArray> NtlmContext::authenticate(const QByteArray &challengeToken)
{
    if (challengeToken.isEmpty())
        return fail(ErrorCode::CredentialsRejected,
                    QStringLiteral("the host did not answer the NTLM negotiation; check that "
                                   "Negotiate authentication is enabled in its WinRM service"));
    auto challenge = ChallengeMessage::parse(challengeToken);
    if (!challenge)
        return std::unexpected(challenge.error());

    constexpr std::uint32_t sealing = NegotiateFlag::Sign | NegotiateFlag::Seal
                                      | NegotiateFlag::KeyExchange | NegotiateFlag::Key128;
    if (!(challenge->flags & NegotiateFlag::ExtendedSessionSecurity))
        return fail(ErrorCode::CredentialsRejected,
                    QStringLiteral("the host offers only NTLMv1 session security, which this "
                                   "client refuses; raise LmCompatibilityLevel on the host"));
    if (m_options.requireSealing && (challenge->flags & sealing) != sealing)
        return fail(ErrorCode::EncryptionRequired,
                    QStringLiteral("the host refused NTLM sealing, so messages cannot be "
                                   "encrypted over HTTP: use HTTPS or Kerberos"));
    if (challenge->targetInfo.isEmpty())
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the host's NTLM challenge has no target information, which "
                                   "NTLMv2 needs"));

    m_flags = challenge->flags & (clientNegotiateFlags | NegotiateFlag::TargetInfo);
    if (m_flags & NegotiateFlag::Unicode)
        m_flags &= ~NegotiateFlag::Oem;

    auto avPairs = AvPairList::parse(challenge->targetInfo);
    if (!avPairs)
        return std::unexpected(avPairs.error());
    const std::optional<QByteArray> serverTime = avPairs->value(AvId::Timestamp);
    const bool withMic = serverTime.has_value();
    if (withMic) {
        std::uint32_t avFlags = 0;
        if (auto existing = avPairs->value(AvId::Flags); existing && existing->size() == 4)
            avFlags = qFromLittleEndian<quint32>(existing->constData());
        QByteArray flagBytes(4, '\0');
        qToLittleEndian<quint32>(avFlags | avFlagMicPresent, flagBytes.data());
        avPairs->set(AvId::Flags, flagBytes);
    }
    if (!m_options.targetSpn.isEmpty())
        avPairs->set(AvId::TargetName, utf16le(m_options.targetSpn));
    avPairs->set(AvId::ChannelBindings, channelbindings::ntlmHash(m_options.channelBindingsData));

    const QByteArray timestamp = !m_options.timestamp.isEmpty()          ? m_options.timestamp
                                 : serverTime && serverTime->size() == 8 ? *serverTime
                                                                         : fileTimeNow();
    const QByteArray clientChallenge
        = m_options.clientChallenge.isEmpty() ? randomBytes(8) : m_options.clientChallenge;
    const QByteArray ntowf = ntowfV2(m_options.password, m_options.user, m_options.domain);
    const NtlmV2Response response = computeNtlmV2Response(
        ntowf, challenge->serverChallenge, clientChallenge, timestamp, avPairs->encode());

    QByteArray encryptedKey;
    if (m_flags & NegotiateFlag::KeyExchange) {
        m_exportedSessionKey = m_options.exportedSessionKey.isEmpty()
                                   ? randomBytes(16)
                                   : m_options.exportedSessionKey;
        encryptedKey = rc4(response.sessionBaseKey, m_exportedSessionKey);
    } else {
        m_exportedSessionKey = response.sessionBaseKey;
    }

    AuthenticateFields fields;
    fields.flags = m_flags;
    fields.lmResponse = withMic ? QByteArray(24, '\0') : response.lmResponse;
    fields.ntResponse = response.ntResponse;
    fields.domain = m_options.domain;
    fields.user = m_options.user;
    fields.workstation = m_options.workstation;
    fields.encryptedRandomSessionKey = encryptedKey;
    QByteArray message = buildAuthenticateMessage(fields);
    if (withMic) {
        const QByteArray mic
            = hmacMd5(m_exportedSessionKey, m_negotiateMessage + challenge->raw + message);
        message.replace(micOffset, 16, mic);
    }
    m_session = NtlmSession(m_exportedSessionKey, m_flags, NtlmSession::Role::Client);
    return message;
}

Result<WrappedMessage> NtlmContext::wrap(const QByteArray &plaintext)
{
    if (m_state != State::Complete || !m_session.isValid())
        return fail(ErrorCode::Internal, QStringLiteral("NTLM wrap before authentication"));
    return m_session.seal(plaintext);
}

Result<QByteArray> NtlmContext::unwrap(const QByteArray &header, const QByteArray &data)
{
    if (m_state != State::Complete || !m_session.isValid())
        return fail(ErrorCode::Internal, QStringLiteral("NTLM unwrap before authentication"));
    return m_session.unseal(header, data);
}

} // namespace aetherv::winrm::ntlm
