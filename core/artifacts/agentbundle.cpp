#include "core/artifacts/agentbundle.h"

#include "core/common/logging.h"
#include "core/version/version.h"
#include "core/version/versiontext.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QtConcurrent/QtConcurrentRun>

namespace aetherv::artifacts {

namespace {

constexpr qint64 kMaxVersionFileSize = 64 * 1024;

Result<QString> readVersionFile(const QString &path)
{
    QFile f(path);
    if (!f.exists()) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("the bundle has no version file: create %1 holding the "
                                   "bundle's version (e.g. 1.4.0)")
                        .arg(QDir::toNativeSeparators(path)));
    }
    if (!f.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot read the bundle's version file %1: check its "
                                   "permissions")
                        .arg(QDir::toNativeSeparators(path)),
                    f.errorString());
    }
    if (f.size() > kMaxVersionFileSize) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("the bundle's version file %1 is %2 bytes: it must hold one "
                                   "short line such as 1.4.0")
                        .arg(QDir::toNativeSeparators(path))
                        .arg(f.size()));
    }
    const QString text = version::normaliseVersionText(f.readAll());
    if (text.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("the bundle's version file %1 is empty: write the bundle's "
                                   "version into it (e.g. 1.4.0)")
                        .arg(QDir::toNativeSeparators(path)));
    }
    if (!version::Version::parse(text)) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("the bundle's version file %1 holds \"%2\", which is not a "
                                   "version: use dotted numbers with an optional SemVer suffix")
                        .arg(QDir::toNativeSeparators(path), text.left(80)));
    }
    return text;
}

} // namespace

const BundleFile *BundleSnapshot::find(QStringView name) const
{
    for (const BundleFile &f : files) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

std::optional<QByteArray> HashCache::lookup(const QString &path, qint64 size, qint64 mtimeMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(path);
    if (it != m_entries.cend() && it->size == size && it->mtimeMs == mtimeMs) {
        ++m_hits;
        return it->sha256;
    }
    ++m_misses;
    return std::nullopt;
}

void HashCache::insert(const QString &path, qint64 size, qint64 mtimeMs, const QByteArray &sha256)
{
    QMutexLocker lock(&m_mutex);
    m_entries.insert(path, Key{size, mtimeMs, sha256});
}

int HashCache::hits() const
{
    QMutexLocker lock(&m_mutex);
    return m_hits;
}

int HashCache::misses() const
{
    QMutexLocker lock(&m_mutex);
    return m_misses;
}

bool AgentBundle::isBundleFileName(QStringView name)
{
    return name == u"version" || name.endsWith(u".ps1", Qt::CaseInsensitive)
           || name.endsWith(u".iso", Qt::CaseInsensitive);
}

Result<QByteArray> AgentBundle::sha256OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot read bundle file %1: check its permissions")
                        .arg(QDir::toNativeSeparators(path)),
                    f.errorString());
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f)) {
        return fail(
            ErrorCode::Io,
            QStringLiteral("reading bundle file %1 failed").arg(QDir::toNativeSeparators(path)),
            f.errorString());
    }
    return hash.result().toHex();
}

Result<BundleSnapshot> AgentBundle::scan(const QString &directory, HashCache *cache)
{
    const QFileInfo dirInfo(directory);
    if (!dirInfo.isDir()) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("the agent bundle folder %1 does not exist: build the bundle "
                                   "(cmake --build … --target agent_bundle) or point the profile's "
                                   "bundle directory at it")
                        .arg(QDir::toNativeSeparators(directory)));
    }
    BundleSnapshot snap;
    snap.directory = dirInfo.absoluteFilePath();

    auto version = readVersionFile(QDir(snap.directory).filePath(QStringLiteral("version")));
    if (!version)
        return std::unexpected(version.error());
    snap.version = *version;

    const QDir dir(snap.directory);
    const QFileInfoList entries
        = dir.entryInfoList(QDir::Files | QDir::Readable | QDir::Hidden, QDir::Name);
    QList<ManifestEntry> manifestEntries;
    for (const QFileInfo &info : entries) {
        const QString name = info.fileName();
        if (!isBundleFileName(name)) {
            qCDebug(lcBundle) << "not part of the bundle:" << name;
            continue;
        }
        if (!Manifest::isValidFileName(name)) {
            return fail(
                ErrorCode::InvalidInput,
                QStringLiteral("bundle file name \"%1\" cannot be used on Windows: rename it")
                    .arg(name));
        }
        for (const BundleFile &seen : std::as_const(snap.files)) {
            if (seen.name.compare(name, Qt::CaseInsensitive) == 0) {
                return fail(ErrorCode::InvalidInput,
                            QStringLiteral("bundle files \"%1\" and \"%2\" differ only in case and "
                                           "would overwrite each other on Windows: rename one")
                                .arg(seen.name, name));
            }
        }
        BundleFile bf;
        bf.name = name;
        bf.path = info.absoluteFilePath();
        bf.size = info.size();
        bf.lastModified = info.lastModified().toUTC();
        const qint64 mtime = bf.lastModified.toMSecsSinceEpoch();
        if (cache) {
            if (auto hit = cache->lookup(bf.path, bf.size, mtime))
                bf.sha256 = *hit;
        }
        if (bf.sha256.isEmpty()) {
            auto digest = sha256OfFile(bf.path);
            if (!digest)
                return std::unexpected(digest.error());
            // A file rewritten while we hashed it would give a digest of neither version.
            QFileInfo after(bf.path);
            after.refresh();
            if (after.size() != bf.size
                || after.lastModified().toUTC().toMSecsSinceEpoch() != mtime) {
                return fail(ErrorCode::Busy,
                            QStringLiteral("bundle file %1 changed while it was being hashed: "
                                           "wait for the build to finish and rescan")
                                .arg(QDir::toNativeSeparators(bf.path)));
            }
            bf.sha256 = *digest;
            if (cache)
                cache->insert(bf.path, bf.size, mtime, bf.sha256);
        }
        manifestEntries.append(ManifestEntry{bf.name, bf.size, bf.sha256});
        snap.files.append(std::move(bf));
    }
    snap.manifest = Manifest(snap.version, std::move(manifestEntries));
    qCInfo(lcBundle).noquote() << "bundle" << snap.version << "at" << snap.directory << "with"
                               << snap.files.size() << "files, digest"
                               << QString::fromLatin1(snap.manifest.digest().left(12));
    return snap;
}

QFuture<Result<BundleSnapshot>> AgentBundle::scanAsync(const QString &directory,
                                                       std::shared_ptr<HashCache> cache,
                                                       QThreadPool *pool)
{
    auto job = [directory, cache] {
        return scan(directory, cache.get());
    };
    return pool ? QtConcurrent::run(pool, job) : QtConcurrent::run(job);
}

QString AgentBundle::defaultDirectory()
{
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates{
        appDir + QStringLiteral("/../share/aetherv/agent"),
        appDir + QStringLiteral("/agent-bundle"),
        appDir + QStringLiteral("/../agent-bundle"),
        appDir + QStringLiteral("/../../agent-bundle"),
    };
    for (const QString &c : candidates) {
        if (QFileInfo(c + QStringLiteral("/version")).isFile())
            return QDir::cleanPath(c);
    }
    return QDir::cleanPath(candidates.first());
}

} // namespace aetherv::artifacts
