#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace aetherv::artifacts::http {

// A byte range resolved against a resource size: [first, last], inclusive.
struct ByteRange
{
    qint64 first = 0;
    qint64 last = -1;
    qint64 length() const { return last - first + 1; }
};

enum class RangeKind {
    None,          // no usable Range header: send the whole resource (200)
    Satisfiable,   // one range: 206
    Unsatisfiable, // 416 with "Content-Range: bytes */size"
};

struct RangeRequest
{
    RangeKind kind = RangeKind::None;
    ByteRange range;
};

// Interprets a Range header (RFC 9110 §14) for a resource of `size` bytes. Only one byte range is
// honoured; a multi-range or malformed header is ignored (whole resource), as RFC 9110 allows.
RangeRequest parseRange(QByteArrayView header, qint64 size);

// RFC 9110 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
QByteArray httpDate(const QDateTime &when);

// True when an If-None-Match header value matches the entity tag (or is "*"). Weak comparison.
bool ifNoneMatchMatches(QByteArrayView header, QByteArrayView etag);

// What the request path names, checked before it is looked up in the bundle's allow-list.
enum class PathVerdict { Ok, BadRequest, TooLong };
struct AgentPath
{
    PathVerdict verdict = PathVerdict::BadRequest;
    QString name; // decoded file name below /agent/, when verdict == Ok
};

// Checks the path of a request below `prefix` (e.g. "/agent/"): the encoded form must not hide
// separators ("%2f", "%5c"), NULs, dot segments or control characters, and the decoded name must
// be a single segment of at most 255 characters. The name is then only ever compared against the
// bundle's names; it never becomes a filesystem path.
AgentPath checkAgentPath(QStringView encodedPath, QStringView decodedPath, QStringView prefix);

QByteArray reasonPhrase(int status);

} // namespace aetherv::artifacts::http
