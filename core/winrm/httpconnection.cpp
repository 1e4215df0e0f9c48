#include "core/winrm/httpconnection.h"

#include "core/common/logging.h"
#include "core/winrm/winrmerrors.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace aetherv::winrm {

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QList<QByteArray> HttpResponse::headerValues(const QByteArray &name) const
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values;
}

HttpConnection::HttpConnection(const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
}

HttpConnection::~HttpConnection()
{
    m_connectDone = nullptr;
    m_responseDone = nullptr;
    resetSocket();
}

qint64 HttpConnection::maxResponseBytes() const
{
    // Encryption framing and a fault's text add little to MaxEnvelopeSize; 16 MiB leaves room
    // for any real server and still stops a runaway stream early.
    return std::max<qint64>(qint64(16) * 1024 * 1024, 4 * m_settings.maxEnvelopeSize);
}

bool HttpConnection::isConnected() const
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    return !m_settings.https || m_socket->isEncrypted();
}

QByteArray HttpConnection::peerCertificateDer() const
{
    if (!m_socket || !m_settings.https)
        return {};
    return m_socket->peerCertificate().toDer();
}

void HttpConnection::resetSocket()
{
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void HttpConnection::abort()
{
    m_timer.stop();
    m_connectDone = nullptr;
    m_responseDone = nullptr;
    m_connecting = false;
    resetSocket();
}

void HttpConnection::ensureConnected(std::function<void(Result<void>)> done)
{
    if (isConnected()) {
        done({});
        return;
    }
    m_connectDone = std::move(done);
    startConnect();
}

void HttpConnection::startConnect()
{
    resetSocket();
    m_connecting = true;
    m_sslErrors.clear();
    m_socket = new QSslSocket(this);
    ++m_serial;
    connect(m_socket, &QSslSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QSslSocket::errorOccurred, this, &HttpConnection::onSocketError);
    m_timer.start(m_settings.connectTimeout);
    if (m_settings.https) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!m_settings.caFile.isEmpty()) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_settings.caFile);
            if (cas.isEmpty()) {
                // Otherwise every host would fail as "not trusted", which hides the real cause.
                failConnectLater(errors::caFileUnusable(m_settings));
                return;
            }
            config.setCaCertificates(cas);
        }
        m_socket->setSslConfiguration(config);
        connect(m_socket, &QSslSocket::sslErrors, this, &HttpConnection::onSslErrors);
        connect(m_socket, &QSslSocket::encrypted, this, &HttpConnection::onConnected);
        m_socket->connectToHostEncrypted(m_settings.host,
                                         static_cast<quint16>(m_settings.effectivePort()));
    } else {
        connect(m_socket, &QSslSocket::connected, this, &HttpConnection::onConnected);
        m_socket->connectToHost(m_settings.host, static_cast<quint16>(m_settings.effectivePort()));
    }
}

void HttpConnection::failConnectLater(Error error)
{
    m_timer.stop();
    const quint64 serial = m_serial;
    QTimer::singleShot(0, this, [this, serial, error = std::move(error)] {
        if (serial != m_serial || !m_connecting)
            return;
        m_connecting = false;
        resetSocket();
        if (m_connectDone)
            completeConnect(std::unexpected(error));
        else if (m_responseDone)
            completeResponse(std::unexpected(error));
    });
}

void HttpConnection::onSslErrors(const QList<QSslError> &errors)
{
    if (m_settings.ignoreTlsErrors) {
        QStringList texts;
        for (const QSslError &e : errors)
            texts.append(e.errorString());
        qCWarning(lcWinRm).noquote()
            << "TLS certificate errors on" << m_settings.host << "ignored because the profile says"
            << "so:" << texts.join(QStringLiteral("; "));
        m_socket->ignoreSslErrors();
        return;
    }
    m_sslErrors = errors;
}

void HttpConnection::onConnected()
{
    m_connecting = false;
    m_timer.stop();
    if (m_settings.https && m_settings.ignoreTlsErrors && m_sslErrors.isEmpty())
        qCWarning(lcWinRm).noquote() << "TLS verification is disabled for" << m_settings.host
                                     << "by the profile; the connection is not authenticated";
    if (m_connectDone) {
        completeConnect({});
        return;
    }
    if (m_responseDone)
        writeRequest();
}

void HttpConnection::completeConnect(Result<void> result)
{
    auto done = std::move(m_connectDone);
    m_connectDone = nullptr;
    if (done)
        done(std::move(result));
}

void HttpConnection::completeResponse(Result<HttpResponse> result)
{
    m_timer.stop();
    auto done = std::move(m_responseDone);
    m_responseDone = nullptr;
    if (done)
        done(std::move(result));
}

void HttpConnection::post(const HttpHeaders &headers, const QByteArray &body,
                          std::chrono::milliseconds readTimeout,
                          std::function<void(Result<HttpResponse>)> done)
{
    if (m_responseDone || m_connectDone) {
        done(fail(ErrorCode::Internal, QStringLiteral("a WinRM request is already in flight")));
        return;
    }
    QByteArray request;
    request.reserve(body.size() + 512);
    request.append("POST ").append(m_settings.path.toUtf8()).append(" HTTP/1.1\r\n");
    request.append("Host: ").append(m_settings.url().authority().toUtf8()).append("\r\n");
    request.append("User-Agent: Aether-V/" AETHERV_VERSION_STRING "\r\n");
    request.append("Connection: Keep-Alive\r\n");
    request.append("Accept-Encoding: identity\r\n");
    for (const auto &[name, value] : headers)
        request.append(name).append(": ").append(value).append("\r\n");
    request.append("Content-Length: ").append(QByteArray::number(body.size())).append("\r\n\r\n");
    request.append(body);
    m_request = std::move(request);
    m_readTimeout = readTimeout;
    m_responseDone = std::move(done);
    if (isConnected())
        writeRequest();
    else if (!m_connecting)
        startConnect();
}

void HttpConnection::writeRequest()
{
    m_state = ParseState::StatusLine;
    m_buffer.clear();
    m_response = HttpResponse{};
    m_remaining = 0;
    m_headerBytes = 0;
    m_closeAfter = false;
    m_socket->write(m_request);
    m_request.clear();
    m_responseDeadline = QDeadlineTimer(2 * m_readTimeout);
    m_deadlineArmed = false;
    m_timer.start(m_readTimeout);
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (!m_responseDone)
        return; // unsolicited bytes between requests are dropped
    m_buffer.append(data);
    const Parse parsed = parseResponse();
    if (parsed == Parse::Failed) {
        m_connecting = false;
        resetSocket();
        completeResponse(std::unexpected(m_parseError));
        return;
    }
    if (parsed == Parse::Incomplete) {
        // Idle timeout, but never beyond the whole-response deadline: a server that trickles
        // bytes forever must not keep the caller waiting forever.
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            m_responseDeadline.remainingTimeAsDuration());
        // Which bound fires is decided here: a timer may fire slightly early, so onTimeout()
        // must not compare clocks again.
        m_deadlineArmed = left < m_readTimeout;
        m_timer.start(std::max(std::chrono::milliseconds(1), std::min(m_readTimeout, left)));
        return;
    }
    HttpResponse response = std::move(m_response);
    if (m_closeAfter)
        resetSocket();
    completeResponse(std::move(response));
}

HttpConnection::Parse HttpConnection::failParse(Error error)
{
    m_parseError = std::move(error);
    m_buffer.clear();
    m_response = HttpResponse{};
    return Parse::Failed;
}

HttpConnection::Parse HttpConnection::parseResponse()
{
    const qint64 limit = maxResponseBytes();
    while (true) {
        switch (m_state) {
        case ParseState::StatusLine:
        case ParseState::Headers:
        case ParseState::ChunkSize:
        case ParseState::ChunkTrailer: {
            const qsizetype eol = m_buffer.indexOf("\r\n");
            const qint64 lineBytes = eol < 0 ? m_buffer.size() : eol + 2;
            if (m_state == ParseState::StatusLine && !m_buffer.startsWith("HTTP/")
                && !QByteArrayLiteral("HTTP/").startsWith(m_buffer))
                return failParse(errors::malformedHttp(
                    m_settings, QStringLiteral("the reply does not start with HTTP/"), m_buffer));
            if (m_state != ParseState::ChunkSize && m_headerBytes + lineBytes > kMaxHeaderBytes)
                return failParse(errors::malformedHttp(
                    m_settings,
                    QStringLiteral("its status line and headers exceed %1 bytes")
                        .arg(kMaxHeaderBytes),
                    m_buffer.left(80)));
            if (m_state == ParseState::ChunkSize && lineBytes > 1024)
                return failParse(errors::malformedHttp(
                    m_settings, QStringLiteral("a chunk size line exceeds 1024 bytes"),
                    m_buffer.left(80)));
            if (eol < 0)
                return Parse::Incomplete;
            if (m_state != ParseState::ChunkSize)
                m_headerBytes += lineBytes;
            const QByteArray line = m_buffer.left(eol);
            m_buffer.remove(0, eol + 2);
            if (m_state == ParseState::StatusLine) {
                const QList<QByteArray> parts = line.split(' ');
                bool ok = false;
                m_response.status = parts.size() >= 2 ? parts.at(1).toInt(&ok) : 0;
                if (!line.startsWith("HTTP/1.") || !ok || m_response.status < 100
                    || m_response.status > 599)
                    return failParse(errors::malformedHttp(
                        m_settings, QStringLiteral("the status line is malformed"), line));
                m_state = ParseState::Headers;
            } else if (m_state == ParseState::Headers) {
                if (!line.isEmpty()) {
                    const qsizetype colon = line.indexOf(':');
                    if (colon > 0)
                        m_response.headers.append(
                            {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
                    break;
                }
                const QByteArray connection = m_response.header("Connection").toLower();
                m_closeAfter = connection.contains("close");
                if (m_response.header("Transfer-Encoding").toLower().contains("chunked")) {
                    m_state = ParseState::ChunkSize;
                } else if (!m_response.header("Content-Length").isEmpty()) {
                    bool ok = false;
                    m_remaining = m_response.header("Content-Length").toLongLong(&ok);
                    if (!ok || m_remaining < 0)
                        return failParse(errors::malformedHttp(
                            m_settings, QStringLiteral("the Content-Length is not a number"),
                            m_response.header("Content-Length")));
                    if (m_remaining > limit)
                        return failParse(errors::responseTooLarge(m_settings, limit, m_remaining));
                    m_state = ParseState::Body;
                } else if (m_response.status == 204 || m_response.status == 304
                           || m_response.status / 100 == 1) {
                    m_remaining = 0;
                    m_state = ParseState::Body;
                } else {
                    m_closeAfter = true;
                    m_state = ParseState::UntilClose;
                }
            } else if (m_state == ParseState::ChunkSize) {
                bool ok = false;
                const qsizetype semi = line.indexOf(';');
                m_remaining = (semi >= 0 ? line.left(semi) : line).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0)
                    return failParse(errors::malformedHttp(
                        m_settings, QStringLiteral("a chunk size is not a hexadecimal number"),
                        line));
                if (m_remaining > limit - m_response.body.size())
                    return failParse(errors::responseTooLarge(m_settings, limit, 0));
                m_state = m_remaining == 0 ? ParseState::ChunkTrailer : ParseState::ChunkData;
            } else { // trailer: ends with an empty line
                if (line.isEmpty())
                    return Parse::Complete;
            }
            break;
        }
        case ParseState::Body: {
            const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
            m_response.body.append(m_buffer.left(take));
            m_buffer.remove(0, take);
            m_remaining -= take;
            return m_remaining == 0 ? Parse::Complete : Parse::Incomplete;
        }
        case ParseState::ChunkData: {
            // chunk bytes followed by CRLF
            if (m_buffer.size() < m_remaining + 2)
                return Parse::Incomplete;
            if (m_buffer.at(m_remaining) != '\r' || m_buffer.at(m_remaining + 1) != '\n')
                return failParse(errors::malformedHttp(
                    m_settings, QStringLiteral("a chunk does not end with CRLF"),
                    m_buffer.mid(m_remaining, 40)));
            m_response.body.append(m_buffer.left(m_remaining));
            m_buffer.remove(0, m_remaining + 2);
            m_state = ParseState::ChunkSize;
            break;
        }
        case ParseState::UntilClose:
            if (m_buffer.size() > limit - m_response.body.size())
                return failParse(errors::responseTooLarge(m_settings, limit, 0));
            m_response.body.append(m_buffer);
            m_buffer.clear();
            return Parse::Incomplete;
        }
    }
}

void HttpConnection::onDisconnected()
{
    if (m_responseDone && m_state == ParseState::UntilClose) {
        HttpResponse response = std::move(m_response);
        resetSocket();
        completeResponse(std::move(response));
        return;
    }
    onSocketError();
}

void HttpConnection::onSocketError()
{
    if (!m_socket)
        return;
    const auto error = m_socket->error();
    const QString text = m_socket->errorString();
    const QList<QSslError> sslErrors = m_sslErrors;
    const bool wasConnecting = m_connecting;
    m_connecting = false;
    resetSocket();
    m_timer.stop();
    Error e = !sslErrors.isEmpty() ? errors::tlsError(m_settings.host, sslErrors)
                                   : errors::networkError(m_settings, error, text, wasConnecting);
    if (m_connectDone)
        completeConnect(std::unexpected(e));
    else if (m_responseDone)
        completeResponse(std::unexpected(e));
}

void HttpConnection::onTimeout()
{
    const bool wasConnecting = m_connecting;
    m_connecting = false;
    resetSocket();
    Error e = wasConnecting     ? errors::connectTimeout(m_settings)
              : m_deadlineArmed ? errors::responseNeverEnds(m_settings, 2 * m_readTimeout)
                                : errors::readTimeout(m_settings, m_readTimeout);
    if (m_connectDone)
        completeConnect(std::unexpected(e));
    else if (m_responseDone)
        completeResponse(std::unexpected(e));
}

} // namespace aetherv::winrm
