#include "core/winrm/messageencryption.h"

#include <QtEndian>

#include <optional>

namespace aetherv::winrm::messageencryption {

namespace {

const QByteArray defaultBoundary = QByteArrayLiteral("Encrypted Boundary");

Error malformed(const QString &what)
{
    return Error{ErrorCode::Protocol,
                 QStringLiteral("the host's encrypted reply is malformed (%1)").arg(what),
                 {}};
}

QByteArray boundaryFrom(const QByteArray &contentType, const QByteArray &body)
{
    const qsizetype at = contentType.toLower().indexOf("boundary=");
    if (at >= 0) {
        QByteArray value = contentType.mid(at + 9);
        const qsizetype semi = value.indexOf(';');
        if (semi >= 0)
            value.truncate(semi);
        value = value.trimmed();
        if (value.startsWith('"') && value.endsWith('"') && value.size() >= 2)
            value = value.mid(1, value.size() - 2);
        if (!value.isEmpty())
            return value;
    }
    // Fall back to the first line of the body: "--<boundary>".
    if (body.startsWith("--")) {
        const qsizetype eol = body.indexOf("\r\n");
        if (eol > 2)
            return body.mid(2, eol - 2).trimmed();
    }
    return defaultBoundary;
}

class Cursor
{
public:
    Cursor(const QByteArray &body, const QByteArray &boundary)
        : m_body(body)
        , m_boundary(boundary)
    {}

    bool atEnd() const { return m_pos >= m_body.size(); }
    // Whether the body holds `text` at `pos`; compares in place (no copy per call, since hostile
    // bodies can put a candidate delimiter at nearly every offset).
    bool hasAt(qsizetype pos, QByteArrayView text) const
    {
        return pos >= 0 && pos <= m_body.size()
               && QByteArrayView(m_body).sliced(pos).startsWith(text);
    }
    void skipBlankLines()
    {
        while (hasAt(m_pos, "\r\n"))
            m_pos += 2;
        while (m_pos < m_body.size() && m_body.at(m_pos) == '\n')
            ++m_pos;
    }
    // Length of a boundary delimiter ("--Encrypted Boundary" or "-- Encrypted Boundary") at pos.
    qsizetype delimiterAt(qsizetype pos) const
    {
        if (!hasAt(pos, "--"))
            return 0;
        qsizetype p = pos + 2;
        if (p < m_body.size() && m_body.at(p) == ' ')
            ++p;
        if (!hasAt(p, m_boundary))
            return 0;
        return p + m_boundary.size() - pos;
    }
    // Consumes "--boundary" and either "--" (closing) or the line end; nullopt if absent.
    std::optional<bool> boundaryLine()
    {
        skipBlankLines();
        const qsizetype len = delimiterAt(m_pos);
        if (len == 0)
            return std::nullopt;
        m_pos += len;
        bool closing = false;
        if (hasAt(m_pos, "--")) {
            closing = true;
            m_pos += 2;
        }
        const qsizetype eol = m_body.indexOf('\n', m_pos);
        m_pos = eol < 0 ? m_body.size() : eol + 1;
        return closing;
    }
    // Header lines up to (not including) the next boundary line.
    QByteArray headersUntilBoundary()
    {
        QByteArray headers;
        while (m_pos < m_body.size() && delimiterAt(m_pos) == 0) {
            const qsizetype eol = m_body.indexOf('\n', m_pos);
            const qsizetype end = eol < 0 ? m_body.size() : eol + 1;
            headers.append(QByteArrayView(m_body).sliced(m_pos, end - m_pos));
            m_pos = end;
        }
        return headers;
    }
    QByteArray line()
    {
        const qsizetype eol = m_body.indexOf('\n', m_pos);
        const qsizetype end = eol < 0 ? m_body.size() : eol + 1;
        QByteArray l = m_body.mid(m_pos, end - m_pos);
        m_pos = end;
        return l;
    }
    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype p) { m_pos = p; }
    const QByteArray &body() const { return m_body; }
    // The next delimiter at or after `from`, preceded by an optional line break.
    qsizetype findDelimiter(qsizetype from) const
    {
        qsizetype at = from;
        while ((at = m_body.indexOf("--", at)) >= 0) {
            if (delimiterAt(at) > 0)
                return at;
            ++at;
        }
        return -1;
    }

private:
    const QByteArray &m_body;
    QByteArray m_boundary;
    qsizetype m_pos = 0;
};

std::optional<qsizetype> originalLength(const QByteArray &headers)
{
    const QByteArray lower = headers.toLower();
    const qsizetype at = lower.indexOf("length=");
    if (at < 0)
        return std::nullopt;
    qsizetype end = at + 7;
    while (end < lower.size() && lower.at(end) >= '0' && lower.at(end) <= '9')
        ++end;
    bool ok = false;
    const qsizetype value = lower.mid(at + 7, end - at - 7).toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

QByteArray contentType(const QByteArray &protocol)
{
    return QByteArrayLiteral("multipart/encrypted;protocol=\"") + protocol
           + QByteArrayLiteral("\";boundary=\"Encrypted Boundary\"");
}

bool isEncryptedContentType(const QByteArray &contentType)
{
    const QByteArray lower = contentType.trimmed().toLower();
    return lower.startsWith("multipart/encrypted")
           || lower.startsWith("multipart/x-multi-encrypted");
}

QByteArray frame(const QByteArray &protocol, const WrappedMessage &message)
{
    QByteArray body;
    body.reserve(260 + message.header.size() + message.data.size());
    body.append("--Encrypted Boundary\r\n");
    body.append("\tContent-Type: ").append(protocol).append("\r\n");
    body.append("\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=");
    body.append(QByteArray::number(message.originalLength)).append("\r\n");
    body.append("--Encrypted Boundary\r\n");
    body.append("\tContent-Type: application/octet-stream\r\n");
    char len[4];
    qToLittleEndian<quint32>(static_cast<quint32>(message.header.size()), len);
    body.append(len, 4);
    body.append(message.header);
    body.append(message.data);
    body.append("--Encrypted Boundary--\r\n");
    return body;
}

Result<QList<EncryptedPart>> parse(const QByteArray &body, const QByteArray &contentType)
{
    const QByteArray boundary = boundaryFrom(contentType, body);
    Cursor c(body, boundary);
    QList<EncryptedPart> parts;
    while (true) {
        c.skipBlankLines();
        if (c.atEnd())
            break;
        const auto opening = c.boundaryLine();
        if (!opening)
            return std::unexpected(malformed(QStringLiteral("missing boundary")));
        if (*opening) { // a closing delimiter: PSWSMan closes every chunk
            continue;
        }
        const auto length = originalLength(c.headersUntilBoundary());
        if (!length)
            return std::unexpected(malformed(QStringLiteral("no OriginalContent length")));
        const auto second = c.boundaryLine();
        if (!second || *second)
            return std::unexpected(malformed(QStringLiteral("missing data part")));
        const QByteArray typeLine = c.line();
        if (!typeLine.toLower().contains("octet-stream"))
            return std::unexpected(malformed(QStringLiteral("data part is not octet-stream")));
        const qsizetype start = c.pos();
        if (start + 4 > body.size())
            return std::unexpected(malformed(QStringLiteral("truncated header length")));
        const quint32 headerLength = qFromLittleEndian<quint32>(body.constData() + start);
        const qsizetype dataStart = start + 4 + static_cast<qsizetype>(headerLength);
        if (dataStart > body.size())
            return std::unexpected(malformed(QStringLiteral("header longer than the body")));
        // The data normally has exactly OriginalContent's length; otherwise it ends at the next
        // delimiter (Kerberos padding). The length is the peer's claim: compare it with what is
        // left of the body before adding, so that a huge value cannot overflow the offset.
        qsizetype dataEnd = -1;
        if (*length <= body.size() - dataStart && c.delimiterAt(dataStart + *length) > 0)
            dataEnd = dataStart + *length;
        if (dataEnd < 0) {
            const qsizetype next = c.findDelimiter(dataStart);
            if (next < 0)
                return std::unexpected(malformed(QStringLiteral("unterminated data part")));
            dataEnd = next;
            if (dataEnd >= dataStart + 2 && c.hasAt(dataEnd - 2, "\r\n")
                && dataEnd - 2 - dataStart >= *length)
                dataEnd -= 2;
        }
        EncryptedPart part;
        part.originalLength = *length;
        part.header = body.mid(start + 4, headerLength);
        part.data = body.mid(dataStart, dataEnd - dataStart);
        parts.append(part);
        c.setPos(dataEnd);
    }
    if (parts.isEmpty())
        return std::unexpected(malformed(QStringLiteral("no encrypted part")));
    return parts;
}

Result<QByteArray> encrypt(SecurityContext &context, const QByteArray &protocol,
                           const QByteArray &plaintext)
{
    auto wrapped = context.wrap(plaintext);
    if (!wrapped)
        return std::unexpected(wrapped.error());
    return frame(protocol, *wrapped);
}

Result<QByteArray> decrypt(SecurityContext &context, const QByteArray &body,
                           const QByteArray &contentType)
{
    auto parts = parse(body, contentType);
    if (!parts)
        return std::unexpected(parts.error());
    QByteArray plaintext;
    for (const EncryptedPart &part : *parts) {
        auto plain = context.unwrap(part.header, part.data);
        if (!plain)
            return std::unexpected(plain.error());
        // OriginalContent covers the plaintext and, for Kerberos, the GSS padding.
        const qsizetype slack = context.mechanismName() == QLatin1String("NTLM") ? 0 : 32;
        if (plain->size() > part.originalLength || part.originalLength - plain->size() > slack)
            return std::unexpected(
                malformed(QStringLiteral("length %1 does not match the decrypted %2 bytes")
                              .arg(part.originalLength)
                              .arg(plain->size())));
        plaintext.append(*plain);
    }
    return plaintext;
}

} // namespace aetherv::winrm::messageencryption
