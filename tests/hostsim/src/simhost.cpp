#include "simhost.h"

#include "encryptedmessage.h"
#include "hostsimlog.h"
#include "shellservice.h"
#include "userdirectory.h"
#include "wsmanmessage.h"

#include <QDir>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 framingSlack = 4096; // multipart/encrypted headers around the envelope
using Header = QPair<QByteArray, QByteArray>;

// "Scheme token" -> {Scheme, token}
QPair<QByteArray, QByteArray> splitAuthorization(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    if (space < 0)
        return {trimmed, {}};
    return {trimmed.left(space), trimmed.mid(space + 1).trimmed()};
}
} // namespace

SimHost::SimHost(const HostSimOptions &options, QString name, WorkerPool *pool,
                 const UserDirectory *users, const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_name(std::move(name))
    , m_driveRoot(options.root + u'/' + m_name + u"/C"_s)
    , m_pool(pool)
    , m_users(users)
    , m_tls(tls)
{
    for (const char16_t *dir : {u"Windows/Temp", u"Program Files", u"Program Files (x86)",
                                u"ProgramData", u"Users/Public"})
        QDir().mkpath(m_driveRoot + u'/' + QString::fromUtf16(dir));
    m_shells = new ShellService(
        m_name, m_driveRoot, pool,
        {options.maxEnvelopeKb, options.maxShellsPerUser, options.maxTimeoutMs}, this);
}

SimHost::~SimHost() = default;

Result<void> SimHost::listen(quint16 port)
{
    if (m_options.https) {
        auto *server = new QSslServer(this);
        server->setSslConfiguration(m_tls);
        connect(server, &QSslServer::errorOccurred, this,
                [this](QSslSocket *, QAbstractSocket::SocketError error) {
                    qCInfo(lcHostSim).noquote() << m_name << "TLS connection failed:" << error;
                });
        m_server = server;
    } else {
        m_server = new QTcpServer(this);
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &SimHost::onConnection);
    if (!m_server->listen(m_options.listenAddress, port))
        return fail(ErrorCode::Network, u"Host %1 cannot listen."_s.arg(m_name),
                    u"%1:%2 %3"_s.arg(m_options.listenAddress.toString())
                        .arg(port)
                        .arg(m_server->errorString()));
    return {};
}

QString SimHost::url() const
{
    QString host = m_options.listenAddress.toString();
    if (m_options.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"%1://%2:%3/wsman"_s.arg(m_options.https ? u"https"_s : u"http"_s, host)
        .arg(m_server ? m_server->serverPort() : 0);
}

void SimHost::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        const qint64 maxBody = qint64(m_options.maxEnvelopeKb) * 1024 + framingSlack;
        auto *connection = new HttpConnection(socket, maxBody, this);
        connect(connection, &HttpConnection::requestReceived, this,
                [this, connection](const HttpRequest &request) { onRequest(connection, request); });
        connect(connection, &HttpConnection::closed, connection, &QObject::deleteLater);
    }
}

HttpResponse SimHost::challenge() const
{
    HttpResponse response{401, {}, {}, false};
    if (m_options.negotiate)
        response.headers.append(Header("WWW-Authenticate", "Negotiate"));
    if (m_options.kerberos)
        response.headers.append(Header("WWW-Authenticate", "Kerberos"));
    if (m_options.basic)
        response.headers.append(Header("WWW-Authenticate", "Basic realm=\"WSMAN\""));
    return response;
}

void SimHost::onRequest(HttpConnection *connection, const HttpRequest &request)
{
    if (m_faults.hang) {
        qCInfo(lcHostSim).noquote() << m_name << "hang fault: leaving a request unanswered";
        return;
    }
    if (m_faults.latencyMs > 0) {
        QTimer::singleShot(m_faults.latencyMs, connection,
                           [this, connection, request] { process(connection, request); });
        return;
    }
    process(connection, request);
}

void SimHost::process(HttpConnection *connection, const HttpRequest &request)
{
    if (m_faults.failNextCount > 0) {
        --m_faults.failNextCount;
        qCInfo(lcHostSim).noquote() << m_name << "failNext fault: answering" << m_faults.failStatus;
        connection->respond({m_faults.failStatus, {}, {}, false});
        return;
    }
    const qsizetype query = request.target.indexOf('?');
    const QByteArray path = (query < 0 ? request.target : request.target.left(query)).toLower();
    if (path != "/wsman") {
        connection->respond({404, {}, {}, false});
        return;
    }
    if (request.method != "POST") {
        connection->respond({405, {{"Allow", "POST"}}, {}, false});
        return;
    }

    QList<QPair<QByteArray, QByteArray>> authHeaders;
    const QByteArray authorization = request.header("Authorization");
    const bool secureChannel = m_options.https;
    if (!authorization.isEmpty()) {
        const auto [scheme, token] = splitAuthorization(authorization);
        if (scheme.compare("Basic", Qt::CaseInsensitive) == 0) {
            if (!m_options.basic || (!secureChannel && !m_options.allowUnencrypted)
                || m_faults.rejectCredentials || !m_users) {
                qCInfo(lcHostSim).noquote()
                    << m_name << "Basic login refused from" << connection->peerAddress();
                connection->respond(challenge());
                return;
            }
            const QString decoded = QString::fromUtf8(QByteArray::fromBase64(token));
            const qsizetype colon = decoded.indexOf(u':');
            const auto user = colon < 0
                                  ? std::nullopt
                                  : m_users->verify(decoded.left(colon), decoded.mid(colon + 1));
            if (!user) {
                qCInfo(lcHostSim).noquote() << m_name << "Basic credentials rejected for"
                                            << (colon < 0 ? QString() : decoded.left(colon));
                connection->respond(challenge());
                return;
            }
            connection->clearAuthentication();
            connection->setAuthenticated(HttpConnection::AuthScheme::Basic, *user);
        } else if ((scheme.compare("Negotiate", Qt::CaseInsensitive) == 0 && m_options.negotiate)
                   || (scheme.compare("Kerberos", Qt::CaseInsensitive) == 0
                       && m_options.kerberos)) {
            const bool kerberosScheme = scheme.compare("Kerberos", Qt::CaseInsensitive) == 0;
            const QByteArray headerScheme = kerberosScheme ? "Kerberos" : "Negotiate";
            const auto step = connection->security().accept(QByteArray::fromBase64(token));
            if (step.state == GssAcceptor::State::Failed
                || (step.state == GssAcceptor::State::Complete && m_faults.rejectCredentials)) {
                qCInfo(lcHostSim).noquote()
                    << m_name << headerScheme << "authentication failed from"
                    << connection->peerAddress()
                    << (step.error.isEmpty() ? u"(rejectCredentials fault)"_s : step.error);
                connection->clearAuthentication();
                connection->respond(challenge());
                return;
            }
            if (step.state == GssAcceptor::State::Continue) {
                connection->respond(
                    {401,
                     {{"WWW-Authenticate", headerScheme + ' ' + step.outputToken.toBase64()}},
                     {},
                     false});
                return;
            }
            connection->setAuthenticated(kerberosScheme ? HttpConnection::AuthScheme::Kerberos
                                                        : HttpConnection::AuthScheme::Negotiate,
                                         connection->security().peerName());
            qCInfo(lcHostSim).noquote() << m_name << "authenticated" << connection->user() << "via"
                                        << headerScheme << "from" << connection->peerAddress();
            if (!step.outputToken.isEmpty())
                authHeaders.append(
                    Header("WWW-Authenticate", headerScheme + ' ' + step.outputToken.toBase64()));
        } else {
            connection->respond(challenge());
            return;
        }
    } else if (connection->security().isComplete()
               && connection->scheme() != HttpConnection::AuthScheme::None) {
        if (m_faults.expireContext) {
            m_faults.expireContext = false;
            qCInfo(lcHostSim).noquote()
                << m_name << "expireContext fault: security context dropped";
            connection->clearAuthentication();
            connection->respond(challenge());
            return;
        }
    } else {
        connection->respond(challenge());
        return;
    }
    serveSoap(connection, request, authHeaders);
}

void SimHost::serveSoap(HttpConnection *connection, const HttpRequest &request,
                        const QList<QPair<QByteArray, QByteArray>> &authHeaders)
{
    if (request.body.isEmpty()) {
        connection->respond({200, authHeaders, {}, false});
        return;
    }
    const QByteArray contentType = request.header("Content-Type");
    const bool encrypted = encryptedmessage::isEncryptedContentType(contentType);
    QByteArray protocol;
    QByteArray soap;
    if (encrypted) {
        if (connection->scheme() != HttpConnection::AuthScheme::Negotiate
            && connection->scheme() != HttpConnection::AuthScheme::Kerberos) {
            connection->respond({400, {}, {}, false});
            return;
        }
        const auto parsed = encryptedmessage::parse(contentType, request.body);
        if (!parsed) {
            qCInfo(lcHostSim).noquote()
                << m_name << "bad encrypted body:" << parsed.error().toString();
            connection->respond({400, {}, {}, false});
            return;
        }
        protocol = parsed->protocol;
        for (const auto &part : parsed->parts) {
            const auto plain = connection->security().unwrap(part.header, part.data);
            if (!plain || plain->size() != part.originalLength) {
                qCInfo(lcHostSim).noquote()
                    << m_name << "encrypted part rejected:"
                    << (plain ? u"length mismatch"_s : plain.error().toString());
                connection->respond({400, {}, {}, false});
                return;
            }
            soap += *plain;
        }
    } else {
        if (!m_options.https && !m_options.allowUnencrypted) {
            // AllowUnencrypted=false: Windows refuses the plain message and drops the login.
            qCInfo(lcHostSim).noquote()
                << m_name << "unencrypted request refused (AllowUnencrypted is false)";
            connection->clearAuthentication();
            connection->respond(challenge());
            return;
        }
        if (!contentType.toLower().startsWith("application/soap+xml")) {
            connection->respond({415, {}, {}, false});
            return;
        }
        soap = request.body;
    }
    if (soap.size() > qint64(m_options.maxEnvelopeKb) * 1024) {
        connection->respond({413, {}, {}, true});
        return;
    }

    QPointer<HttpConnection> guard(connection);
    const auto parsedRequest = parseWsmanRequest(soap);
    const bool isReceive
        = parsedRequest && parsedRequest->operation == WsmanRequest::Operation::Receive;
    auto reply = [this, guard, encrypted, protocol, authHeaders, isReceive](int status,
                                                                            const QByteArray &xml) {
        if (!guard || !guard->isOpen())
            return false;
        HttpResponse response{status, authHeaders, {}, false};
        if (encrypted) {
            const auto wrapped = guard->security().wrap(xml);
            if (!wrapped) {
                qCWarning(lcHostSim).noquote() << m_name << wrapped.error().toString();
                guard->respond({500, {}, {}, true});
                return false;
            }
            response.headers.append(
                Header("Content-Type", encryptedmessage::contentType(protocol)));
            response.body
                = encryptedmessage::build(protocol, wrapped->header, wrapped->data, xml.size());
        } else {
            response.headers.append(Header("Content-Type", "application/soap+xml;charset=UTF-8"));
            response.body = xml;
        }
        if (isReceive && status == 200 && m_faults.dropReceiveCount > 0) {
            --m_faults.dropReceiveCount;
            qCInfo(lcHostSim).noquote()
                << m_name << "dropReceive fault: cutting the connection mid-reply";
            guard->respondPartiallyAndDrop(response);
            return true;
        }
        return guard->respond(response);
    };

    if (!parsedRequest) {
        const auto &error = parsedRequest.error();
        const WsmanFault fault = error.kind == WsmanParseError::Kind::InvalidHeader
                                         || error.kind == WsmanParseError::Kind::MissingHeader
                                     ? wsmanfaults::invalidHeader(error.message)
                                     : wsmanfaults::malformed(error.message);
        reply(500, wsmanreply::fault(fault, error.messageId, m_name));
        return;
    }
    if (m_faults.denies(connection->user())) {
        qCInfo(lcHostSim).noquote() << m_name << "accessDenied fault for" << connection->user();
        reply(500,
              wsmanreply::fault(wsmanfaults::accessDenied(), parsedRequest->messageId, m_name));
        return;
    }
    m_shells->handle(*parsedRequest, {connection->user(), connection->peerAddress(), url()}, reply);
}

} // namespace aetherv::hostsim
