#include "core/winrm/httptransport.h"

#include "core/common/logging.h"
#include "core/winrm/auth/channelbindings.h"
#include "core/winrm/auth/kdcavailability.h"
#include "core/winrm/auth/kerberoscontext.h"
#include "core/winrm/auth/ntlmcontext.h"
#include "core/winrm/messageencryption.h"
#include "core/winrm/winrmerrors.h"

#include <QSysInfo>

namespace aetherv::winrm {

namespace {

const QByteArray soapContentType = QByteArrayLiteral("application/soap+xml;charset=UTF-8");

// The token of the first "WWW-Authenticate: <scheme> <token>" header for the scheme; nullopt
// when the scheme is not offered at all.
std::optional<QByteArray> challengeToken(const HttpResponse &r, const QByteArray &scheme)
{
    for (const QByteArray &value : r.headerValues("WWW-Authenticate")) {
        // Several challenges may share one header line, separated by commas.
        for (const QByteArray &part : value.split(',')) {
            const QByteArray trimmed = part.trimmed();
            if (trimmed.size() < scheme.size()
                || trimmed.left(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
                continue;
            if (trimmed.size() > scheme.size() && trimmed.at(scheme.size()) != ' ')
                continue;
            return QByteArray::fromBase64(trimmed.mid(scheme.size()).trimmed());
        }
    }
    return std::nullopt;
}

QString offeredSchemes(const HttpResponse &r)
{
    QStringList schemes;
    for (const QByteArray &value : r.headerValues("WWW-Authenticate")) {
        for (const QByteArray &part : value.split(',')) {
            const QByteArray name = part.trimmed().split(' ').value(0);
            if (!name.isEmpty() && !name.contains('='))
                schemes.append(QString::fromLatin1(name));
        }
    }
    return schemes.isEmpty() ? QStringLiteral("none") : schemes.join(QStringLiteral(", "));
}

} // namespace

HttpTransport::HttpTransport(ConnectionSettings settings, Credentials credentials, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_credentials(std::move(credentials))
    , m_connection(m_settings)
{}

HttpTransport::~HttpTransport() = default;

void HttpTransport::send(const QByteArray &envelope, bool repeatable,
                         std::chrono::milliseconds timeout, Callback done)
{
    if (m_pending) {
        done(fail(ErrorCode::Internal, QStringLiteral("a WinRM request is already in flight")));
        return;
    }
    m_pending = Pending{envelope, repeatable, timeout, std::move(done), 0};
    proceed();
}

void HttpTransport::abort()
{
    ++m_generation;
    m_pending.reset();
    m_connection.abort();
    m_context.reset();
}

void HttpTransport::finish(Result<QByteArray> result)
{
    if (!m_pending)
        return;
    Callback done = std::move(m_pending->done);
    m_pending.reset();
    done(std::move(result));
}

void HttpTransport::proceed()
{
    if (m_settings.auth == AuthMechanism::Basic) {
        if (!m_settings.https && !m_settings.allowUnencryptedBasic) {
            finish(std::unexpected(errors::encryptionRequired(
                QStringLiteral("Basic authentication cannot encrypt messages over HTTP"))));
            return;
        }
        m_mechanism = QStringLiteral("Basic");
        postMessage();
        return;
    }
    const bool contextUsable = m_context && m_context->isComplete()
                               && m_contextSerial == m_connection.connectionSerial()
                               && m_connection.isConnected();
    if (contextUsable)
        postMessage();
    else
        authenticate();
}

Result<std::unique_ptr<SecurityContext>> HttpTransport::createContext(bool kerberos)
{
    const QByteArray bindings
        = m_settings.https ? channelbindings::tlsServerEndPoint(m_connection.peerCertificateDer())
                           : QByteArray();
    if (kerberos) {
        KerberosOptions o;
        o.spnService = m_settings.spnService;
        o.spnHost = m_settings.spnHost();
        o.user = m_credentials.user;
        o.password = m_credentials.password;
        o.delegation = m_settings.delegation;
        o.channelBindingsData = bindings;
        return std::unique_ptr<SecurityContext>(new KerberosContext(o));
    }
    ntlm::NtlmClientOptions o;
    const bool upn = m_credentials.user.contains(u'@') && !m_credentials.user.contains(u'\\');
    o.user = upn ? m_credentials.user : m_credentials.userName();
    o.domain = upn ? QString() : m_credentials.domain();
    o.password = m_credentials.password;
    o.workstation = QSysInfo::machineHostName().section(u'.', 0, 0).toUpper();
    o.targetSpn = m_settings.spnService + u'/' + m_settings.spnHost();
    o.channelBindingsData = bindings;
    o.requireSealing = !m_settings.https;
    return std::unique_ptr<SecurityContext>(new ntlm::NtlmContext(o));
}

void HttpTransport::authenticate()
{
    m_context.reset();
    const quint64 generation = m_generation;
    m_connection.ensureConnected([this, generation](Result<void> connected) {
        if (generation != m_generation)
            return;
        if (!connected) {
            finish(std::unexpected(connected.error()));
            return;
        }
        const QString realm = kdcavailability::realmOf(m_credentials.user);
        if (m_settings.auth == AuthMechanism::Negotiate && !m_negotiateFellBack
            && kdcavailability::isKnownUnreachable(realm)) {
            // Another connection of this process found no KDC for the realm a moment ago:
            // going straight to NTLM spares this host the same DNS or KDC timeout.
            qCDebug(lcWinRm).noquote()
                << "no KDC for realm" << (realm.isEmpty() ? QStringLiteral("(default)") : realm)
                << "was reachable recently; using NTLM for" << m_settings.host;
            m_negotiateFellBack = true;
        }
        const bool tryKerberos
            = m_settings.auth == AuthMechanism::Kerberos
              || (m_settings.auth == AuthMechanism::Negotiate && !m_negotiateFellBack);
        auto context = createContext(tryKerberos);
        if (!context) {
            finish(std::unexpected(context.error()));
            return;
        }
        m_context = std::move(*context);
        m_contextSerial = m_connection.connectionSerial();
        auto first = m_context->step({});
        // Negotiate falls back to NTLM when no Kerberos ticket can be had (no SPN, no realm, no
        // KDC, no cache) - but not when the KDC refused the password: NTLM would only add a
        // failed logon towards the account's lockout.
        const auto *kerberos = dynamic_cast<const KerberosContext *>(m_context.get());
        if (!first && m_settings.auth == AuthMechanism::Negotiate && tryKerberos
            && !(kerberos && kerberos->passwordRejected())) {
            qCInfo(lcWinRm).noquote() << "Kerberos is not available for" << m_settings.host << "("
                                      << first.error().message << "); using NTLM";
            if (kerberos && kerberos->kdcUnreachable()) {
                kdcavailability::rememberUnreachable(realm);
                qCInfo(lcWinRm).noquote()
                    << "no KDC for realm" << (realm.isEmpty() ? QStringLiteral("(default)") : realm)
                    << "could be reached; Negotiate uses NTLM for it for the next"
                    << kdcavailability::rememberFor.count() << "minutes";
            }
            m_negotiateFellBack = true;
            m_context = std::move(*createContext(false));
            first = m_context->step({});
        }
        if (!first) {
            finish(std::unexpected(first.error()));
            return;
        }
        m_mechanism = m_context->mechanismName();
        handshakeLeg(*first);
    });
}

void HttpTransport::handshakeLeg(const QByteArray &token)
{
    const HttpHeaders headers{
        {QByteArrayLiteral("Authorization"), m_context->httpScheme() + ' ' + token.toBase64()},
        {QByteArrayLiteral("Content-Type"), soapContentType}};
    const quint64 generation = m_generation;
    m_connection.post(
        headers, {}, m_settings.effectiveReadTimeout(),
        [this, generation](Result<HttpResponse> reply) {
            if (generation != m_generation)
                return;
            if (!reply) {
                finish(std::unexpected(reply.error()));
                return;
            }
            if (m_contextSerial != m_connection.connectionSerial()) {
                finish(
                    fail(ErrorCode::Protocol,
                         QStringLiteral("%1 closed the connection during authentication; a proxy "
                                        "or load balancer that does not keep connections alive "
                                        "breaks Negotiate authentication")
                             .arg(m_settings.host)));
                return;
            }
            const QByteArray scheme = m_context->httpScheme();
            const std::optional<QByteArray> serverToken = challengeToken(*reply, scheme);
            if (reply->status == 401) {
                if (!serverToken) {
                    finish(
                        fail(ErrorCode::Configuration,
                             QStringLiteral("%1 does not offer Negotiate authentication (offered: "
                                            "%2): enable it in the WinRM service or pick another "
                                            "mechanism in the profile")
                                 .arg(m_settings.host, offeredSchemes(*reply))));
                    return;
                }
                if (serverToken->isEmpty() || m_context->isComplete()) {
                    m_context.reset();
                    finish(std::unexpected(
                        errors::credentialsRejected(m_settings, m_mechanism, m_credentials.user)));
                    return;
                }
                auto next = m_context->step(*serverToken);
                if (!next) {
                    finish(std::unexpected(next.error()));
                    return;
                }
                handshakeLeg(*next);
                return;
            }
            // Accepted: Kerberos sends its mutual-authentication token with the final answer.
            if (serverToken && !serverToken->isEmpty()) {
                auto last = m_context->step(*serverToken);
                if (!last) {
                    finish(std::unexpected(last.error()));
                    return;
                }
            }
            if (!m_context->isComplete()) {
                finish(fail(ErrorCode::Protocol,
                            QStringLiteral("%1 ended the %2 handshake early (HTTP %3)")
                                .arg(m_settings.host, m_mechanism)
                                .arg(reply->status)));
                return;
            }
            ++m_handshakes;
            qCDebug(lcWinRm).noquote()
                << "authenticated to" << m_settings.host << "with" << m_mechanism;
            postMessage();
        });
}

void HttpTransport::postMessage()
{
    HttpHeaders headers;
    QByteArray body;
    const bool encrypt = !m_settings.https && m_settings.auth != AuthMechanism::Basic;
    if (m_settings.auth == AuthMechanism::Basic) {
        const QByteArray userPass
            = m_credentials.user.toUtf8() + ':' + m_credentials.password.toUtf8();
        headers.append({QByteArrayLiteral("Authorization"), "Basic " + userPass.toBase64()});
    }
    if (encrypt) {
        auto wrapped = messageencryption::encrypt(*m_context, messageencryption::spnegoProtocol,
                                                  m_pending->envelope);
        if (!wrapped) {
            m_context.reset();
            finish(std::unexpected(wrapped.error()));
            return;
        }
        body = std::move(*wrapped);
        headers.append({QByteArrayLiteral("Content-Type"),
                        messageencryption::contentType(messageencryption::spnegoProtocol)});
    } else {
        body = m_pending->envelope;
        headers.append({QByteArrayLiteral("Content-Type"), soapContentType});
    }
    const quint64 generation = m_generation;
    m_connection.post(headers, body, m_pending->timeout,
                      [this, generation, encrypt](Result<HttpResponse> reply) {
                          if (generation != m_generation)
                              return;
                          onReply(std::move(reply), encrypt);
                      });
}

bool HttpTransport::retryAfterLostContext(const Error &why)
{
    m_context.reset();
    if (!m_pending || !m_pending->repeatable || m_pending->attempt > 0)
        return false;
    ++m_pending->attempt;
    qCInfo(lcWinRm).noquote() << "repeating a request to" << m_settings.host
                              << "after:" << why.message;
    proceed();
    return true;
}

void HttpTransport::onReply(Result<HttpResponse> reply, bool encrypted)
{
    if (!reply) {
        // A lost connection loses the security context; only repeatable requests go again.
        if (reply.error().code == ErrorCode::Network && retryAfterLostContext(reply.error()))
            return;
        m_context.reset();
        finish(std::unexpected(reply.error()));
        return;
    }
    const int status = reply->status;
    if (status == 401) {
        const Error lost{
            ErrorCode::CredentialsRejected,
            QStringLiteral("%1 no longer accepts the security context").arg(m_settings.host),
            {}};
        if (m_settings.auth != AuthMechanism::Basic && retryAfterLostContext(lost))
            return;
        if (m_settings.auth != AuthMechanism::Basic && m_pending && !m_pending->repeatable) {
            finish(fail(ErrorCode::Network,
                        QStringLiteral("%1 dropped the security context while a command was being "
                                       "started or fed; it was not repeated because that is not "
                                       "safe — run the operation again")
                            .arg(m_settings.host)));
            return;
        }
        finish(std::unexpected(
            errors::credentialsRejected(m_settings, m_mechanism, m_credentials.user)));
        return;
    }
    if (status != 200 && status != 500) {
        if (encrypted)
            m_context.reset();
        finish(std::unexpected(errors::httpStatus(m_settings, status, reply->body)));
        return;
    }
    const QByteArray contentType = reply->header("Content-Type");
    if (messageencryption::isEncryptedContentType(contentType)) {
        if (!m_context) {
            finish(fail(ErrorCode::Protocol,
                        QStringLiteral("%1 sent an encrypted reply without a security context")
                            .arg(m_settings.host)));
            return;
        }
        auto plain = messageencryption::decrypt(*m_context, reply->body, contentType);
        if (!plain) {
            // The RC4/sequence state is now unusable: start over on a fresh connection.
            m_context.reset();
            m_connection.abort();
            finish(std::unexpected(plain.error()));
            return;
        }
        finish(std::move(*plain));
        return;
    }
    if (encrypted && !reply->body.isEmpty())
        qCDebug(lcWinRm).noquote() << m_settings.host << "answered an encrypted request in clear";
    finish(std::move(reply->body));
}

} // namespace aetherv::winrm
