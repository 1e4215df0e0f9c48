#include "core/winrm/auth/ntlmmessages.h"

#include "core/winrm/auth/ntlmcrypto.h"

#include <QtEndian>

namespace aetherv::winrm::ntlm {

namespace {

const QByteArray signature("NTLMSSP\0", 8);

void appendLe16(QByteArray &out, quint16 v)
{
    char buf[2];
    qToLittleEndian<quint16>(v, buf);
    out.append(buf, 2);
}

void appendLe32(QByteArray &out, quint32 v)
{
    char buf[4];
    qToLittleEndian<quint32>(v, buf);
    out.append(buf, 4);
}

quint16 le16(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint16>(data.constData() + at);
}

quint32 le32(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint32>(data.constData() + at);
}

// Reads a (Len, MaxLen, Offset) security buffer and returns its bytes, bounds-checked.
Result<QByteArray> readField(const QByteArray &message, qsizetype at)
{
    if (at + 8 > message.size())
        return fail(ErrorCode::Protocol, QStringLiteral("NTLM message is truncated"));
    const quint16 len = le16(message, at);
    const quint32 offset = le32(message, at + 4);
    if (len == 0)
        return QByteArray();
    if (offset > static_cast<quint32>(message.size())
        || offset + len > static_cast<quint64>(message.size()))
        return fail(ErrorCode::Protocol,
                    QStringLiteral("NTLM message field lies outside the message"));
    return message.mid(offset, len);
}

QString fromUtf16le(const QByteArray &data)
{
    QString out;
    out.reserve(data.size() / 2);
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        out.append(QChar(static_cast<char16_t>(le16(data, i))));
    return out;
}

} // namespace

Result<AvPairList> AvPairList::parse(const QByteArray &data)
{
    AvPairList list;
    qsizetype at = 0;
    while (at + 4 <= data.size()) {
        const auto id = static_cast<AvId>(le16(data, at));
        const quint16 len = le16(data, at + 2);
        at += 4;
        if (id == AvId::Eol)
            return list;
        if (at + len > data.size())
            return fail(ErrorCode::Protocol,
                        QStringLiteral("NTLM target information is truncated"));
        list.m_pairs.append(AvPair{id, data.mid(at, len)});
        at += len;
    }
    // A list without MsvAvEOL is tolerated (some servers omit it); everything read is kept.
    return list;
}

QByteArray AvPairList::encode() const
{
    QByteArray out;
    for (const AvPair &pair : m_pairs) {
        appendLe16(out, static_cast<quint16>(pair.id));
        appendLe16(out, static_cast<quint16>(pair.value.size()));
        out.append(pair.value);
    }
    appendLe16(out, static_cast<quint16>(AvId::Eol));
    appendLe16(out, 0);
    return out;
}

std::optional<QByteArray> AvPairList::value(AvId id) const
{
    for (const AvPair &pair : m_pairs) {
        if (pair.id == id)
            return pair.value;
    }
    return std::nullopt;
}

void AvPairList::set(AvId id, const QByteArray &value)
{
    for (AvPair &pair : m_pairs) {
        if (pair.id == id) {
            pair.value = value;
            return;
        }
    }
    m_pairs.append(AvPair{id, value});
}

QByteArray clientVersion()
{
    QByteArray v;
    v.append('\x0a'); // ProductMajorVersion 10
    v.append('\x00'); // ProductMinorVersion 0
    appendLe16(v, 19041);
    v.append(3, '\0');
    v.append('\x0f'); // NTLMSSP_REVISION_W2K3
    return v;
}

QByteArray buildNegotiateMessage(std::uint32_t flags)
{
    QByteArray m = signature;
    appendLe32(m, 1);
    appendLe32(m, flags);
    // Empty DomainNameFields and WorkstationFields; their offset points at the payload start.
    for (int i = 0; i < 2; ++i) {
        appendLe16(m, 0);
        appendLe16(m, 0);
        appendLe32(m, 40);
    }
    m.append(clientVersion());
    return m;
}

Result<ChallengeMessage> ChallengeMessage::parse(const QByteArray &message)
{
    if (message.size() < 32 || !message.startsWith(signature) || le32(message, 8) != 2)
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the server's NTLM challenge is malformed"));
    ChallengeMessage c;
    c.raw = message;
    c.flags = le32(message, 20);
    c.serverChallenge = message.mid(24, 8);
    auto name = readField(message, 12);
    if (!name)
        return std::unexpected(name.error());
    c.targetName
        = (c.flags & NegotiateFlag::Unicode) ? fromUtf16le(*name) : QString::fromLatin1(*name);
    if (message.size() >= 48) {
        auto info = readField(message, 40);
        if (!info)
            return std::unexpected(info.error());
        c.targetInfo = *info;
    }
    return c;
}

QByteArray buildAuthenticateMessage(const AuthenticateFields &f)
{
    const QByteArray domain = utf16le(f.domain);
    const QByteArray user = utf16le(f.user);
    const QByteArray workstation = utf16le(f.workstation);
    constexpr quint32 headerSize = 88; // fields, flags, VERSION (8) and MIC (16)

    QByteArray m = signature;
    appendLe32(m, 3);
    quint32 offset = headerSize;
    QByteArray payload;
    auto field = [&](const QByteArray &data) {
        appendLe16(m, static_cast<quint16>(data.size()));
        appendLe16(m, static_cast<quint16>(data.size()));
        appendLe32(m, offset);
        payload.append(data);
        offset += static_cast<quint32>(data.size());
    };
    field(f.lmResponse);
    field(f.ntResponse);
    field(domain);
    field(user);
    field(workstation);
    field(f.encryptedRandomSessionKey);
    appendLe32(m, f.flags);
    m.append(clientVersion());
    m.append(16, '\0'); // MIC, filled in by the caller once the whole message exists
    m.append(payload);
    return m;
}

} // namespace aetherv::winrm::ntlm
