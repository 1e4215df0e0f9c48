// Version files as they arrive from a host or a bundle: any bytes, any encoding. The normalised
// text is parsed as a Version, and the versions on the input's lines must order consistently.
#include "fuzz/fuzzcheck.h"

#include "core/version/version.h"
#include "core/version/versiontext.h"

#include <QList>

#include <cstddef>
#include <cstdint>

using aetherv::version::Version;

namespace {

int sign(int v)
{
    return (v > 0) - (v < 0);
}

void checkVersion(const Version &v)
{
    FUZZ_CHECK(v.compare(v) == 0);
    const auto again = Version::parse(v.toString());
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->compare(v) == 0);
    FUZZ_CHECK(again->isZero() == v.isZero());
    FUZZ_CHECK(again->isPrerelease() == v.isPrerelease());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView raw(data, static_cast<qsizetype>(size));
    const QString text = aetherv::version::normaliseVersionText(raw);
    FUZZ_CHECK(text == text.trimmed());
    FUZZ_CHECK(!text.contains(QLatin1Char('\n')));
    FUZZ_CHECK(!text.contains(QChar(0)));
    FUZZ_CHECK(!text.contains(QChar(0xFEFF)));
    if (const auto v = Version::parse(text))
        checkVersion(*v);

    // SemVer precedence is a total order: antisymmetric and transitive over any versions.
    QList<Version> versions;
    for (const QByteArray &line : raw.toByteArray().split('\n')) {
        if (versions.size() == 6)
            break;
        if (auto v = Version::parse(QString::fromUtf8(line))) {
            checkVersion(*v);
            versions.append(*v);
        }
    }
    for (const Version &a : versions) {
        for (const Version &b : versions) {
            FUZZ_CHECK(sign(a.compare(b)) == -sign(b.compare(a)));
            for (const Version &c : versions) {
                if (a.compare(b) <= 0 && b.compare(c) <= 0)
                    FUZZ_CHECK(a.compare(c) <= 0);
            }
        }
    }
    return 0;
}
