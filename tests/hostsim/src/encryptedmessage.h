#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>

namespace aetherv::hostsim {

// MS-WSMV 2.2.9.1 multipart/encrypted bodies as the server reads and writes them. Written for
// the simulator only (the client has its own implementation), tolerant the way Windows is:
// with or without the TAB before header lines, one or several parts, one or several trailers.
namespace encryptedmessage {

struct Part
{
    QByteArray header; // GSS header/signature (its size comes first in the binary part)
    QByteArray data;   // encrypted payload
    qsizetype originalLength = -1;
};

struct Parsed
{
    QByteArray protocol; // e.g. application/HTTP-SPNEGO-session-encrypted
    QList<Part> parts;
};

bool isEncryptedContentType(const QByteArray &contentType);
Result<Parsed> parse(const QByteArray &contentType, const QByteArray &body);
QByteArray contentType(const QByteArray &protocol);
QByteArray build(const QByteArray &protocol, const QByteArray &header, const QByteArray &data,
                 qsizetype originalLength);

} // namespace encryptedmessage
} // namespace aetherv::hostsim
