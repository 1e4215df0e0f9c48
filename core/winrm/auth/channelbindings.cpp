#include "core/winrm/auth/channelbindings.h"

#include "core/winrm/auth/ntlmcrypto.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <optional>

namespace aetherv::winrm::channelbindings {

namespace {

struct Tlv
{
    quint8 tag = 0;
    qsizetype contentStart = 0;
    qsizetype contentLength = 0;
    qsizetype end() const { return contentStart + contentLength; }
};

// Reads one DER TLV header at `at`; nullopt when the data is not valid DER.
std::optional<Tlv> readTlv(const QByteArray &der, qsizetype at)
{
    if (at + 2 > der.size())
        return std::nullopt;
    Tlv tlv;
    tlv.tag = static_cast<quint8>(der.at(at));
    quint8 first = static_cast<quint8>(der.at(at + 1));
    qsizetype pos = at + 2;
    qsizetype length = 0;
    if (first < 0x80) {
        length = first;
    } else {
        const int count = first & 0x7f;
        if (count == 0 || count > 4 || pos + count > der.size())
            return std::nullopt;
        for (int i = 0; i < count; ++i)
            length = (length << 8) | static_cast<quint8>(der.at(pos + i));
        pos += count;
    }
    tlv.contentStart = pos;
    tlv.contentLength = length;
    if (tlv.end() > der.size())
        return std::nullopt;
    return tlv;
}

QCryptographicHash::Algorithm hashFor(const QByteArray &der)
{
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, ... }
    const auto cert = readTlv(der, 0);
    if (!cert || cert->tag != 0x30)
        return QCryptographicHash::Sha256;
    const auto tbs = readTlv(der, cert->contentStart);
    if (!tbs)
        return QCryptographicHash::Sha256;
    const auto algId = readTlv(der, tbs->end());
    if (!algId || algId->tag != 0x30)
        return QCryptographicHash::Sha256;
    const auto oid = readTlv(der, algId->contentStart);
    if (!oid || oid->tag != 0x06)
        return QCryptographicHash::Sha256;
    const QByteArray value = der.mid(oid->contentStart, oid->contentLength);
    // 1.2.840.113549.1.1.12 / .13 (RSA with SHA-384 / SHA-512)
    static const QByteArray rsaSha384 = QByteArray::fromHex("2a864886f70d01010c");
    static const QByteArray rsaSha512 = QByteArray::fromHex("2a864886f70d01010d");
    // 1.2.840.10045.4.3.3 / .4 (ECDSA with SHA-384 / SHA-512)
    static const QByteArray ecdsaSha384 = QByteArray::fromHex("2a8648ce3d040303");
    static const QByteArray ecdsaSha512 = QByteArray::fromHex("2a8648ce3d040304");
    if (value == rsaSha384 || value == ecdsaSha384)
        return QCryptographicHash::Sha384;
    if (value == rsaSha512 || value == ecdsaSha512)
        return QCryptographicHash::Sha512;
    return QCryptographicHash::Sha256;
}

} // namespace

QByteArray tlsServerEndPoint(const QByteArray &certificateDer)
{
    return QByteArrayLiteral("tls-server-end-point:")
           + QCryptographicHash::hash(certificateDer, hashFor(certificateDer));
}

QByteArray gssStruct(const QByteArray &applicationData)
{
    QByteArray out(20, '\0');
    qToLittleEndian<quint32>(static_cast<quint32>(applicationData.size()), out.data() + 16);
    out.append(applicationData);
    return out;
}

QByteArray ntlmHash(const QByteArray &applicationData)
{
    if (applicationData.isEmpty())
        return QByteArray(16, '\0');
    return ntlm::md5(gssStruct(applicationData));
}

} // namespace aetherv::winrm::channelbindings
