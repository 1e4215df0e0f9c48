#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

// A connection-bound security context (NTLM or Kerberos) as the transport sees it: it produces
// the tokens of the HTTP "Negotiate" handshake and, once complete, wraps and unwraps message
// bodies for MS-WSMV message encryption. One instance belongs to exactly one TCP connection.
namespace aetherv::winrm {

struct WrappedMessage
{
    QByteArray header;            // the signature (NTLM) or the GSS token header (Kerberos)
    QByteArray data;              // the encrypted payload
    qsizetype originalLength = 0; // what goes into OriginalContent's Length (plaintext + padding)
};

class SecurityContext
{
public:
    virtual ~SecurityContext() = default;

    // "NTLM" or "Kerberos", for messages and logs.
    virtual QString mechanismName() const = 0;
    // The HTTP authentication scheme carrying the tokens ("Negotiate").
    virtual QByteArray httpScheme() const = 0;
    // Feeds the server's token (empty on the first call) and returns the next token to send.
    // An empty token with isComplete() == true means the handshake is done.
    virtual Result<QByteArray> step(const QByteArray &serverToken) = 0;
    virtual bool isComplete() const = 0;

    virtual Result<WrappedMessage> wrap(const QByteArray &plaintext) = 0;
    virtual Result<QByteArray> unwrap(const QByteArray &header, const QByteArray &data) = 0;
};

} // namespace aetherv::winrm
