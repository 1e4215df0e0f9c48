#include "core/artifacts/manifest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

namespace aetherv::artifacts {

namespace {

constexpr int kSchema = 1;

bool isSha256Hex(QByteArrayView s)
{
    if (s.size() != 64)
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void sortEntries(QList<ManifestEntry> &files)
{
    std::sort(files.begin(), files.end(), [](const ManifestEntry &a, const ManifestEntry &b) {
        return a.name.toUtf8() < b.name.toUtf8();
    });
}

} // namespace

QByteArray computeManifestDigest(const QList<ManifestEntry> &sortedFiles)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const ManifestEntry &e : sortedFiles) {
        hash.addData(e.name.toUtf8());
        hash.addData("\t");
        hash.addData(QByteArray::number(e.size));
        hash.addData("\t");
        hash.addData(e.sha256);
        hash.addData("\n");
    }
    return hash.result().toHex();
}

Manifest::Manifest(QString version, QList<ManifestEntry> files)
    : m_version(std::move(version))
    , m_files(std::move(files))
{
    sortEntries(m_files);
    m_digest = computeManifestDigest(m_files);
}

const ManifestEntry *Manifest::find(QStringView name) const
{
    for (const ManifestEntry &e : m_files) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

qint64 Manifest::totalSize() const
{
    qint64 total = 0;
    for (const ManifestEntry &e : m_files)
        total += e.size;
    return total;
}

QByteArray Manifest::toJson() const
{
    QJsonArray files;
    for (const ManifestEntry &e : m_files) {
        files.append(QJsonObject{{QStringLiteral("name"), e.name},
                                 {QStringLiteral("size"), e.size},
                                 {QStringLiteral("sha256"), QString::fromLatin1(e.sha256)}});
    }
    const QJsonObject root{{QStringLiteral("schema"), kSchema},
                           {QStringLiteral("version"), m_version},
                           {QStringLiteral("digest"), QString::fromLatin1(m_digest)},
                           {QStringLiteral("files"), files}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<Manifest> Manifest::fromJson(QByteArrayView json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        return fail(ErrorCode::Integrity,
                    QStringLiteral("manifest.json is not a JSON object: republish the bundle"),
                    perr.errorString());
    }
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("schema")).toInt(-1) != kSchema) {
        return fail(
            ErrorCode::Integrity,
            QStringLiteral("manifest.json has an unknown schema: expected %1").arg(kSchema));
    }
    const QString version = root.value(QStringLiteral("version")).toString();
    if (version.trimmed().isEmpty())
        return fail(ErrorCode::Integrity, QStringLiteral("manifest.json has no version"));
    const QJsonValue filesValue = root.value(QStringLiteral("files"));
    if (!filesValue.isArray())
        return fail(ErrorCode::Integrity, QStringLiteral("manifest.json has no files list"));

    QList<ManifestEntry> files;
    qint64 total = 0;
    for (const QJsonValue &v : filesValue.toArray()) {
        const QJsonObject o = v.toObject();
        ManifestEntry e;
        e.name = o.value(QStringLiteral("name")).toString();
        const QJsonValue size = o.value(QStringLiteral("size"));
        e.size = size.toInteger(-1);
        e.sha256 = o.value(QStringLiteral("sha256")).toString().toLatin1();
        if (!isValidFileName(e.name)) {
            return fail(ErrorCode::Integrity,
                        QStringLiteral("manifest.json names an invalid file: %1").arg(e.name));
        }
        if (!size.isDouble() || e.size < 0 || double(e.size) != size.toDouble()) {
            return fail(ErrorCode::Integrity,
                        QStringLiteral("manifest.json has an invalid size for %1").arg(e.name));
        }
        // Each size fits in qint64, but a manifest that lies can make their sum overflow it.
        if (e.size > std::numeric_limits<qint64>::max() - total) {
            return fail(ErrorCode::Integrity,
                        QStringLiteral("manifest.json claims more bytes in total than any bundle "
                                       "can hold (at %1): republish the bundle")
                            .arg(e.name));
        }
        total += e.size;
        if (!isSha256Hex(e.sha256)) {
            return fail(ErrorCode::Integrity,
                        QStringLiteral("manifest.json has an invalid sha256 for %1").arg(e.name));
        }
        for (const ManifestEntry &seen : std::as_const(files)) {
            if (seen.name.compare(e.name, Qt::CaseInsensitive) == 0) {
                return fail(ErrorCode::Integrity,
                            QStringLiteral("manifest.json lists %1 twice (names are "
                                           "case-insensitive on Windows)")
                                .arg(e.name));
            }
        }
        files.append(std::move(e));
    }
    Manifest m(version, std::move(files));
    const QByteArray claimed = root.value(QStringLiteral("digest")).toString().toLatin1();
    if (claimed != m.m_digest) {
        return fail(ErrorCode::Integrity,
                    QStringLiteral("manifest.json digest does not match its entries: the file was "
                                   "altered or truncated; republish the bundle"),
                    QStringLiteral("claimed %1, computed %2")
                        .arg(QString::fromLatin1(claimed), QString::fromLatin1(m.m_digest)));
    }
    return m;
}

bool Manifest::isValidFileName(QStringView name)
{
    if (name.isEmpty() || name.size() > 255 || name == u"." || name == u"..")
        return false;
    if (name.endsWith(u' ') || name.endsWith(u'.'))
        return false; // Windows silently strips these
    for (QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
        switch (c.unicode()) {
        case '/':
        case '\\':
        case ':':
        case '*':
        case '?':
        case '"':
        case '<':
        case '>':
        case '|':
            return false;
        default:
            break;
        }
    }
    return true;
}

} // namespace aetherv::artifacts
