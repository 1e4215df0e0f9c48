#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

#include <gssapi/gssapi.h>

namespace aetherv::hostsim {

// The server side of one connection's security context, strictly through GSSAPI: NTLM through
// the gss-ntlmssp mechanism (users file in NTLM_USER_FILE), Kerberos through MIT krb5 (keytab in
// KRB5_KTNAME), raw or SPNEGO-wrapped tokens. Independent of the client's authentication code.
class GssAcceptor
{
public:
    enum class Mechanism { Unknown, Ntlm, Kerberos };
    enum class State { Continue, Complete, Failed };
    struct Step
    {
        State state = State::Failed;
        QByteArray outputToken;
        QString error; // GSSAPI's own status text; never contains credentials
    };

    GssAcceptor() = default;
    ~GssAcceptor();
    GssAcceptor(const GssAcceptor &) = delete;
    GssAcceptor &operator=(const GssAcceptor &) = delete;

    Step accept(const QByteArray &token);
    void reset();

    bool isComplete() const { return m_complete; }
    Mechanism mechanism() const { return m_mechanism; }
    QString peerName() const { return m_peer; }

    // MS-WSMV wrapping: the caller frames the result as LE32(header size) | header | data.
    struct Wrapped
    {
        QByteArray header;
        QByteArray data;
    };
    Result<Wrapped> wrap(const QByteArray &plain) const;
    Result<QByteArray> unwrap(const QByteArray &header, const QByteArray &data) const;

    static QString statusText(OM_uint32 major, OM_uint32 minor, gss_OID mech);

private:
    gss_ctx_id_t m_context = GSS_C_NO_CONTEXT;
    gss_cred_id_t m_credential = GSS_C_NO_CREDENTIAL;
    Mechanism m_mechanism = Mechanism::Unknown;
    bool m_complete = false;
    QString m_peer;
};

} // namespace aetherv::hostsim
