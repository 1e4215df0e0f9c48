#include "core/winrm/auth/kerberoscontext.h"

#include "core/winrm/auth/kdcavailability.h"

#include <QStringList>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

namespace aetherv::winrm {

namespace {

gss_OID_desc krb5Oid = {9, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02")};

// KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN and friends (krb5 error table base -1765328384).
constexpr OM_uint32 krbServerUnknown = static_cast<OM_uint32>(-1765328377L);
constexpr OM_uint32 krbClientUnknown = static_cast<OM_uint32>(-1765328378L);
constexpr OM_uint32 krbPreauthFailed = static_cast<OM_uint32>(-1765328360L);
constexpr OM_uint32 krbIntegrityFailed = static_cast<OM_uint32>(-1765328353L);
constexpr OM_uint32 krbClockSkew = static_cast<OM_uint32>(-1765328347L);
// No KDC for the realm: not configured and not in DNS, or none answered.
constexpr OM_uint32 krbRealmUnknown = static_cast<OM_uint32>(-1765328230L);
constexpr OM_uint32 krbKdcUnreachable = static_cast<OM_uint32>(-1765328228L);
constexpr OM_uint32 krbRealmCannotResolve = static_cast<OM_uint32>(-1765328164L);

QString statusText(OM_uint32 code, int type)
{
    QStringList parts;
    OM_uint32 ctx = 0;
    do {
        OM_uint32 minor = 0;
        gss_buffer_desc buf{0, nullptr};
        if (gss_display_status(&minor, code, type, GSS_C_NO_OID, &ctx, &buf) != GSS_S_COMPLETE)
            break;
        parts.append(QString::fromUtf8(static_cast<const char *>(buf.value),
                                       static_cast<qsizetype>(buf.length)));
        gss_release_buffer(&minor, &buf);
    } while (ctx != 0);
    return parts.join(QStringLiteral("; "));
}

QByteArray bytes(const gss_buffer_desc &b)
{
    return QByteArray(static_cast<const char *>(b.value), static_cast<qsizetype>(b.length));
}

// "DOMAIN\\user" -> "user@DOMAIN", "alice@corp.example" -> "alice@CORP.EXAMPLE": realm names are
// case-sensitive and upper case by convention (Active Directory always), and operators type
// them either way. The realm is the one the KDC memory of Negotiate keys on.
QString principalFrom(const QString &user)
{
    const QString realm = kdcavailability::realmOf(user);
    if (realm.isEmpty())
        return user;
    const qsizetype slash = user.indexOf(u'\\');
    const QString name = slash >= 0 ? user.mid(slash + 1) : user.left(user.lastIndexOf(u'@'));
    return name + u'@' + realm;
}

} // namespace

struct KerberosContext::Private
{
    KerberosOptions options;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t target = GSS_C_NO_NAME;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    bool complete = false;
    bool started = false;
    bool passwordRejected = false;
    bool kdcUnreachable = false;

    Error gssError(const QString &stage, OM_uint32 major, OM_uint32 minor) const
    {
        const QString detail
            = statusText(major, GSS_C_GSS_CODE) + u" / " + statusText(minor, GSS_C_MECH_CODE);
        const QString spn = options.spnService + u'/' + options.spnHost;
        if (minor == krbServerUnknown)
            return Error{ErrorCode::Configuration,
                         QStringLiteral("the KDC knows no SPN %1: set the SPN service (HTTP, WSMAN "
                                        "or HOST) or the target name (the host's FQDN) in the "
                                        "profile")
                             .arg(spn),
                         detail};
        if (minor == krbPreauthFailed || minor == krbIntegrityFailed)
            return Error{ErrorCode::CredentialsRejected,
                         QStringLiteral("the KDC rejected the password of %1: check the password "
                                        "in the profile (and that the account is not locked)")
                             .arg(principalFrom(options.user)),
                         detail};
        if (minor == krbClientUnknown)
            return Error{ErrorCode::CredentialsRejected,
                         QStringLiteral("the KDC knows no user %1: check the user name and "
                                        "domain (realm) in the profile")
                             .arg(principalFrom(options.user)),
                         detail};
        if (minor == krbClockSkew)
            return Error{ErrorCode::CredentialsRejected,
                         QStringLiteral("the clocks of this computer and the KDC differ too much: "
                                        "synchronise the time"),
                         detail};
        if (major == GSS_S_NO_CRED)
            return Error{ErrorCode::CredentialsRejected,
                         QStringLiteral("no Kerberos ticket is available: run kinit or store the "
                                        "password in the profile"),
                         detail};
        return Error{ErrorCode::CredentialsRejected,
                     QStringLiteral("Kerberos %1 for %2 failed: check the realm configuration "
                                    "(krb5.conf), the SPN and the credentials")
                         .arg(stage, spn),
                     detail};
    }
};

KerberosContext::KerberosContext(KerberosOptions options)
    : d(std::make_unique<Private>())
{
    d->options = std::move(options);
}

KerberosContext::~KerberosContext()
{
    OM_uint32 minor = 0;
    if (d->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &d->ctx, GSS_C_NO_BUFFER);
    if (d->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &d->target);
    if (d->cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &d->cred);
}

QString KerberosContext::spn() const
{
    return d->options.spnService + u'/' + d->options.spnHost;
}

bool KerberosContext::passwordRejected() const
{
    return d->passwordRejected;
}

bool KerberosContext::kdcUnreachable() const
{
    return d->kdcUnreachable;
}

bool KerberosContext::isComplete() const
{
    return d->complete;
}

Result<QByteArray> KerberosContext::step(const QByteArray &serverToken)
{
    OM_uint32 minor = 0;
    OM_uint32 major = 0;
    const auto failed = [this, &major, &minor](const QString &stage) {
        // The AS exchange runs in gss_acquire_cred_with_password or, deferred, in the first
        // gss_init_sec_context; either way these codes mean the password did not decrypt. Only
        // a user qualified with a realm or domain counts: a bare "Administrator" may well be a
        // local account of the host that the default realm also happens to know.
        const QString &user = d->options.user;
        d->passwordRejected = !d->options.password.isEmpty()
                              && (user.contains(u'@') || user.contains(u'\\'))
                              && (minor == krbPreauthFailed || minor == krbIntegrityFailed);
        d->kdcUnreachable = minor == krbRealmUnknown || minor == krbKdcUnreachable
                            || minor == krbRealmCannotResolve;
        return std::unexpected(d->gssError(stage, major, minor));
    };
    if (!d->started) {
        d->started = true;
        const QByteArray service = (d->options.spnService + u'@' + d->options.spnHost).toUtf8();
        gss_buffer_desc nameBuf{static_cast<size_t>(service.size()),
                                const_cast<char *>(service.constData())};
        major = gss_import_name(&minor, &nameBuf, GSS_C_NT_HOSTBASED_SERVICE, &d->target);
        if (GSS_ERROR(major))
            return failed(QStringLiteral("name import"));
        if (!d->options.password.isEmpty() && !d->options.user.isEmpty()) {
            const QByteArray principal = principalFrom(d->options.user).toUtf8();
            gss_buffer_desc userBuf{static_cast<size_t>(principal.size()),
                                    const_cast<char *>(principal.constData())};
            gss_name_t userName = GSS_C_NO_NAME;
            major = gss_import_name(&minor, &userBuf, GSS_C_NT_USER_NAME, &userName);
            if (GSS_ERROR(major))
                return failed(QStringLiteral("user name import"));
            QByteArray password = d->options.password.toUtf8();
            gss_buffer_desc pwBuf{static_cast<size_t>(password.size()), password.data()};
            gss_OID_set_desc mechs{1, &krb5Oid};
            // MIT keeps the acquired tickets in a private memory cache.
            major
                = gss_acquire_cred_with_password(&minor, userName, &pwBuf, GSS_C_INDEFINITE, &mechs,
                                                 GSS_C_INITIATE, &d->cred, nullptr, nullptr);
            password.fill('\0');
            OM_uint32 ignored = 0;
            gss_release_name(&ignored, &userName);
            if (GSS_ERROR(major))
                return failed(QStringLiteral("login"));
        }
    }

    gss_buffer_desc in{static_cast<size_t>(serverToken.size()),
                       const_cast<char *>(serverToken.constData())};
    gss_buffer_desc out{0, nullptr};
    gss_channel_bindings_struct cb{};
    gss_channel_bindings_t cbPtr = GSS_C_NO_CHANNEL_BINDINGS;
    QByteArray cbData = d->options.channelBindingsData;
    if (!cbData.isEmpty()) {
        cb.application_data.length = static_cast<size_t>(cbData.size());
        cb.application_data.value = cbData.data();
        cbPtr = &cb;
    }
    OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    if (d->options.delegation)
        flags |= GSS_C_DELEG_FLAG;
    OM_uint32 retFlags = 0;
    major = gss_init_sec_context(&minor, d->cred, &d->ctx, d->target, &krb5Oid, flags, 0, cbPtr,
                                 serverToken.isEmpty() ? GSS_C_NO_BUFFER : &in, nullptr, &out,
                                 &retFlags, nullptr);
    const QByteArray token = bytes(out);
    OM_uint32 ignored = 0;
    gss_release_buffer(&ignored, &out);
    if (GSS_ERROR(major))
        return failed(QStringLiteral("authentication"));
    if (major == GSS_S_COMPLETE) {
        if (!(retFlags & GSS_C_CONF_FLAG))
            return fail(ErrorCode::EncryptionRequired,
                        QStringLiteral("the Kerberos context offers no confidentiality, so "
                                       "messages cannot be encrypted: use HTTPS"));
        d->complete = true;
    }
    return token;
}

Result<WrappedMessage> KerberosContext::wrap(const QByteArray &plaintext)
{
    if (!d->complete)
        return fail(ErrorCode::Internal, QStringLiteral("Kerberos wrap before authentication"));
    OM_uint32 minor = 0;
    QByteArray data = plaintext;
    gss_iov_buffer_desc iov[3];
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    iov[0].buffer = {0, nullptr};
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer = {static_cast<size_t>(data.size()), data.data()};
    iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    iov[2].buffer = {0, nullptr};
    int conf = 0;
    const OM_uint32 major = gss_wrap_iov(&minor, d->ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
    if (GSS_ERROR(major) || !conf) {
        gss_release_iov_buffer(&minor, iov, 3);
        return std::unexpected(d->gssError(QStringLiteral("encryption"), major, minor));
    }
    WrappedMessage out;
    out.header = bytes(iov[0].buffer);
    out.data = data + bytes(iov[2].buffer);
    out.originalLength = plaintext.size() + static_cast<qsizetype>(iov[2].buffer.length);
    gss_release_iov_buffer(&minor, iov, 3);
    return out;
}

Result<QByteArray> KerberosContext::unwrap(const QByteArray &header, const QByteArray &data)
{
    if (!d->complete)
        return fail(ErrorCode::Internal, QStringLiteral("Kerberos unwrap before authentication"));
    // Header and data together form a complete RFC 4121 token (any RRC); plain gss_unwrap
    // handles both the MIT and the Windows rotation.
    QByteArray token = header + data;
    OM_uint32 minor = 0;
    gss_buffer_desc in{static_cast<size_t>(token.size()), token.data()};
    gss_buffer_desc out{0, nullptr};
    int conf = 0;
    const OM_uint32 major = gss_unwrap(&minor, d->ctx, &in, &out, &conf, nullptr);
    if (GSS_ERROR(major))
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the host's encrypted reply failed Kerberos verification"),
                    statusText(major, GSS_C_GSS_CODE) + u" / "
                        + statusText(minor, GSS_C_MECH_CODE));
    QByteArray plain = bytes(out);
    gss_release_buffer(&minor, &out);
    if (!conf)
        return fail(ErrorCode::EncryptionRequired,
                    QStringLiteral("the host's reply was signed but not encrypted"));
    return plain;
}

} // namespace aetherv::winrm
