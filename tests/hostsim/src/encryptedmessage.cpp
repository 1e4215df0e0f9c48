#include "encryptedmessage.h"

#include <QRegularExpression>
#include <QtEndian>

namespace aetherv::hostsim::encryptedmessage {

using namespace Qt::StringLiterals;

namespace {

QByteArray parameter(const QByteArray &contentType, const char *name)
{
    const QRegularExpression re(
        u"(?:^|;)\\s*%1\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))"_s.arg(QString::fromLatin1(name)),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(QString::fromLatin1(contentType));
    if (!m.hasMatch())
        return {};
    return (m.capturedLength(1) ? m.captured(1) : m.captured(2)).toLatin1();
}

// Reads one header line (with or without the leading TAB) at pos; returns it without CRLF.
QByteArray readLine(const QByteArray &body, qsizetype &pos)
{
    const qsizetype end = body.indexOf("\r\n", pos);
    if (end < 0)
        return {};
    QByteArray line = body.mid(pos, end - pos);
    pos = end + 2;
    return line.trimmed();
}

} // namespace

bool isEncryptedContentType(const QByteArray &contentType)
{
    const QByteArray lower = contentType.trimmed().toLower();
    return lower.startsWith("multipart/encrypted")
           || lower.startsWith("multipart/x-multi-encrypted");
}

QByteArray contentType(const QByteArray &protocol)
{
    return "multipart/encrypted;protocol=\"" + protocol + "\";boundary=\"Encrypted Boundary\"";
}

QByteArray build(const QByteArray &protocol, const QByteArray &header, const QByteArray &data,
                 qsizetype originalLength)
{
    QByteArray out;
    out.reserve(header.size() + data.size() + 256);
    out += "--Encrypted Boundary\r\n\tContent-Type: " + protocol + "\r\n";
    out += "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
           + QByteArray::number(originalLength) + "\r\n";
    out += "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n";
    char size[4];
    qToLittleEndian<quint32>(quint32(header.size()), size);
    out.append(size, 4);
    out += header;
    out += data;
    out += "--Encrypted Boundary--\r\n";
    return out;
}

Result<Parsed> parse(const QByteArray &type, const QByteArray &body)
{
    Parsed parsed;
    parsed.protocol = parameter(type, "protocol");
    QByteArray boundary = parameter(type, "boundary");
    if (boundary.isEmpty())
        boundary = "Encrypted Boundary";
    if (parsed.protocol.isEmpty())
        return fail(ErrorCode::Protocol, u"multipart/encrypted without a protocol parameter."_s);
    const QByteArray marker = "--" + boundary;
    qsizetype pos = 0;
    while (pos < body.size()) {
        if (!body.mid(pos).startsWith(marker))
            return fail(ErrorCode::Protocol,
                        u"Encrypted body does not start a part with its boundary."_s);
        pos += marker.size();
        if (body.mid(pos).startsWith("--")) {
            // A closing boundary; some clients close every part, so more parts may follow.
            pos += 2;
            if (body.mid(pos).startsWith("\r\n"))
                pos += 2;
            continue;
        }
        if (!body.mid(pos).startsWith("\r\n"))
            return fail(ErrorCode::Protocol, u"Boundary line is not terminated by CRLF."_s);
        pos += 2;
        Part part;
        // Part 1: protocol and original length.
        for (;;) {
            if (body.mid(pos).startsWith(marker))
                break;
            const qsizetype before = pos;
            const QByteArray line = readLine(body, pos);
            if (pos == before)
                return fail(ErrorCode::Protocol, u"Truncated encrypted part header."_s);
            const QByteArray lower = line.toLower();
            if (lower.startsWith("content-type:")) {
                const QByteArray value = line.mid(13).trimmed();
                if (value.compare(parsed.protocol, Qt::CaseInsensitive) != 0)
                    return fail(ErrorCode::Protocol,
                                u"Part protocol differs from the Content-Type."_s);
            } else if (lower.startsWith("originalcontent:")) {
                const qsizetype at = lower.indexOf("length=");
                bool ok = false;
                part.originalLength = at < 0 ? -1 : line.mid(at + 7).trimmed().toLongLong(&ok);
                if (!ok)
                    return fail(ErrorCode::Protocol, u"OriginalContent has no Length."_s);
            }
        }
        if (part.originalLength < 0)
            return fail(ErrorCode::Protocol, u"Encrypted part lacks OriginalContent."_s);
        // Part 2: octet stream header line, then LE32 size, header, data up to the boundary.
        pos += marker.size();
        if (!body.mid(pos).startsWith("\r\n"))
            return fail(ErrorCode::Protocol, u"Boundary line is not terminated by CRLF."_s);
        pos += 2;
        const QByteArray streamLine = readLine(body, pos);
        if (!streamLine.toLower().startsWith("content-type:"))
            return fail(ErrorCode::Protocol, u"Missing Content-Type of the octet-stream part."_s);
        if (pos + 4 > body.size())
            return fail(ErrorCode::Protocol, u"Truncated encrypted payload."_s);
        const quint32 headerSize = qFromLittleEndian<quint32>(body.constData() + pos);
        pos += 4;
        if (qsizetype(headerSize) > body.size() - pos)
            return fail(ErrorCode::Protocol, u"Encrypted header size exceeds the body."_s);
        part.header = body.mid(pos, headerSize);
        pos += headerSize;
        const qsizetype end = body.indexOf(
            marker, pos + std::min<qsizetype>(part.originalLength, body.size() - pos));
        if (end < 0)
            return fail(ErrorCode::Protocol, u"Encrypted payload is not followed by a boundary."_s);
        part.data = body.mid(pos, end - pos);
        pos = end;
        parsed.parts << part;
    }
    if (parsed.parts.isEmpty())
        return fail(ErrorCode::Protocol, u"Encrypted body holds no part."_s);
    return parsed;
}

} // namespace aetherv::hostsim::encryptedmessage
