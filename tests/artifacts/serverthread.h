#pragma once

#include "core/artifacts/artifactserver.h"
#include "core/common/tsan.h"

#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

// Runs an ArtifactServer on its own thread so a test may use blocking sockets and processes
// (curl, sha256sum) without starving the server's event loop.
class ServerThread
{
public:
    explicit ServerThread(aetherv::artifacts::ArtifactServerConfig config)
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        run([&] {
            m_server = new aetherv::artifacts::ArtifactServer(config);
            const auto started = m_server->start();
            m_port = started ? *started : 0;
            m_error = started ? QString() : started.error().toString();
        });
    }
    ~ServerThread()
    {
        run([&] { delete m_server; });
        m_thread.quit();
        m_thread.wait();
    }

    // Runs f on the server thread and waits for it. The blocking call orders f after what the
    // caller did and the caller's return after f; tsan:: tells ThreadSanitizer so (the semaphore
    // doing it is inside Qt).
    template<typename F>
    void run(F f)
    {
        aetherv::tsan::release(this);
        QMetaObject::invokeMethod(
            &m_context,
            [this, &f] {
                aetherv::tsan::acquire(this);
                f();
                aetherv::tsan::release(this);
            },
            Qt::BlockingQueuedConnection);
        aetherv::tsan::acquire(this);
    }

    quint16 port() const { return m_port; }
    QString error() const { return m_error; }
    aetherv::artifacts::ArtifactServer *server() { return m_server; }

    void setBundle(const aetherv::artifacts::BundleSnapshot &snap)
    {
        run([&] {
            m_server->setBundle(std::make_shared<const aetherv::artifacts::BundleSnapshot>(snap));
        });
    }
    aetherv::artifacts::ArtifactServerStats stats()
    {
        // Filled on the heap rather than in the caller's frame: TSan loses the order of stack
        // writes made around the tests' QProcess forks and would report this copy.
        auto s = std::make_unique<aetherv::artifacts::ArtifactServerStats>();
        run([&] { *s = m_server->stats(); });
        return *s;
    }

private:
    QThread m_thread;
    QObject m_context;
    aetherv::artifacts::ArtifactServer *m_server = nullptr;
    quint16 m_port = 0;
    QString m_error;
};

struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

// Reads one HTTP/1.1 response from a blocking socket. A HEAD response has no body whatever its
// Content-Length says; so does a 304.
inline bool readResponse(QTcpSocket &socket, QByteArray &buffer, RawResponse &out, bool head,
                         int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    auto fill = [&] {
        if (socket.bytesAvailable() == 0
            && !socket.waitForReadyRead(std::max<qint64>(1, timeoutMs - timer.elapsed())))
            return false;
        buffer += socket.readAll();
        return true;
    };
    qsizetype end;
    while ((end = buffer.indexOf("\r\n\r\n")) < 0) {
        if (!fill())
            return false;
    }
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.remove(0, end + 4);
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || statusLine[0] != "HTTP/1.1")
        return false;
    out = RawResponse();
    out.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            out.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    qint64 length = out.header("content-length").toLongLong();
    if (head || out.status == 304)
        length = 0;
    while (buffer.size() < length) {
        if (!fill())
            return false;
    }
    out.body = buffer.left(length);
    buffer.remove(0, length);
    return true;
}

// Sends raw request bytes and reads `count` responses (the last `headCount` read as HEAD).
inline QList<RawResponse> exchange(quint16 port, const QByteArray &requests, int count,
                                   QList<bool> head = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(requests);
    socket.waitForBytesWritten(5000);
    QByteArray buffer;
    QList<RawResponse> out;
    for (int i = 0; i < count; ++i) {
        RawResponse r;
        if (!readResponse(socket, buffer, r, i < head.size() && head[i]))
            break;
        out.append(r);
    }
    return out;
}
