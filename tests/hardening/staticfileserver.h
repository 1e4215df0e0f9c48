#pragma once

// A plain static web server on loopback for a published bundle folder (what an operator would put
// behind IIS or nginx): GET/HEAD of percent-decoded paths under one prefix, Content-Length bodies,
// one request per connection. It serves whatever the folder holds, so a test can make the folder
// lie.
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>

namespace aetherv::hardeningtest {

class StaticFileServer
{
public:
    StaticFileServer(const QString &root, const QString &prefix)
        : m_root(root)
        , m_prefix(prefix)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(m_prefix);
    }
    QStringList requestedPaths() const { return m_requested; }

private:
    void serve(QTcpSocket *s)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
            buffer->append(s->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
            buffer->clear();
            const QByteArray method = requestLine.value(0);
            const QString path = QUrl::fromPercentEncoding(requestLine.value(1));
            m_requested << path;
            QByteArray body;
            int status = 404;
            if (path.startsWith(m_prefix + u'/')) {
                const QString name = path.mid(m_prefix.size() + 1);
                QFile f(QDir(m_root).filePath(name));
                if (!name.contains(u'/') && !name.isEmpty() && f.open(QIODevice::ReadOnly)) {
                    status = 200;
                    body = f.readAll();
                }
            }
            QByteArray reply
                = "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Not Found")
                  + "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(body.size())
                  + "\r\n\r\n";
            if (method != "HEAD")
                reply += body;
            s->write(reply);
            s->disconnectFromHost();
        });
    }

    QString m_root;
    QString m_prefix;
    QTcpServer m_server;
    QStringList m_requested;
};

} // namespace aetherv::hardeningtest
