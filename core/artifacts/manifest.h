#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace aetherv::artifacts {

struct ManifestEntry
{
    QString name;      // file name only, as it lands in the install directory
    qint64 size = 0;   // bytes
    QByteArray sha256; // lowercase hex, 64 characters

    friend bool operator==(const ManifestEntry &, const ManifestEntry &) = default;
};

// The bundle's manifest.json: version, files [name, size, sha256] sorted by name, and a digest
// over the sorted entries (SHA-256 of "name\tsize\tsha256\n" lines, names in UTF-8 byte order).
// The digest identifies the exact set of bytes a host must hold.
class Manifest
{
public:
    Manifest() = default;
    Manifest(QString version, QList<ManifestEntry> files);

    const QString &version() const { return m_version; }
    const QList<ManifestEntry> &files() const { return m_files; }
    const QByteArray &digest() const { return m_digest; }
    const ManifestEntry *find(QStringView name) const;
    qint64 totalSize() const;

    QByteArray toJson() const;
    static Result<Manifest> fromJson(QByteArrayView json);

    // A name that may appear in a bundle: non-empty, at most 255 characters, no path separators,
    // no "." or "..", no characters Windows forbids in file names, no control characters.
    static bool isValidFileName(QStringView name);

private:
    QString m_version;
    QList<ManifestEntry> m_files;
    QByteArray m_digest;
};

QByteArray computeManifestDigest(const QList<ManifestEntry> &sortedFiles);

} // namespace aetherv::artifacts
