#include "core/artifacts/httputil.h"

#include <QLocale>
#include <QTimeZone>

namespace aetherv::artifacts::http {

namespace {

std::optional<qint64> parseDigits(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 18)
        return std::nullopt;
    qint64 v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

RangeRequest parseRange(QByteArrayView header, qint64 size)
{
    RangeRequest r;
    QByteArrayView h = header.trimmed();
    if (!h.startsWith("bytes="))
        return r;
    h = h.sliced(6).trimmed();
    if (h.contains(','))
        return r; // multiple ranges: serve the whole resource
    const qsizetype dash = h.indexOf('-');
    if (dash < 0)
        return r;
    const QByteArrayView a = h.first(dash).trimmed();
    const QByteArrayView b = h.sliced(dash + 1).trimmed();
    if (a.isEmpty()) {
        // Suffix range: the last N bytes.
        const auto n = parseDigits(b);
        if (!n)
            return r;
        if (*n == 0 || size == 0) {
            r.kind = RangeKind::Unsatisfiable;
            return r;
        }
        r.kind = RangeKind::Satisfiable;
        r.range.first = std::max<qint64>(0, size - *n);
        r.range.last = size - 1;
        return r;
    }
    const auto first = parseDigits(a);
    if (!first)
        return r;
    std::optional<qint64> last;
    if (!b.isEmpty()) {
        last = parseDigits(b);
        if (!last || *last < *first)
            return r; // syntactically invalid: ignore the header
    }
    if (*first >= size) {
        r.kind = RangeKind::Unsatisfiable;
        return r;
    }
    r.kind = RangeKind::Satisfiable;
    r.range.first = *first;
    r.range.last = last ? std::min(*last, size - 1) : size - 1;
    return r;
}

QByteArray httpDate(const QDateTime &when)
{
    return QLocale::c()
        .toString(when.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

bool ifNoneMatchMatches(QByteArrayView header, QByteArrayView etag)
{
    auto strip = [](QByteArrayView t) {
        t = t.trimmed();
        if (t.startsWith("W/"))
            t = t.sliced(2);
        return t;
    };
    const QByteArrayView mine = strip(etag);
    for (QByteArrayView part : QByteArrayView(header).toByteArray().split(',')) {
        const QByteArrayView t = strip(part);
        if (t == "*" || t == mine)
            return true;
    }
    return false;
}

AgentPath checkAgentPath(QStringView encodedPath, QStringView decodedPath, QStringView prefix)
{
    AgentPath p;
    if (encodedPath.size() > 1024) {
        p.verdict = PathVerdict::TooLong;
        return p;
    }
    if (!decodedPath.startsWith(prefix) || !encodedPath.startsWith(prefix))
        return p;
    const QStringView encodedName = encodedPath.sliced(prefix.size());
    // Encoded separators, NULs and backslashes never name a bundle file.
    static const QString forbidden[] = {QStringLiteral("%2f"), QStringLiteral("%5c"),
                                        QStringLiteral("%00"), QStringLiteral("%2e%2e")};
    for (const QString &f : forbidden) {
        if (encodedName.contains(f, Qt::CaseInsensitive))
            return p;
    }
    const QStringView name = decodedPath.sliced(prefix.size());
    if (name.isEmpty() || name == u"." || name == u"..")
        return p;
    if (name.size() > 255) {
        p.verdict = PathVerdict::TooLong;
        return p;
    }
    for (QChar c : name) {
        if (c == u'/' || c == u'\\' || c.unicode() < 0x20 || c.unicode() == 0x7f)
            return p;
    }
    p.verdict = PathVerdict::Ok;
    p.name = name.toString();
    return p;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 206:
        return "Partial Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 414:
        return "URI Too Long";
    case 416:
        return "Range Not Satisfiable";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace aetherv::artifacts::http
