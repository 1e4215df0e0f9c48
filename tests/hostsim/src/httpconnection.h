#pragma once

#include "gssacceptor.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

namespace aetherv::hostsim {

struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
    bool wantsClose() const;
};

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool close = false;
};

// One HTTP/1.1 connection of a simulated host. Requests are handled one at a time (keep-alive,
// Content-Length bodies); the connection also owns the security context, because NTLM and
// Negotiate authenticate the TCP connection, not the request.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    enum class AuthScheme { None, Basic, Negotiate, Kerberos };

    HttpConnection(QTcpSocket *socket, qint64 maxBodyBytes, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Answers the request in flight; returns false when the connection is already gone.
    bool respond(const HttpResponse &response);
    // Sends the first half of the response, then cuts the connection (fault injection).
    void respondPartiallyAndDrop(const HttpResponse &response);
    void abort();
    bool isOpen() const;

    QString peerAddress() const;
    GssAcceptor &security() { return m_security; }
    AuthScheme scheme() const { return m_scheme; }
    QString user() const { return m_user; }
    void setAuthenticated(AuthScheme scheme, const QString &user);
    void clearAuthentication();

    static QByteArray serialize(const HttpResponse &response);

signals:
    void requestReceived(const aetherv::hostsim::HttpRequest &request);
    void closed();

private:
    void onReadyRead();
    bool parseOne();

    QPointer<QTcpSocket> m_socket;
    qint64 m_maxBody;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_closing = false;
    GssAcceptor m_security;
    AuthScheme m_scheme = AuthScheme::None;
    QString m_user;
};

} // namespace aetherv::hostsim
