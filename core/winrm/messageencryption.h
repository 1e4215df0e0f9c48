#pragma once

#include "core/common/result.h"
#include "core/winrm/auth/securitycontext.h"

#include <QByteArray>
#include <QList>

// MS-WSMV 2.2.9.1 message encryption: SOAP bodies wrapped by the connection's security context
// and framed as multipart/encrypted. Framing is byte-exact on the way out and tolerant (boundary
// spacing, tabs, per-part terminators), but length-checked, on the way in.
namespace aetherv::winrm::messageencryption {

inline constexpr char spnegoProtocol[] = "application/HTTP-SPNEGO-session-encrypted";
inline constexpr char kerberosProtocol[] = "application/HTTP-Kerberos-session-encrypted";

QByteArray contentType(const QByteArray &protocol);
bool isEncryptedContentType(const QByteArray &contentType);

// The body for one wrapped message (header length, header, data) with the given protocol.
QByteArray frame(const QByteArray &protocol, const WrappedMessage &message);

struct EncryptedPart
{
    qsizetype originalLength = 0;
    QByteArray header;
    QByteArray data;
};
Result<QList<EncryptedPart>> parse(const QByteArray &body, const QByteArray &contentType);

Result<QByteArray> encrypt(SecurityContext &context, const QByteArray &protocol,
                           const QByteArray &plaintext);
Result<QByteArray> decrypt(SecurityContext &context, const QByteArray &body,
                           const QByteArray &contentType);

} // namespace aetherv::winrm::messageencryption
