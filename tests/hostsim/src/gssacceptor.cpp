#include "gssacceptor.h"

#include <QStringList>

#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include <cstring>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

// 1.3.6.1.4.1.311.2.2.10 (NTLMSSP) and 1.2.840.113554.1.2.2 (Kerberos 5).
gss_OID_desc ntlmsspOid = {10, const_cast<char *>("\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a")};
gss_OID_desc krb5Oid = {9, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02")};

bool sameOid(gss_OID a, const gss_OID_desc &b)
{
    return a && a->length == b.length && std::memcmp(a->elements, b.elements, b.length) == 0;
}

gss_buffer_desc bufferOf(const QByteArray &bytes)
{
    return gss_buffer_desc{size_t(bytes.size()), const_cast<char *>(bytes.constData())};
}

QByteArray takeBuffer(gss_buffer_desc &buffer)
{
    QByteArray bytes(static_cast<const char *>(buffer.value), qsizetype(buffer.length));
    OM_uint32 minor = 0;
    gss_release_buffer(&minor, &buffer);
    return bytes;
}

} // namespace

GssAcceptor::~GssAcceptor()
{
    reset();
}

void GssAcceptor::reset()
{
    OM_uint32 minor = 0;
    if (m_context != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &m_context, GSS_C_NO_BUFFER);
    if (m_credential != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &m_credential);
    m_context = GSS_C_NO_CONTEXT;
    m_credential = GSS_C_NO_CREDENTIAL;
    m_mechanism = Mechanism::Unknown;
    m_complete = false;
    m_peer.clear();
}

QString GssAcceptor::statusText(OM_uint32 major, OM_uint32 minor, gss_OID mech)
{
    QStringList parts;
    for (const auto &[code, type] : {std::pair{major, GSS_C_GSS_CODE}, {minor, GSS_C_MECH_CODE}}) {
        if (type == GSS_C_MECH_CODE && code == 0)
            continue;
        OM_uint32 context = 0;
        do {
            OM_uint32 ignored = 0;
            gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
            if (GSS_ERROR(gss_display_status(&ignored, code, type, mech, &context, &text)))
                break;
            parts << QString::fromUtf8(takeBuffer(text));
        } while (context != 0);
    }
    return parts.join(u"; "_s);
}

GssAcceptor::Step GssAcceptor::accept(const QByteArray &token)
{
    Step step;
    OM_uint32 minor = 0;
    if (m_complete)
        reset();
    // Raw NTLMSSP under "Negotiate" carries no mechanism OID: the acceptor needs a credential for
    // the NTLMSSP mechanism. SPNEGO and Kerberos tokens go to the default acceptor.
    if (m_context == GSS_C_NO_CONTEXT && m_credential == GSS_C_NO_CREDENTIAL
        && token.startsWith(QByteArrayLiteral("NTLMSSP\0"))) {
        gss_OID_set_desc mechs = {1, &ntlmsspOid};
        const OM_uint32 major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs,
                                                 GSS_C_ACCEPT, &m_credential, nullptr, nullptr);
        if (GSS_ERROR(major)) {
            step.error = u"no NTLM acceptor credential: "_s + statusText(major, minor, &ntlmsspOid);
            return step;
        }
    }

    gss_buffer_desc input = bufferOf(token);
    gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
    gss_name_t source = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 flags = 0;
    const OM_uint32 major = gss_accept_sec_context(&minor, &m_context, m_credential, &input,
                                                   GSS_C_NO_CHANNEL_BINDINGS, &source, &mech,
                                                   &output, &flags, nullptr, nullptr);
    step.outputToken = takeBuffer(output);
    if (GSS_ERROR(major)) {
        step.error = statusText(major, minor, mech);
        if (source != GSS_C_NO_NAME)
            gss_release_name(&minor, &source);
        reset();
        return step;
    }
    if (sameOid(mech, ntlmsspOid))
        m_mechanism = Mechanism::Ntlm;
    else if (sameOid(mech, krb5Oid))
        m_mechanism = Mechanism::Kerberos;
    if (major & GSS_S_CONTINUE_NEEDED) {
        step.state = State::Continue;
    } else {
        step.state = State::Complete;
        m_complete = true;
        // SPNEGO reports the mechanism it negotiated once the context is complete.
        gss_OID actual = GSS_C_NO_OID;
        if (!GSS_ERROR(gss_inquire_context(&minor, m_context, nullptr, nullptr, nullptr, &actual,
                                           nullptr, nullptr, nullptr))) {
            if (sameOid(actual, ntlmsspOid))
                m_mechanism = Mechanism::Ntlm;
            else if (sameOid(actual, krb5Oid))
                m_mechanism = Mechanism::Kerberos;
        }
        gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
        if (!GSS_ERROR(gss_display_name(&minor, source, &name, nullptr)))
            m_peer = QString::fromUtf8(takeBuffer(name));
        // gss-ntlmssp counts the terminating NUL in the display name.
        while (m_peer.endsWith(QChar(u'\0')))
            m_peer.chop(1);
    }
    if (source != GSS_C_NO_NAME)
        gss_release_name(&minor, &source);
    return step;
}

Result<GssAcceptor::Wrapped> GssAcceptor::wrap(const QByteArray &plain) const
{
    OM_uint32 minor = 0;
    if (!m_complete)
        return fail(ErrorCode::Protocol, u"No security context to encrypt with."_s);
    if (m_mechanism == Mechanism::Kerberos) {
        // Windows layout: [HEADER | DATA | PADDING]; the header carries the RFC 4121 token
        // header and the rotated checksum, the data is encrypted in place.
        QByteArray data = plain;
        gss_iov_buffer_desc iov[3] = {};
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer = bufferOf(data);
        data.detach();
        iov[1].buffer.value = data.data();
        iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
        int confidential = 0;
        const OM_uint32 major
            = gss_wrap_iov(&minor, m_context, 1, GSS_C_QOP_DEFAULT, &confidential, iov, 3);
        if (GSS_ERROR(major) || !confidential) {
            gss_release_iov_buffer(&minor, iov, 3);
            return fail(ErrorCode::Protocol, u"Kerberos wrap failed."_s,
                        statusText(major, minor, &krb5Oid));
        }
        Wrapped out{QByteArray(static_cast<const char *>(iov[0].buffer.value),
                               qsizetype(iov[0].buffer.length)),
                    data
                        + QByteArray(static_cast<const char *>(iov[2].buffer.value),
                                     qsizetype(iov[2].buffer.length))};
        gss_release_iov_buffer(&minor, iov, 3);
        return out;
    }
    // gss-ntlmssp: the token is the 16-byte signature followed by the sealed data.
    gss_buffer_desc input = bufferOf(plain);
    gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
    int confidential = 0;
    const OM_uint32 major
        = gss_wrap(&minor, m_context, 1, GSS_C_QOP_DEFAULT, &input, &confidential, &output);
    if (GSS_ERROR(major) || !confidential)
        return fail(ErrorCode::Protocol, u"NTLM seal failed."_s,
                    statusText(major, minor, &ntlmsspOid));
    const QByteArray token = takeBuffer(output);
    if (token.size() < 16)
        return fail(ErrorCode::Protocol, u"NTLM seal returned a short token."_s);
    return Wrapped{token.left(16), token.mid(16)};
}

Result<QByteArray> GssAcceptor::unwrap(const QByteArray &header, const QByteArray &data) const
{
    OM_uint32 minor = 0;
    if (!m_complete)
        return fail(ErrorCode::Protocol, u"No security context to decrypt with."_s);
    if (m_mechanism == Mechanism::Kerberos) {
        QByteArray stream = header + data;
        gss_iov_buffer_desc iov[2] = {};
        iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
        iov[0].buffer = {size_t(stream.size()), stream.data()};
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        int confidential = 0;
        gss_qop_t qop = 0;
        const OM_uint32 major = gss_unwrap_iov(&minor, m_context, &confidential, &qop, iov, 2);
        if (GSS_ERROR(major))
            return fail(ErrorCode::Integrity, u"Kerberos unwrap failed."_s,
                        statusText(major, minor, &krb5Oid));
        if (!confidential)
            return fail(ErrorCode::Integrity, u"Kerberos message was signed but not sealed."_s);
        return QByteArray(static_cast<const char *>(iov[1].buffer.value),
                          qsizetype(iov[1].buffer.length));
    }
    const QByteArray token = header + data;
    gss_buffer_desc input = bufferOf(token);
    gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
    int confidential = 0;
    const OM_uint32 major = gss_unwrap(&minor, m_context, &input, &output, &confidential, nullptr);
    if (GSS_ERROR(major))
        return fail(ErrorCode::Integrity, u"NTLM unseal failed."_s,
                    statusText(major, minor, &ntlmsspOid));
    if (!confidential) {
        gss_release_buffer(&minor, &output);
        return fail(ErrorCode::Integrity, u"NTLM message was signed but not sealed."_s);
    }
    return takeBuffer(output);
}

} // namespace aetherv::hostsim
