#include "core/artifacts/artifactserver.h"

#include "core/artifacts/filetransfer.h"
#include "core/artifacts/httputil.h"
#include "core/common/logging.h"

#include <QAbstractHttpServer>
#include <QFile>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

#include <csignal>
#include <deque>
#include <functional>
#include <utility>

namespace aetherv::artifacts {

namespace {

using Method = QHttpServerRequest::Method;

// A server socket that hands out only as many connections as the cap allows; the rest get a
// 503 and are closed before QAbstractHttpServer ever sees them.
template<typename Base>
class CappedServer : public Base
{
public:
    std::function<bool(QTcpSocket *)> admit;

    QTcpSocket *nextPendingConnection() override
    {
        while (QTcpSocket *socket = Base::nextPendingConnection()) {
            if (admit(socket))
                return socket;
        }
        return nullptr;
    }
};

struct PendingRequest
{
    Method method = Method::Unknown;
    QString encodedPath;
    QString decodedPath;
    QByteArray range;
    QByteArray ifRange;
    QByteArray ifNoneMatch;
    bool closeAfter = false;
};

struct Response
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body; // in-memory body (ignored when file is set)
    std::unique_ptr<QFile> file;
    qint64 offset = 0;
    qint64 length = 0; // body length sent (file range or body size)
};

struct ConnectionState
{
    QPointer<QTcpSocket> socket;
    QTimer *idle = nullptr;
    FileTransfer *transfer = nullptr;
    std::deque<PendingRequest> queue;
    bool closeAfter = false;
};

QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

} // namespace

// Hands every parsed request to the owner; routing, headers and bodies are ours.
class HttpFrontend final : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;
    explicit HttpFrontend(Handler handler)
        : m_handler(std::move(handler))
    {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        m_handler(request, socket);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    Handler m_handler;
};

class ArtifactServer::Private
{
public:
    Private(ArtifactServer *q, ArtifactServerConfig config)
        : q(q)
        , config(std::move(config))
    {}

    bool admit(QTcpSocket *socket);
    void onRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    void process(ConnectionState *conn, PendingRequest req);
    Response route(const PendingRequest &req);
    Response fileResponse(const PendingRequest &req, const BundleFile &file);
    Response memoryResponse(const PendingRequest &req, QByteArray body, QByteArray contentType,
                            QByteArray etag);
    void send(ConnectionState *conn, const PendingRequest &req, Response resp);
    void transferDone(ConnectionState *conn, bool completed);
    void drop(QTcpSocket *socket);
    void touch(ConnectionState *conn) const;

    ArtifactServer *q;
    ArtifactServerConfig config;
    std::unique_ptr<HttpFrontend> frontend;
    QTcpServer *listener = nullptr;
    bool https = false;
    quint16 boundPort = 0;
    std::shared_ptr<const BundleSnapshot> bundle;
    QByteArray manifestJson;
    QString notReadyReason = QStringLiteral("the agent bundle has not been hashed yet");
    QHash<QTcpSocket *, ConnectionState *> connections;
    ArtifactServerStats stats;
};

bool ArtifactServer::Private::admit(QTcpSocket *socket)
{
    if (connections.size() >= config.maxConnections) {
        ++stats.connectionsRejected;
        ++stats.requestsByStatus[503];
        qCWarning(lcArtifactServer) << "connection cap" << config.maxConnections
                                    << "reached; refusing" << socket->peerAddress().toString();
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                      "Retry-After: 1\r\nConnection: close\r\nContent-Length: 36\r\n\r\n"
                      "too many connections; retry shortly\n");
        QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return false;
    }
    auto *conn = new ConnectionState;
    conn->socket = socket;
    conn->idle = new QTimer(socket);
    conn->idle->setSingleShot(true);
    conn->idle->setInterval(config.idleTimeoutMs);
    QObject::connect(conn->idle, &QTimer::timeout, socket, [this, socket] {
        ConnectionState *c = connections.value(socket);
        if (!c)
            return;
        if (c->transfer) {
            qCWarning(lcArtifactServer) << "download to" << socket->peerAddress().toString()
                                        << "stalled; closing the connection";
            c->transfer->abort();
            socket->abort();
            return;
        }
        socket->disconnectFromHost();
    });
    QObject::connect(socket, &QIODevice::readyRead, conn->idle, [this, conn] { touch(conn); });
    QObject::connect(socket, &QIODevice::bytesWritten, conn->idle, [this, conn] { touch(conn); });
    QObject::connect(socket, &QObject::destroyed, q, [this, socket] { drop(socket); });
    QObject::connect(socket, &QAbstractSocket::disconnected, q, [this, socket] { drop(socket); });
    connections.insert(socket, conn);
    stats.activeConnections = int(connections.size());
    conn->idle->start();
    return true;
}

void ArtifactServer::Private::touch(ConnectionState *conn) const
{
    if (conn->idle)
        conn->idle->start();
}

void ArtifactServer::Private::drop(QTcpSocket *socket)
{
    ConnectionState *conn = connections.take(socket);
    if (!conn)
        return;
    if (FileTransfer *transfer = std::exchange(conn->transfer, nullptr)) {
        // Its finished() handler no longer finds the connection, so only the counters move
        // there; the transfer (file handle, duplicated socket descriptor) is released here.
        transfer->abort();
        transfer->deleteLater();
    }
    stats.activeConnections = int(connections.size());
    delete conn;
}

void ArtifactServer::Private::onRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionState *conn = connections.value(socket);
    if (!conn)
        return; // not admitted (cannot happen: every socket passes admit())
    touch(conn);
    PendingRequest req;
    req.method = request.method();
    const QUrl url = request.url();
    req.encodedPath = url.path(QUrl::FullyEncoded);
    req.decodedPath = url.path(QUrl::FullyDecoded);
    req.range = headerValue(request, "range");
    req.ifRange = headerValue(request, "if-range");
    req.ifNoneMatch = headerValue(request, "if-none-match");
    req.closeAfter
        = headerValue(request, "connection").trimmed().compare("close", Qt::CaseInsensitive) == 0;
    if (conn->transfer || !conn->queue.empty()) {
        conn->queue.push_back(std::move(req)); // pipelined: answer in order
        return;
    }
    process(conn, std::move(req));
}

void ArtifactServer::Private::process(ConnectionState *conn, PendingRequest req)
{
    Response resp = route(req);
    send(conn, req, std::move(resp));
}

Response ArtifactServer::Private::route(const PendingRequest &req)
{
    auto text = [](int status, QByteArray body) {
        Response r;
        r.status = status;
        r.headers.emplaceBack("Content-Type", "text/plain; charset=utf-8");
        r.body = std::move(body);
        return r;
    };
    const bool getOrHead = req.method == Method::Get || req.method == Method::Head;
    if (!getOrHead) {
        Response r = text(405, "method not allowed: use GET or HEAD\n");
        r.headers.emplaceBack("Allow", "GET, HEAD");
        return r;
    }
    const QString &path = req.decodedPath;
    if (path == u"/healthz")
        return text(200, "ok\n");
    if (path == u"/readyz") {
        if (bundle)
            return text(200, "ready: bundle " + bundle->version.toUtf8() + '\n');
        Response r = text(503, "not ready: " + notReadyReason.toUtf8() + '\n');
        r.headers.emplaceBack("Retry-After", "3");
        return r;
    }
    if (path == u"/metrics") {
        Response r = text(200, q->metricsText());
        r.headers[0].second = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    }
    static const QString prefix = QStringLiteral("/agent/");
    if (!path.startsWith(prefix) && !req.encodedPath.startsWith(prefix))
        return text(404, "not found\n");
    const http::AgentPath checked = http::checkAgentPath(req.encodedPath, path, prefix);
    if (checked.verdict == http::PathVerdict::TooLong)
        return text(414, "request path too long\n");
    if (checked.verdict != http::PathVerdict::Ok)
        return text(400, "bad request path: ask for /agent/<bundle file name>\n");
    if (!bundle) {
        Response r = text(503, "not ready: " + notReadyReason.toUtf8() + '\n');
        r.headers.emplaceBack("Retry-After", "3");
        return r;
    }
    if (checked.name == u"manifest.json") {
        return memoryResponse(req, manifestJson, "application/json",
                              '"' + bundle->manifest.digest() + '"');
    }
    const BundleFile *file = bundle->find(checked.name);
    if (!file)
        return text(404, "not in the agent bundle\n");
    return fileResponse(req, *file);
}

Response ArtifactServer::Private::memoryResponse(const PendingRequest &req, QByteArray body,
                                                 QByteArray contentType, QByteArray etag)
{
    Response r;
    r.headers.emplaceBack("Content-Type", contentType);
    r.headers.emplaceBack("ETag", etag);
    r.headers.emplaceBack("Cache-Control", "no-cache");
    if (!req.ifNoneMatch.isEmpty() && http::ifNoneMatchMatches(req.ifNoneMatch, etag)) {
        r.status = 304;
        return r;
    }
    r.body = std::move(body);
    return r;
}

Response ArtifactServer::Private::fileResponse(const PendingRequest &req, const BundleFile &file)
{
    const QByteArray etag = '"' + file.sha256 + '"';
    Response r;
    r.headers.emplaceBack("Content-Type", file.name.endsWith(u".ps1", Qt::CaseInsensitive)
                                              ? QByteArray("text/plain; charset=utf-8")
                                              : QByteArray("application/octet-stream"));
    r.headers.emplaceBack("ETag", etag);
    r.headers.emplaceBack("Last-Modified", http::httpDate(file.lastModified));
    r.headers.emplaceBack("Accept-Ranges", "bytes");
    r.headers.emplaceBack("Cache-Control", "no-cache");
    if (!req.ifNoneMatch.isEmpty() && http::ifNoneMatchMatches(req.ifNoneMatch, etag)) {
        r.status = 304;
        return r;
    }
    // Never serve bytes that differ from what the manifest advertises.
    const QFileInfo now(file.path);
    if (!now.isFile() || now.size() != file.size
        || now.lastModified().toUTC().toMSecsSinceEpoch()
               != file.lastModified.toMSecsSinceEpoch()) {
        Response busy;
        busy.status = 503;
        busy.headers.emplaceBack("Content-Type", "text/plain; charset=utf-8");
        busy.headers.emplaceBack("Retry-After", "5");
        busy.body = "the bundle changed on disk since it was hashed; it is being rescanned\n";
        qCWarning(lcArtifactServer).noquote() << "bundle file changed since hashing:" << file.path;
        return busy;
    }
    auto f = std::make_unique<QFile>(file.path);
    if (!f->open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        Response err;
        err.status = 500;
        err.headers.emplaceBack("Content-Type", "text/plain; charset=utf-8");
        err.body = "cannot open the bundle file on the server\n";
        qCWarning(lcArtifactServer).noquote() << "cannot open" << file.path << f->errorString();
        return err;
    }
    http::RangeRequest range;
    const bool rangeApplies = req.ifRange.isEmpty() || req.ifRange.trimmed() == etag;
    if (!req.range.isEmpty() && rangeApplies)
        range = http::parseRange(req.range, file.size);
    if (range.kind == http::RangeKind::Unsatisfiable) {
        Response bad;
        bad.status = 416;
        bad.headers = r.headers;
        bad.headers.emplaceBack("Content-Range", "bytes */" + QByteArray::number(file.size));
        return bad;
    }
    r.file = std::move(f);
    if (range.kind == http::RangeKind::Satisfiable) {
        r.status = 206;
        r.offset = range.range.first;
        r.length = range.range.length();
        r.headers.emplaceBack("Content-Range", "bytes " + QByteArray::number(range.range.first)
                                                   + '-' + QByteArray::number(range.range.last)
                                                   + '/' + QByteArray::number(file.size));
    } else {
        r.offset = 0;
        r.length = file.size;
    }
    return r;
}

void ArtifactServer::Private::send(ConnectionState *conn, const PendingRequest &req, Response resp)
{
    QTcpSocket *socket = conn->socket;
    if (!socket)
        return;
    ++stats.requestsByStatus[resp.status];
    if (resp.status == 400 || resp.status == 405 || resp.status == 414)
        ++stats.badRequests;
    const bool head = req.method == Method::Head;
    const qint64 length = resp.file ? resp.length : resp.body.size();
    conn->closeAfter = conn->closeAfter || req.closeAfter || resp.status == 400;

    QByteArray out;
    out.reserve(512);
    out += "HTTP/1.1 " + QByteArray::number(resp.status) + ' ' + http::reasonPhrase(resp.status)
           + "\r\n";
    out += "Date: " + http::httpDate(QDateTime::currentDateTimeUtc()) + "\r\n";
    out += "Server: aetherv-artifacts/" AETHERV_VERSION_STRING "\r\n";
    for (const auto &h : std::as_const(resp.headers))
        out += h.first + ": " + h.second + "\r\n";
    if (resp.status != 304)
        out += "Content-Length: " + QByteArray::number(length) + "\r\n";
    if (conn->closeAfter)
        out += "Connection: close\r\n";
    out += "\r\n";
    socket->write(out);
    qCDebug(lcArtifactServer).noquote()
        << socket->peerAddress().toString() << resp.status << req.encodedPath << length;

    const bool hasBody = !head && resp.status != 304 && length > 0;
    if (hasBody && !resp.file) {
        socket->write(resp.body);
        stats.bytesSent += quint64(resp.body.size());
    }
    if (hasBody && resp.file) {
        const bool zeroCopy = config.zeroCopy && !https;
        auto *transfer
            = new FileTransfer(socket, std::move(resp.file), resp.offset, length, zeroCopy);
        conn->transfer = transfer;
        ++stats.activeDownloads;
        QObject::connect(transfer, &FileTransfer::progressed, q, [this, conn](qint64 n) {
            stats.bytesSent += quint64(n);
            touch(conn);
        });
        QObject::connect(transfer, &FileTransfer::finished, q, [this, socket](bool completed) {
            if (ConnectionState *c = connections.value(socket))
                transferDone(c, completed);
            else
                --stats.activeDownloads, ++stats.downloadsAborted;
        });
        transfer->start();
        return;
    }
    transferDone(conn, true);
}

void ArtifactServer::Private::transferDone(ConnectionState *conn, bool completed)
{
    if (conn->transfer) {
        --stats.activeDownloads;
        completed ? ++stats.downloadsCompleted : ++stats.downloadsAborted;
        conn->transfer->deleteLater();
        conn->transfer = nullptr;
    }
    QTcpSocket *socket = conn->socket;
    if (!socket)
        return;
    if (!completed) {
        socket->abort();
        return;
    }
    if (conn->closeAfter) {
        conn->queue.clear();
        socket->disconnectFromHost();
        return;
    }
    if (!conn->queue.empty()) {
        PendingRequest next = std::move(conn->queue.front());
        conn->queue.pop_front();
        process(conn, std::move(next));
    }
}

ArtifactServer::ArtifactServer(ArtifactServerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(config)))
{}

ArtifactServer::~ArtifactServer()
{
    stop();
}

Result<quint16> ArtifactServer::start()
{
    if (d->listener)
        return d->boundPort;
    // sendfile(2) on a socket the peer has closed raises SIGPIPE; a server must survive that.
    std::signal(SIGPIPE, SIG_IGN);

    const bool wantTls
        = !d->config.certificateFile.isEmpty() || !d->config.privateKeyFile.isEmpty();
    QTcpServer *listener = nullptr;
    if (wantTls) {
        QFile certFile(d->config.certificateFile), keyFile(d->config.privateKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            return fail(ErrorCode::Configuration,
                        QStringLiteral("HTTPS needs a readable certificate and private key (PEM): "
                                       "check the artifact server's certificate and key files"),
                        d->config.certificateFile + u", " + d->config.privateKeyFile);
        }
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll());
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec);
        if (chain.isEmpty() || key.isNull()) {
            return fail(ErrorCode::Configuration,
                        QStringLiteral("the artifact server's certificate or key file is not valid "
                                       "PEM (RSA or EC key, unencrypted)"));
        }
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(chain);
        ssl.setPrivateKey(key);
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        auto *server = new CappedServer<QSslServer>;
        server->setSslConfiguration(ssl);
        server->admit = [this](QTcpSocket *s) {
            return d->admit(s);
        };
        listener = server;
    } else {
        auto *server = new CappedServer<QTcpServer>;
        server->admit = [this](QTcpSocket *s) {
            return d->admit(s);
        };
        listener = server;
    }
    if (!listener->listen(d->config.address, d->config.port)) {
        const QString why = listener->errorString();
        delete listener;
        return fail(ErrorCode::Configuration,
                    QStringLiteral("the artifact server cannot listen on %1 port %2: choose "
                                   "another port or address")
                        .arg(d->config.address.toString())
                        .arg(d->config.port),
                    why);
    }
    d->frontend = std::make_unique<HttpFrontend>(
        [this](const QHttpServerRequest &request, QTcpSocket *socket) {
            d->onRequest(request, socket);
        });
    listener->setParent(d->frontend.get());
    d->frontend->bind(listener);
    d->listener = listener;
    d->https = wantTls;
    d->boundPort = listener->serverPort();
    qCInfo(lcArtifactServer).noquote() << "serving" << baseUrl().toString();
    return d->boundPort;
}

void ArtifactServer::stop()
{
    if (!d->listener)
        return;
    const auto sockets = d->connections.keys();
    for (QTcpSocket *s : sockets) {
        d->drop(s);
        s->abort();
    }
    d->listener->close();
    d->listener = nullptr;
    d->frontend.reset();
    d->boundPort = 0;
}

bool ArtifactServer::isListening() const
{
    return d->listener && d->listener->isListening();
}

quint16 ArtifactServer::port() const
{
    return d->boundPort;
}

bool ArtifactServer::isHttps() const
{
    return d->https;
}

QUrl ArtifactServer::baseUrl() const
{
    QUrl url;
    url.setScheme(d->https ? QStringLiteral("https") : QStringLiteral("http"));
    QString host = d->config.advertisedHost;
    if (host.isEmpty()) {
        const QHostAddress a = d->config.address;
        host = (a == QHostAddress::Any || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6)
                   ? QStringLiteral("127.0.0.1")
                   : a.toString();
    }
    url.setHost(host);
    url.setPort(d->boundPort);
    url.setPath(QStringLiteral("/agent"));
    return url;
}

void ArtifactServer::setBundle(std::shared_ptr<const BundleSnapshot> bundle)
{
    const bool wasReady = bool(d->bundle);
    d->bundle = std::move(bundle);
    d->manifestJson = d->bundle ? d->bundle->manifest.toJson() : QByteArray();
    if (!d->bundle && d->notReadyReason.isEmpty())
        d->notReadyReason = QStringLiteral("no agent bundle");
    if (wasReady != bool(d->bundle))
        Q_EMIT readinessChanged(bool(d->bundle));
}

void ArtifactServer::setNotReady(const QString &reason)
{
    d->notReadyReason = reason;
    setBundle(nullptr);
}

bool ArtifactServer::isReady() const
{
    return bool(d->bundle);
}

QString ArtifactServer::notReadyReason() const
{
    return d->bundle ? QString() : d->notReadyReason;
}

std::shared_ptr<const BundleSnapshot> ArtifactServer::bundle() const
{
    return d->bundle;
}

ArtifactServerStats ArtifactServer::stats() const
{
    return d->stats;
}

QByteArray ArtifactServer::metricsText() const
{
    const ArtifactServerStats &s = d->stats;
    QByteArray out;
    auto metric = [&out](const char *name, const char *type, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    metric("aetherv_artifact_requests_total", "counter", "HTTP requests answered, by status.");
    for (auto it = s.requestsByStatus.cbegin(); it != s.requestsByStatus.cend(); ++it) {
        out += "aetherv_artifact_requests_total{status=\"" + QByteArray::number(it.key()) + "\"} "
               + QByteArray::number(it.value()) + '\n';
    }
    metric("aetherv_artifact_bad_requests_total", "counter",
           "Requests refused as malformed (400, 405, 414).");
    out += "aetherv_artifact_bad_requests_total " + QByteArray::number(s.badRequests) + '\n';
    metric("aetherv_artifact_bytes_sent_total", "counter", "Body bytes sent.");
    out += "aetherv_artifact_bytes_sent_total " + QByteArray::number(s.bytesSent) + '\n';
    metric("aetherv_artifact_downloads_active", "gauge", "File downloads in progress.");
    out += "aetherv_artifact_downloads_active " + QByteArray::number(s.activeDownloads) + '\n';
    metric("aetherv_artifact_downloads_total", "counter", "File downloads that ended, by outcome.");
    out += "aetherv_artifact_downloads_total{outcome=\"completed\"} "
           + QByteArray::number(s.downloadsCompleted) + '\n';
    out += "aetherv_artifact_downloads_total{outcome=\"aborted\"} "
           + QByteArray::number(s.downloadsAborted) + '\n';
    metric("aetherv_artifact_connections_active", "gauge", "Open client connections.");
    out += "aetherv_artifact_connections_active " + QByteArray::number(s.activeConnections) + '\n';
    metric("aetherv_artifact_connections_rejected_total", "counter",
           "Connections refused at the connection cap.");
    out += "aetherv_artifact_connections_rejected_total "
           + QByteArray::number(s.connectionsRejected) + '\n';
    metric("aetherv_artifact_ready", "gauge", "1 when a hashed bundle is being served.");
    out += "aetherv_artifact_ready " + QByteArray(d->bundle ? "1" : "0") + '\n';
    return out;
}

} // namespace aetherv::artifacts
