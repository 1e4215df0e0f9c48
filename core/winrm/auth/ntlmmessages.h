#pragma once

#include "core/common/result.h"
#include "core/winrm/auth/ntlmflags.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

// Encoding and decoding of the three NTLM messages (MS-NLMP 2.2.1) and of AV pair lists.
namespace aetherv::winrm::ntlm {

struct AvPair
{
    AvId id = AvId::Eol;
    QByteArray value;
};

class AvPairList
{
public:
    static Result<AvPairList> parse(const QByteArray &data);
    // Encodes every pair followed by MsvAvEOL.
    QByteArray encode() const;
    std::optional<QByteArray> value(AvId id) const;
    void set(AvId id, const QByteArray &value); // replaces or appends
    const QList<AvPair> &pairs() const { return m_pairs; }

private:
    QList<AvPair> m_pairs;
};

// The fixed 8-byte VERSION structure this client sends (Windows 10 build 19041, NTLM revision 15).
QByteArray clientVersion();

QByteArray buildNegotiateMessage(std::uint32_t flags);

struct ChallengeMessage
{
    std::uint32_t flags = 0;
    QByteArray serverChallenge; // 8 bytes
    QString targetName;
    QByteArray targetInfo; // raw AV pairs
    QByteArray raw;        // the message as received, for the MIC

    static Result<ChallengeMessage> parse(const QByteArray &message);
};

struct AuthenticateFields
{
    std::uint32_t flags = 0;
    QByteArray lmResponse;
    QByteArray ntResponse;
    QString domain;
    QString user;
    QString workstation;
    QByteArray encryptedRandomSessionKey;
};

// Builds the AUTHENTICATE message with VERSION and a zeroed 16-byte MIC field at offset 72.
QByteArray buildAuthenticateMessage(const AuthenticateFields &fields);
inline constexpr qsizetype micOffset = 72;

} // namespace aetherv::winrm::ntlm
