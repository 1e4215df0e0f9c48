#pragma once

#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

class QSocketNotifier;

namespace aetherv::artifacts {

// Streams one byte range of a file into a socket without ever holding more than a bounded
// amount in memory. Plain TCP sockets on Linux use sendfile(2) on a duplicate of the socket's
// descriptor once Qt's own write buffer is empty (zero copy); other sockets (TLS) are fed in
// 256 KiB chunks while fewer than 1 MiB are queued. Emits finished() exactly once.
class FileTransfer : public QObject
{
    Q_OBJECT
public:
    FileTransfer(QTcpSocket *socket, std::unique_ptr<QFile> file, qint64 offset, qint64 length,
                 bool zeroCopy, QObject *parent = nullptr);
    ~FileTransfer() override;

    void start();
    void abort();
    qint64 remaining() const { return m_remaining; }

Q_SIGNALS:
    void progressed(qint64 bytes);
    void finished(bool completed);

private:
    void pumpCopy();
    void pumpZeroCopy();
    void finish(bool completed);

    QPointer<QTcpSocket> m_socket;
    std::unique_ptr<QFile> m_file;
    qint64 m_offset = 0;
    qint64 m_remaining = 0;
    bool m_zeroCopy = false;
    bool m_done = false;
    int m_dupFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
};

} // namespace aetherv::artifacts
