#pragma once

// A WinRM endpoint on loopback that breaks HTTP on purpose: it reads each request's headers and
// answers with garbage, a truncated SOAP envelope, a 1 GB body, an endless stream or a trickle.
// Endless bodies are generated as the peer reads them (64 KiB at a time, at most 256 KiB queued),
// so the server itself stays small and the client's memory is what the test measures.
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <memory>

namespace aetherv::hardeningtest {

class HostileWinRmServer
{
public:
    enum class Mode {
        Garbage,           // an SSH banner and binary bytes instead of HTTP
        TruncatedXml,      // HTTP 200 with a SOAP envelope cut in the middle (Content-Length fits)
        GigabyteBody,      // Content-Length: 1 GiB, and the bytes start flowing
        EndlessChunked,    // Transfer-Encoding: chunked, 64 KiB chunks forever
        EndlessUntilClose, // no length: the body lasts until the connection closes, i.e. forever
        EndlessHeaders,    // header lines forever, the body never starts
        Trickle,           // a valid start, then one body byte every 100 ms forever
    };

    explicit HostileWinRmServer(Mode mode)
        : m_mode(mode)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int requests() const { return m_requests; }
    qint64 bytesSent() const { return m_sent; }

private:
    static QByteArray pad(int n) { return QByteArray(n, 'A'); }

    void serve(QTcpSocket *s)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
            buffer->append(s->readAll());
            if (!buffer->contains("\r\n\r\n") || s->property("answered").toBool())
                return;
            s->setProperty("answered", true);
            ++m_requests;
            answer(s);
        });
    }

    void send(QTcpSocket *s, const QByteArray &bytes) { m_sent += s->write(bytes); }

    // Keeps the socket fed with generated data while the peer reads.
    void stream(QTcpSocket *s, std::function<QByteArray()> next)
    {
        auto feed = [this, s, next] {
            while (s->state() == QAbstractSocket::ConnectedState
                   && s->bytesToWrite() < 256 * 1024) {
                const QByteArray chunk = next();
                if (chunk.isEmpty())
                    return;
                send(s, chunk);
            }
        };
        QObject::connect(s, &QTcpSocket::bytesWritten, s, feed);
        feed();
    }

    void answer(QTcpSocket *s)
    {
        static const char kGarbage[]
            = "SSH-2.0-OpenSSH_9.2p1\r\n\x01\x02\x03\xff\xfe garbage \x1b[31m";
        switch (m_mode) {
        case Mode::Garbage:
            send(s, QByteArray(kGarbage, sizeof kGarbage - 1));
            return;
        case Mode::TruncatedXml: {
            const QByteArray xml
                = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
                  "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">"
                  "<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/"
                  "CreateResponse</a:Action><a:RelatesTo>uuid:";
            send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                    "Content-Length: "
                        + QByteArray::number(xml.size()) + "\r\n\r\n" + xml);
            return;
        }
        case Mode::GigabyteBody: {
            send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                    "Content-Length: 1073741824\r\n\r\n");
            auto left = std::make_shared<qint64>(qint64(1) << 30);
            stream(s, [left] {
                const qint64 n = std::min<qint64>(*left, 64 * 1024);
                *left -= n;
                return n > 0 ? pad(int(n)) : QByteArray();
            });
            return;
        }
        case Mode::EndlessChunked:
            send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
            stream(s, [] {
                QByteArray chunk = "10000\r\n";
                chunk += pad(0x10000);
                chunk += "\r\n";
                return chunk;
            });
            return;
        case Mode::EndlessUntilClose:
            send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                    "Connection: close\r\n\r\n");
            stream(s, [] { return pad(64 * 1024); });
            return;
        case Mode::EndlessHeaders:
            send(s, "HTTP/1.1 200 OK\r\n");
            stream(s, [] {
                QByteArray line = "X-Padding: ";
                line += pad(1000);
                line += "\r\n";
                return line;
            });
            return;
        case Mode::Trickle: {
            send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                    "Content-Length: 100000\r\n\r\n<");
            auto *timer = new QTimer(s);
            QObject::connect(timer, &QTimer::timeout, s, [this, s] { send(s, "s"); });
            timer->start(100);
            return;
        }
        }
    }

    Mode m_mode;
    QTcpServer m_server;
    int m_requests = 0;
    qint64 m_sent = 0;
};

} // namespace aetherv::hardeningtest
