#pragma once

#include "core/artifacts/manifest.h"
#include "core/common/result.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QString>

#include <memory>

class QThreadPool;

namespace aetherv::artifacts {

struct BundleFile
{
    QString name; // as served and installed
    QString path; // absolute path on this machine
    qint64 size = 0;
    QByteArray sha256; // lowercase hex
    QDateTime lastModified;
};

// A hashed, immutable view of the bundle folder at one moment.
struct BundleSnapshot
{
    QString directory;
    QString version; // normalised text of the "version" file
    QList<BundleFile> files;
    Manifest manifest;

    const BundleFile *find(QStringView name) const;
};

// Remembers SHA-256 digests by (absolute path, size, mtime) so a rescan of an unchanged bundle
// reads nothing. Thread-safe.
class HashCache
{
public:
    std::optional<QByteArray> lookup(const QString &path, qint64 size, qint64 mtimeMs) const;
    void insert(const QString &path, qint64 size, qint64 mtimeMs, const QByteArray &sha256);
    int hits() const;
    int misses() const;

private:
    struct Key
    {
        qint64 size;
        qint64 mtimeMs;
        QByteArray sha256;
    };
    mutable QMutex m_mutex;
    QHash<QString, Key> m_entries;
    mutable int m_hits = 0;
    mutable int m_misses = 0;
};

// The agent bundle folder: every *.ps1 and *.iso at its top level plus the "version" file. The
// set is read at run time, so a new script or ISO takes part without a code change.
class AgentBundle
{
public:
    // Blocking: enumerates and hashes. Call off the GUI thread (or use scanAsync).
    static Result<BundleSnapshot> scan(const QString &directory, HashCache *cache = nullptr);
    static QFuture<Result<BundleSnapshot>> scanAsync(const QString &directory,
                                                     std::shared_ptr<HashCache> cache,
                                                     QThreadPool *pool = nullptr);

    // Where the bundle lives when nothing is configured: next to the installed binary
    // (<prefix>/share/aetherv/agent), or the build tree's bundle folder.
    static QString defaultDirectory();
    static bool isBundleFileName(QStringView name);
    static Result<QByteArray> sha256OfFile(const QString &path);
};

} // namespace aetherv::artifacts
