// The artifact server's request handling before any file is touched: the request target, decoded
// the way the server decodes it (QUrl, fully encoded and fully decoded path), goes through
// checkAgentPath; the first input line is also read as a Range header against a size taken from
// the input. A name that passes must be one plain file name; a range must lie inside the file.
#include "fuzz/fuzzcheck.h"

#include "core/artifacts/httputil.h"

#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace aetherv::artifacts;

namespace {

const QString prefix = QStringLiteral("/agent/");

void checkPath(QStringView encoded, QStringView decoded)
{
    const http::AgentPath p = http::checkAgentPath(encoded, decoded, prefix);
    if (p.verdict != http::PathVerdict::Ok) {
        FUZZ_CHECK(p.name.isEmpty());
        return;
    }
    FUZZ_CHECK(decoded.startsWith(prefix));
    FUZZ_CHECK(!p.name.isEmpty() && p.name.size() <= 255);
    FUZZ_CHECK(p.name != u"." && p.name != u"..");
    for (QChar c : p.name) {
        FUZZ_CHECK(c != u'/' && c != u'\\');
        FUZZ_CHECK(c.unicode() >= 0x20 && c.unicode() != 0x7f);
    }
    FUZZ_CHECK(!encoded.contains(u"%2f", Qt::CaseInsensitive));
    FUZZ_CHECK(!encoded.contains(u"%5c", Qt::CaseInsensitive));
    FUZZ_CHECK(!encoded.contains(u"%00"));
}

void checkRange(QByteArrayView header, qint64 size)
{
    const http::RangeRequest r = http::parseRange(header, size);
    if (r.kind != http::RangeKind::Satisfiable)
        return;
    FUZZ_CHECK(r.range.first >= 0);
    FUZZ_CHECK(r.range.first <= r.range.last);
    FUZZ_CHECK(r.range.last < size);
    FUZZ_CHECK(r.range.length() >= 1 && r.range.length() <= size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    // As the server sees a request target: through QUrl.
    const QUrl url = QUrl::fromEncoded(
        input.first(input.indexOf('\n') < 0 ? input.size() : input.indexOf('\n')));
    checkPath(url.path(QUrl::FullyEncoded), url.path(QUrl::FullyDecoded));
    // And as raw text, in case another HTTP layer hands paths over differently.
    const QString text = QString::fromUtf8(input);
    checkPath(text, QUrl::fromPercentEncoding(input));

    // Range header: the last 8 bytes (when present) give the resource size, the rest the header.
    qint64 resourceSize = 0;
    QByteArrayView header = input;
    if (input.size() >= 8) {
        quint64 bits = 0;
        std::memcpy(&bits, input.constData() + input.size() - 8, sizeof bits);
        resourceSize = static_cast<qint64>(bits >> 2); // any size up to 2^62 bytes
        header = QByteArrayView(input).first(input.size() - 8);
    }
    checkRange(header, resourceSize);
    checkRange(header, header.size());
    return 0;
}
