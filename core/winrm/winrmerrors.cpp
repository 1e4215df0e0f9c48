#include "core/winrm/winrmerrors.h"

#include "core/winrm/wsmannamespaces.h"

namespace aetherv::winrm::errors {

namespace {
QString endpoint(const ConnectionSettings &s)
{
    return s.url().toString();
}
} // namespace

Error networkError(const ConnectionSettings &s, QAbstractSocket::SocketError error,
                   const QString &text, bool whileConnecting)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return Error{ErrorCode::Network,
                     QStringLiteral("%1 refused the connection: check that WinRM listens there "
                                    "(winrm quickconfig; HTTP 5985, HTTPS 5986) and that the "
                                    "firewall allows it")
                         .arg(endpoint(s)),
                     text};
    case QAbstractSocket::HostNotFoundError:
        return Error{ErrorCode::Network,
                     QStringLiteral("cannot resolve %1: check the host name and DNS").arg(s.host),
                     text};
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return Error{ErrorCode::Tls,
                     QStringLiteral("the TLS handshake with %1 failed: check that the port is an "
                                    "HTTPS listener and that both sides share a TLS version")
                         .arg(endpoint(s)),
                     text};
    case QAbstractSocket::SocketTimeoutError:
        return whileConnecting ? connectTimeout(s) : readTimeout(s, s.effectiveReadTimeout());
    default:
        break;
    }
    return Error{ErrorCode::Network,
                 whileConnecting
                     ? QStringLiteral("cannot connect to %1: check the network path and the port")
                           .arg(endpoint(s))
                     : QStringLiteral("the connection to %1 was lost: the host may be restarting "
                                      "or a proxy/firewall dropped it")
                           .arg(endpoint(s)),
                 text};
}

Error tlsError(const QString &host, const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &e : errors)
        texts.append(e.errorString());
    return Error{
        ErrorCode::Tls,
        QStringLiteral("the TLS certificate of %1 is not trusted: give the issuing CA's "
                       "certificate as the CA file (profile winrm.caFile, the console's CA "
                       "file field, or WINRM_CA_FILE) or install it in the system store, and "
                       "check that the host name matches the certificate and that it has not "
                       "expired; ignoring TLS errors (winrm.ignoreTlsErrors) is unsafe")
            .arg(host),
        texts.join(QStringLiteral("; "))};
}

Error caFileUnusable(const ConnectionSettings &s)
{
    return Error{ErrorCode::Configuration,
                 QStringLiteral("the CA file %1 (winrm.caFile / WINRM_CA_FILE) is missing, "
                                "unreadable or holds no PEM certificate: point it at the PEM "
                                "certificate of the CA that issued the hosts' certificates")
                     .arg(s.caFile),
                 {}};
}

Error connectTimeout(const ConnectionSettings &s)
{
    return Error{ErrorCode::Timeout,
                 QStringLiteral("no connection to %1 within %2 s: the host is down, unreachable "
                                "or a firewall drops the port")
                     .arg(endpoint(s))
                     .arg(s.connectTimeout.count() / 1000.0),
                 {}};
}

Error readTimeout(const ConnectionSettings &s, std::chrono::milliseconds timeout)
{
    return Error{ErrorCode::Timeout,
                 QStringLiteral("%1 did not answer within %2 s: the host or its WinRM service "
                                "hangs; raise the read timeout only if the host is just slow")
                     .arg(endpoint(s))
                     .arg(timeout.count() / 1000.0),
                 {}};
}

Error credentialsRejected(const ConnectionSettings &s, const QString &mechanism,
                          const QString &user)
{
    QString hint;
    if (mechanism == u"Kerberos")
        hint = QStringLiteral("check the password or ticket of %1, that the clock is in sync, "
                              "and the SPN service/target name in the profile")
                   .arg(user);
    else if (mechanism == u"Basic")
        hint = QStringLiteral("check user name and password of %1; Basic works only for local "
                              "accounts and must be enabled in the WinRM service")
                   .arg(user);
    else
        hint = QStringLiteral("check user name, domain and password of %1; a local account that "
                              "is not the built-in Administrator also needs "
                              "LocalAccountTokenFilterPolicy=1, and strict channel binding needs "
                              "HTTPS with the real host name")
                   .arg(user);
    return Error{ErrorCode::CredentialsRejected,
                 QStringLiteral("%1 rejected the %2 credentials: %3").arg(s.host, mechanism, hint),
                 {}};
}

Error encryptionRequired(const QString &why)
{
    return Error{ErrorCode::EncryptionRequired,
                 why
                     + QStringLiteral(": the host requires encryption, use Negotiate/Kerberos "
                                      "(message encryption) or HTTPS"),
                 {}};
}

Error malformedHttp(const ConnectionSettings &s, const QString &what, const QByteArray &sample)
{
    // The sample is shown escaped: a hostile endpoint must not write control characters into
    // the operator's terminal or log.
    QString shown;
    for (const char c : sample.left(80)) {
        const auto u = static_cast<unsigned char>(c);
        shown += (u >= 0x20 && u < 0x7f) ? QString(QChar(char16_t(u)))
                                         : QStringLiteral("\\x%1").arg(uint(u), 2, 16, QChar(u'0'));
    }
    return Error{ErrorCode::Protocol,
                 QStringLiteral("%1 did not answer with valid HTTP (%2): check that the port is a "
                                "WinRM listener and not another service or a proxy")
                     .arg(endpoint(s), what),
                 shown.isEmpty() ? QString() : QStringLiteral("received: ") + shown};
}

Error responseTooLarge(const ConnectionSettings &s, qint64 limit, qint64 announced)
{
    const QString size = announced > 0 ? QStringLiteral("%1 bytes").arg(announced)
                                       : QStringLiteral("more than %1 bytes").arg(limit);
    return Error{ErrorCode::Protocol,
                 QStringLiteral("%1 sent a reply of %2, beyond the limit of %3 bytes for a "
                                "WS-Management reply (the max envelope size is %4 bytes): the "
                                "endpoint is not a conforming WinRM service; the connection was "
                                "closed")
                     .arg(endpoint(s), size)
                     .arg(limit)
                     .arg(s.maxEnvelopeSize),
                 {}};
}

Error responseNeverEnds(const ConnectionSettings &s, std::chrono::milliseconds deadline)
{
    return Error{ErrorCode::Timeout,
                 QStringLiteral("%1 kept sending for %2 s without finishing its reply: the "
                                "endpoint is not a conforming WinRM service or the link is "
                                "extremely slow; the connection was closed")
                     .arg(endpoint(s))
                     .arg(deadline.count() / 1000.0),
                 {}};
}

Error httpStatus(const ConnectionSettings &s, int status, const QByteArray &body)
{
    const QString detail = QString::fromUtf8(body.left(300)).simplified();
    switch (status) {
    case 413:
        return Error{ErrorCode::Protocol,
                     QStringLiteral("%1 refused a request as too large (HTTP 413): lower the max "
                                    "envelope size in the profile to the host's MaxEnvelopeSizekb")
                         .arg(s.host),
                     detail};
    case 415:
        return Error{ErrorCode::Protocol,
                     QStringLiteral("%1 refused the request format (HTTP 415): the host may not "
                                    "support this encryption; try HTTPS")
                         .arg(s.host),
                     detail};
    case 400:
        return Error{ErrorCode::Protocol,
                     QStringLiteral("%1 answered HTTP 400: the security context or shell was "
                                    "dropped by the host; retry the operation")
                         .arg(s.host),
                     detail};
    case 404:
        return Error{ErrorCode::Configuration,
                     QStringLiteral("%1 has no WinRM listener at %2 (HTTP 404): check the path "
                                    "and port in the profile")
                         .arg(s.host, s.path),
                     detail};
    default:
        break;
    }
    return Error{ErrorCode::Protocol,
                 QStringLiteral("%1 answered HTTP %2, which is not a WS-Management reply: check "
                                "for a proxy or another service on the port")
                     .arg(s.host)
                     .arg(status),
                 detail};
}

Error fault(const WsmanFault &f, const QString &operation)
{
    QString hint;
    switch (f.wsmanCode) {
    case ns::faultcode::shellQuota:
        hint = QStringLiteral("too many shells for this user: close leaked sessions "
                              "(Get-WSManInstance ... shell) or raise MaxShellsPerUser");
        break;
    case ns::faultcode::commandQuota:
        hint = QStringLiteral("too many commands in this shell; the next run opens a new one");
        break;
    case ns::faultcode::invalidSelectors:
        hint = QStringLiteral("the shell or command no longer exists on the host (idle timeout, "
                              "WinRM restart); run the operation again");
        break;
    case ns::faultcode::envelopeTooLarge:
    case ns::faultcode::maxEnvelopeSize:
    case ns::faultcode::maxEnvelopeSizeExceeded:
        hint = QStringLiteral("the message exceeds the host's MaxEnvelopeSizekb: lower the max "
                              "envelope size in the profile");
        break;
    case ns::faultcode::accessDenied:
        hint = QStringLiteral("the account may not use WinRM: add it to Administrators or "
                              "Remote Management Users on the host");
        break;
    default:
        hint = QStringLiteral("see the host's message");
        break;
    }
    Error e{ErrorCode::WsManFault,
            QStringLiteral("WS-Management fault during %1: %2 (%3)")
                .arg(operation, f.text().isEmpty() ? f.subcode : f.text(), hint),
            QStringLiteral("code %1%2%3")
                .arg(f.wsmanCode)
                .arg(f.subcode.isEmpty() ? QString() : u", " + f.subcode)
                .arg(f.machine.isEmpty() ? QString() : u", machine " + f.machine)};
    return e;
}

Error cancelled()
{
    return Error{ErrorCode::Cancelled, QStringLiteral("cancelled by the operator"), {}};
}

Error commandDeadline(std::chrono::milliseconds deadline)
{
    return Error{ErrorCode::Timeout,
                 QStringLiteral("the command did not finish within its deadline of %1 s and was "
                                "stopped; raise the command deadline if it is just slow")
                     .arg(deadline.count() / 1000.0),
                 {}};
}

} // namespace aetherv::winrm::errors
