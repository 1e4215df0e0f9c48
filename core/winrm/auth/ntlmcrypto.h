#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>

// The cryptographic primitives of NTLMv2 with extended session security (MS-NLMP 3.3.2, 3.4):
// MD4/MD5 come from QCryptographicHash; HMAC-MD5 and RC4 are implemented here because NTLM needs
// a streaming RC4 whose state survives across messages.
namespace aetherv::winrm::ntlm {

QByteArray md4(const QByteArray &data);
QByteArray md5(const QByteArray &data);
QByteArray hmacMd5(const QByteArray &key, const QByteArray &data);

// RC4 keystream that keeps its state between calls (one instance per direction and context).
class Rc4
{
public:
    Rc4() = default;
    explicit Rc4(const QByteArray &key);
    QByteArray process(const QByteArray &data);
    void processInPlace(char *data, qsizetype size);
    bool isInitialised() const { return m_initialised; }

private:
    std::array<std::uint8_t, 256> m_s{};
    std::uint8_t m_i = 0;
    std::uint8_t m_j = 0;
    bool m_initialised = false;
};

QByteArray rc4(const QByteArray &key, const QByteArray &data);

QByteArray utf16le(const QString &text);

// NTOWFv1 = MD4(UTF-16LE(password)).
QByteArray ntowfV1(const QString &password);
// NTOWFv2 = HMAC_MD5(NTOWFv1, UTF-16LE(UPPER(user) + domain)).
QByteArray ntowfV2(const QString &password, const QString &user, const QString &domain);

struct NtlmV2Response
{
    QByteArray ntProofStr;     // 16 bytes
    QByteArray ntResponse;     // NTProofStr || temp
    QByteArray lmResponse;     // HMAC_MD5(NTOWFv2, SC || CC) || CC
    QByteArray sessionBaseKey; // HMAC_MD5(NTOWFv2, NTProofStr), also the KeyExchangeKey for v2
};

// The "temp" blob of MS-NLMP 3.3.2: 01 01 00.. timestamp(8) clientChallenge(8) 00*4 avPairs 00*4.
QByteArray ntlmV2Temp(const QByteArray &timestamp, const QByteArray &clientChallenge,
                      const QByteArray &avPairs);
NtlmV2Response computeNtlmV2Response(const QByteArray &ntowfV2, const QByteArray &serverChallenge,
                                     const QByteArray &clientChallenge, const QByteArray &timestamp,
                                     const QByteArray &avPairs);

enum class Direction { ClientToServer, ServerToClient };
QByteArray signKey(const QByteArray &exportedSessionKey, Direction direction);
// With NEGOTIATE_128 the whole key is used; KEY_56 takes 7 bytes, otherwise 5 (40-bit).
QByteArray sealKey(const QByteArray &exportedSessionKey, Direction direction, std::uint32_t flags);

// Windows FILETIME (100 ns since 1601-01-01) little-endian, for the NTLMv2 blob.
QByteArray fileTimeNow();

} // namespace aetherv::winrm::ntlm
