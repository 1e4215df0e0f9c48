#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

// How to reach and authenticate to one host's WinRM service. A plain value: the profile layer
// fills it; nothing here reads settings or secrets.
namespace aetherv::winrm {

enum class AuthMechanism {
    Negotiate, // Kerberos when a ticket for the SPN can be obtained, otherwise NTLM
    Ntlm,      // NTLMv2 under the HTTP "Negotiate" scheme
    Kerberos,  // Kerberos through GSSAPI under the HTTP "Negotiate" scheme
    Basic,     // HTTPS only unless allowUnencryptedBasic
};

struct ConnectionSettings
{
    QString host;
    int port = 0; // 0: 5985 for HTTP, 5986 for HTTPS
    bool https = false;
    QString path = QStringLiteral("/wsman");
    AuthMechanism auth = AuthMechanism::Negotiate;

    // Kerberos service principal: <spnService>/<spnHost or host>.
    QString spnService = QStringLiteral("HTTP");
    QString spnTargetName; // overrides the host part (e.g. the FQDN when connecting by IP)
    bool delegation = false;

    QString caFile;               // PEM CA bundle; empty: system CAs
    bool ignoreTlsErrors = false; // logs a warning on every connection
    bool allowUnencryptedBasic = false;

    std::chrono::milliseconds operationTimeout{20000}; // WS-Man OperationTimeout (poll interval)
    std::chrono::milliseconds connectTimeout{15000};
    // HTTP read timeout; 0: OperationTimeout + 10 s so a Receive poll never trips it.
    std::chrono::milliseconds readTimeout{0};
    qint64 maxEnvelopeSize = 153600; // bytes; safe for 150 KB servers, raise for 500 KB hosts
    std::chrono::milliseconds commandDeadline{std::chrono::minutes(30)}; // 0: none
    // Upper bound for Signal/Delete during cleanup after errors, cancel and deadlines.
    std::chrono::milliseconds cleanupTimeout{15000};

    int effectivePort() const { return port > 0 ? port : (https ? 5986 : 5985); }
    std::chrono::milliseconds effectiveReadTimeout() const
    {
        return readTimeout.count() > 0 ? readTimeout
                                       : operationTimeout + std::chrono::milliseconds(10000);
    }
    QString spnHost() const { return spnTargetName.isEmpty() ? host : spnTargetName; }
    QUrl url() const
    {
        QUrl u;
        u.setScheme(https ? QStringLiteral("https") : QStringLiteral("http"));
        u.setHost(host);
        u.setPort(effectivePort());
        u.setPath(path);
        return u;
    }
};

QString authMechanismName(AuthMechanism mechanism);

} // namespace aetherv::winrm
