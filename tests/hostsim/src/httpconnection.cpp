#include "httpconnection.h"

#include "hostsimlog.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLocale>
#include <QTimeZone>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Request Entity Too Large";
    case 415:
        return "Unsupported Media Type";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
        .toLatin1();
}

} // namespace

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool HttpRequest::wantsClose() const
{
    const QByteArray connection = header("Connection").toLower();
    if (version == "HTTP/1.0")
        return !connection.contains("keep-alive");
    return connection.contains("close");
}

HttpConnection::HttpConnection(QTcpSocket *socket, qint64 maxBodyBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_maxBody(maxBodyBytes)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::closed);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState && !m_closing;
}

QString HttpConnection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress().toString() : QString();
}

void HttpConnection::setAuthenticated(AuthScheme scheme, const QString &user)
{
    m_scheme = scheme;
    m_user = user;
}

void HttpConnection::clearAuthentication()
{
    m_security.reset();
    m_scheme = AuthScheme::None;
    m_user.clear();
}

void HttpConnection::abort()
{
    m_closing = true;
    if (m_socket)
        m_socket->abort();
}

QByteArray HttpConnection::serialize(const HttpResponse &response)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
                     + reasonPhrase(response.status) + "\r\n";
    out += "Server: Microsoft-HTTPAPI/2.0\r\nDate: " + httpDate() + "\r\n";
    for (const auto &[key, value] : response.headers)
        out += key + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (response.close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += response.body;
    return out;
}

bool HttpConnection::respond(const HttpResponse &response)
{
    if (!isOpen())
        return false;
    m_socket->write(serialize(response));
    m_busy = false;
    if (response.close) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return true;
    }
    if (!m_buffer.isEmpty())
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
    return true;
}

void HttpConnection::respondPartiallyAndDrop(const HttpResponse &response)
{
    if (!isOpen())
        return;
    const QByteArray bytes = serialize(response);
    m_socket->write(bytes.left(bytes.size() / 2));
    m_socket->flush();
    m_closing = true;
    m_socket->abort();
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    while (!m_busy && !m_closing && parseOne()) {
    }
}

// Parses one complete request from the buffer; returns true when one was dispatched.
bool HttpConnection::parseOne()
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (m_buffer.size() > maxHeaderBytes)
            respond({400, {}, {}, true});
        return false;
    }
    HttpRequest request;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> start = lines.first().trimmed().split(' ');
    if (start.size() != 3 || !start[2].startsWith("HTTP/1.")) {
        m_busy = true;
        respond({400, {}, {}, true});
        return false;
    }
    request.method = start[0];
    request.target = start[1];
    request.version = start[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    m_busy = true;
    if (!request.header("Transfer-Encoding").isEmpty()) {
        respond({411, {}, {}, true});
        return false;
    }
    bool ok = true;
    const QByteArray lengthText = request.header("Content-Length");
    const qint64 length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&ok);
    if (!ok || length < 0) {
        respond({400, {}, {}, true});
        return false;
    }
    if (length > m_maxBody) {
        // Like http.sys in front of WinRM: refuse before reading the body, then close.
        qCInfo(lcHostSim) << "refusing a request body of" << length << "bytes (413)";
        respond({413, {}, {}, true});
        return false;
    }
    if (m_buffer.size() < headerEnd + 4 + length) {
        m_busy = false;
        return false;
    }
    request.body = m_buffer.mid(headerEnd + 4, length);
    m_buffer.remove(0, headerEnd + 4 + length);
    emit requestReceived(request);
    return true;
}

} // namespace aetherv::hostsim
