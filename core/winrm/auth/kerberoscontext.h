#pragma once

#include "core/winrm/auth/securitycontext.h"

#include <QString>

#include <memory>

// Kerberos through MIT GSSAPI (krb5 mechanism, tokens under the HTTP "Negotiate" scheme as
// Windows accepts them): mutual authentication, optional delegation, channel bindings over
// HTTPS, and RFC 4121 wrap/unwrap for message encryption.
namespace aetherv::winrm {

struct KerberosOptions
{
    QString spnService = QStringLiteral("HTTP");
    QString spnHost;
    QString user;     // "user@REALM" or "REALM\\user"; empty: the default ticket cache
    QString password; // empty: use the existing ticket cache
    bool delegation = false;
    QByteArray channelBindingsData;
};

class KerberosContext final : public SecurityContext
{
public:
    explicit KerberosContext(KerberosOptions options);
    ~KerberosContext() override;

    QString mechanismName() const override { return QStringLiteral("Kerberos"); }
    QByteArray httpScheme() const override { return QByteArrayLiteral("Negotiate"); }
    Result<QByteArray> step(const QByteArray &serverToken) override;
    bool isComplete() const override;
    Result<WrappedMessage> wrap(const QByteArray &plaintext) override;
    Result<QByteArray> unwrap(const QByteArray &header, const QByteArray &data) override;

    QString spn() const;
    // True after step() failed because the KDC refused the password of a realm- or
    // domain-qualified user (not merely because no ticket could be had): Negotiate must not
    // retry the same password through NTLM.
    bool passwordRejected() const;
    // True after step() failed because the realm's KDC could not be found or reached.
    bool kdcUnreachable() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace aetherv::winrm
