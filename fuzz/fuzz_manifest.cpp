// manifest.json as the artifact server or a bundle folder hands it over. Every input is parsed
// twice: as it is, and with its "digest" recomputed from its own entries (the way libFuzzer
// harnesses repair checksums), so that mutations reach the entry checks behind the digest.
#include "fuzz/fuzzcheck.h"

#include "core/artifacts/manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace aetherv::artifacts;

namespace {

// The document with "digest" set to what its files list hashes to (entries as the parser reads
// them); empty when the input is not a JSON object with a files array.
QByteArray withRepairedDigest(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return {};
    QJsonObject root = doc.object();
    const QJsonValue filesValue = root.value(QStringLiteral("files"));
    if (!filesValue.isArray())
        return {};
    QList<ManifestEntry> entries;
    for (const QJsonValue &v : filesValue.toArray()) {
        const QJsonObject o = v.toObject();
        entries.append(ManifestEntry{o.value(QStringLiteral("name")).toString(),
                                     o.value(QStringLiteral("size")).toInteger(-1),
                                     o.value(QStringLiteral("sha256")).toString().toLatin1()});
    }
    std::sort(entries.begin(), entries.end(), [](const ManifestEntry &a, const ManifestEntry &b) {
        return a.name.toUtf8() < b.name.toUtf8();
    });
    root.insert(QStringLiteral("digest"), QString::fromLatin1(computeManifestDigest(entries)));
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

void checkManifest(const Manifest &m)
{
    FUZZ_CHECK(!m.version().trimmed().isEmpty());
    FUZZ_CHECK(m.digest().size() == 64);
    FUZZ_CHECK(m.totalSize() >= 0);
    for (qsizetype i = 0; i < m.files().size(); ++i) {
        const ManifestEntry &e = m.files()[i];
        FUZZ_CHECK(Manifest::isValidFileName(e.name));
        FUZZ_CHECK(e.size >= 0);
        FUZZ_CHECK(e.sha256.size() == 64);
        FUZZ_CHECK(m.find(e.name) == &e);
        if (i > 0)
            FUZZ_CHECK(m.files()[i - 1].name.toUtf8() < e.name.toUtf8());
    }
    // What the console writes it must read back unchanged.
    const auto again = Manifest::fromJson(m.toJson());
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->version() == m.version());
    FUZZ_CHECK(again->files() == m.files());
    FUZZ_CHECK(again->digest() == m.digest());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (const auto m = Manifest::fromJson(json))
        checkManifest(*m);
    const QByteArray repaired = withRepairedDigest(json);
    if (repaired.isEmpty())
        return 0;
    if (const auto m = Manifest::fromJson(repaired))
        checkManifest(*m);
    return 0;
}
