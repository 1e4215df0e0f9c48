#pragma once

#include <QByteArray>
#include <QString>
#include <QStringDecoder>
#include <QStringList>

// Joins one output stream (stdout or stderr) of a remote command as bytes and decodes it as
// UTF-8 incrementally: a multi-byte character or a CRLF split across two Receive replies comes
// out whole. Complete lines are handed out as they arrive.
namespace aetherv::winrm {

class StreamDecoder
{
public:
    // Returns the lines completed by these bytes, without their line terminators.
    QStringList feed(const QByteArray &bytes);
    // Flushes an incomplete trailing character (as U+FFFD) and returns the last unterminated line.
    QStringList finish();

    const QByteArray &bytes() const { return m_bytes; }
    QString text() const { return m_text; }

private:
    QStringList takeLines(bool flush);

    QStringDecoder m_decoder{QStringDecoder::Utf8};
    QByteArray m_bytes;
    QString m_text;
    QString m_pending;
};

} // namespace aetherv::winrm
