#include "core/winrm/auth/ntlmcrypto.h"

#include "core/winrm/auth/ntlmflags.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QtEndian>

#include <utility>

namespace aetherv::winrm::ntlm {

QByteArray md4(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Md4);
}

QByteArray md5(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Md5);
}

QByteArray hmacMd5(const QByteArray &key, const QByteArray &data)
{
    constexpr qsizetype blockSize = 64;
    QByteArray k = key.size() > blockSize ? md5(key) : key;
    k.append(blockSize - k.size(), '\0');
    QByteArray inner(blockSize, '\0');
    QByteArray outer(blockSize, '\0');
    for (qsizetype i = 0; i < blockSize; ++i) {
        inner[i] = static_cast<char>(k.at(i) ^ 0x36);
        outer[i] = static_cast<char>(k.at(i) ^ 0x5c);
    }
    QCryptographicHash innerHash(QCryptographicHash::Md5);
    innerHash.addData(inner);
    innerHash.addData(data);
    QCryptographicHash outerHash(QCryptographicHash::Md5);
    outerHash.addData(outer);
    outerHash.addData(innerHash.result());
    return outerHash.result();
}

Rc4::Rc4(const QByteArray &key)
{
    for (int i = 0; i < 256; ++i)
        m_s[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    if (key.isEmpty())
        return;
    std::uint8_t j = 0;
    for (int i = 0; i < 256; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        j = static_cast<std::uint8_t>(j + m_s[idx]
                                      + static_cast<std::uint8_t>(key.at(i % key.size())));
        std::swap(m_s[idx], m_s[j]);
    }
    m_initialised = true;
}

void Rc4::processInPlace(char *data, qsizetype size)
{
    std::uint8_t i = m_i;
    std::uint8_t j = m_j;
    for (qsizetype n = 0; n < size; ++n) {
        i = static_cast<std::uint8_t>(i + 1);
        j = static_cast<std::uint8_t>(j + m_s[i]);
        std::swap(m_s[i], m_s[j]);
        const std::uint8_t k = m_s[static_cast<std::uint8_t>(m_s[i] + m_s[j])];
        data[n] = static_cast<char>(static_cast<std::uint8_t>(data[n]) ^ k);
    }
    m_i = i;
    m_j = j;
}

QByteArray Rc4::process(const QByteArray &data)
{
    QByteArray out = data;
    processInPlace(out.data(), out.size());
    return out;
}

QByteArray rc4(const QByteArray &key, const QByteArray &data)
{
    Rc4 cipher(key);
    return cipher.process(data);
}

QByteArray utf16le(const QString &text)
{
    QByteArray out;
    out.reserve(text.size() * 2);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        out.append(static_cast<char>(u & 0xff));
        out.append(static_cast<char>(u >> 8));
    }
    return out;
}

QByteArray ntowfV1(const QString &password)
{
    return md4(utf16le(password));
}

QByteArray ntowfV2(const QString &password, const QString &user, const QString &domain)
{
    return hmacMd5(ntowfV1(password), utf16le(user.toUpper() + domain));
}

QByteArray ntlmV2Temp(const QByteArray &timestamp, const QByteArray &clientChallenge,
                      const QByteArray &avPairs)
{
    QByteArray temp;
    temp.reserve(28 + avPairs.size() + 4);
    temp.append('\x01'); // RespType
    temp.append('\x01'); // HiRespType
    temp.append(6, '\0');
    temp.append(timestamp);
    temp.append(clientChallenge);
    temp.append(4, '\0');
    temp.append(avPairs);
    temp.append(4, '\0');
    return temp;
}

NtlmV2Response computeNtlmV2Response(const QByteArray &ntowf, const QByteArray &serverChallenge,
                                     const QByteArray &clientChallenge, const QByteArray &timestamp,
                                     const QByteArray &avPairs)
{
    NtlmV2Response r;
    const QByteArray temp = ntlmV2Temp(timestamp, clientChallenge, avPairs);
    r.ntProofStr = hmacMd5(ntowf, serverChallenge + temp);
    r.ntResponse = r.ntProofStr + temp;
    r.lmResponse = hmacMd5(ntowf, serverChallenge + clientChallenge) + clientChallenge;
    r.sessionBaseKey = hmacMd5(ntowf, r.ntProofStr);
    return r;
}

namespace {

QByteArray magic(const char *text)
{
    // The constants include their terminating NUL (MS-NLMP 3.4.5.2, 3.4.5.3).
    return QByteArray(text, static_cast<qsizetype>(qstrlen(text) + 1));
}

} // namespace

QByteArray signKey(const QByteArray &exportedSessionKey, Direction direction)
{
    const char *constant = direction == Direction::ClientToServer
                               ? "session key to client-to-server signing key magic constant"
                               : "session key to server-to-client signing key magic constant";
    return md5(exportedSessionKey + magic(constant));
}

QByteArray sealKey(const QByteArray &exportedSessionKey, Direction direction, std::uint32_t flags)
{
    QByteArray base = exportedSessionKey;
    if (!(flags & NegotiateFlag::Key128))
        base = exportedSessionKey.left((flags & NegotiateFlag::Key56) ? 7 : 5);
    const char *constant = direction == Direction::ClientToServer
                               ? "session key to client-to-server sealing key magic constant"
                               : "session key to server-to-client sealing key magic constant";
    return md5(base + magic(constant));
}

QByteArray fileTimeNow()
{
    // 100-ns intervals between 1601-01-01 and 1970-01-01.
    constexpr quint64 epochDelta = 116444736000000000ULL;
    const quint64 ticks
        = epochDelta + static_cast<quint64>(QDateTime::currentMSecsSinceEpoch()) * 10000ULL;
    QByteArray out(8, '\0');
    qToLittleEndian<quint64>(ticks, out.data());
    return out;
}

} // namespace aetherv::winrm::ntlm
