#include "core/artifacts/filetransfer.h"

#include "core/common/logging.h"

#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

namespace aetherv::artifacts {

namespace {
constexpr qint64 kChunk = 256 * 1024;
constexpr qint64 kHighWater = 1024 * 1024;
constexpr qint64 kSendfileSlice = 8 * 1024 * 1024;
} // namespace

FileTransfer::FileTransfer(QTcpSocket *socket, std::unique_ptr<QFile> file, qint64 offset,
                           qint64 length, bool zeroCopy, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_file(std::move(file))
    , m_offset(offset)
    , m_remaining(length)
    , m_zeroCopy(zeroCopy)
{}

FileTransfer::~FileTransfer()
{
    if (m_dupFd >= 0)
        ::close(m_dupFd);
}

void FileTransfer::start()
{
    if (!m_socket) {
        finish(false);
        return;
    }
    connect(m_socket, &QTcpSocket::disconnected, this, [this] { finish(false); });
    if (m_remaining == 0) {
        finish(true);
        return;
    }
    if (m_zeroCopy) {
        connect(m_socket, &QTcpSocket::bytesWritten, this, &FileTransfer::pumpZeroCopy);
        pumpZeroCopy();
        return;
    }
    if (!m_file->seek(m_offset)) {
        finish(false);
        return;
    }
    connect(m_socket, &QTcpSocket::bytesWritten, this, &FileTransfer::pumpCopy);
    pumpCopy();
}

void FileTransfer::abort()
{
    finish(false);
}

void FileTransfer::pumpCopy()
{
    if (m_done || !m_socket)
        return;
    while (m_remaining > 0 && m_socket->bytesToWrite() < kHighWater) {
        const qint64 want = std::min(kChunk, m_remaining);
        m_buffer.resize(want);
        const qint64 got = m_file->read(m_buffer.data(), want);
        if (got <= 0) {
            qCWarning(lcArtifactServer)
                << "read failed on" << m_file->fileName() << m_file->errorString();
            finish(false);
            return;
        }
        if (m_socket->write(m_buffer.constData(), got) != got) {
            finish(false);
            return;
        }
        m_remaining -= got;
        Q_EMIT progressed(got);
    }
    if (m_remaining == 0)
        finish(true);
}

void FileTransfer::pumpZeroCopy()
{
    if (m_done || !m_socket)
        return;
    // Headers (and any earlier response) go out through Qt's buffer first; only then may bytes
    // bypass it, or they would overtake what Qt still holds.
    if (m_socket->bytesToWrite() > 0)
        return;
    if (m_dupFd < 0) {
        m_dupFd = ::fcntl(int(m_socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        if (m_dupFd < 0) {
            finish(false);
            return;
        }
        disconnect(m_socket, &QTcpSocket::bytesWritten, this, &FileTransfer::pumpZeroCopy);
        m_notifier = new QSocketNotifier(m_dupFd, QSocketNotifier::Write, this);
        m_notifier->setEnabled(false);
        connect(m_notifier, &QSocketNotifier::activated, this, &FileTransfer::pumpZeroCopy);
    }
    m_notifier->setEnabled(false);
    while (m_remaining > 0) {
        off_t off = off_t(m_offset);
        const ssize_t n = ::sendfile(m_dupFd, m_file->handle(), &off,
                                     size_t(std::min(m_remaining, kSendfileSlice)));
        if (n > 0) {
            m_offset += n;
            m_remaining -= n;
            Q_EMIT progressed(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            m_notifier->setEnabled(true);
            return;
        }
        // n == 0: the file shrank under us; n < 0: the peer went away.
        finish(false);
        return;
    }
    finish(true);
}

void FileTransfer::finish(bool completed)
{
    if (m_done)
        return;
    m_done = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
    Q_EMIT finished(completed);
}

} // namespace aetherv::artifacts
