#include "hostfiles.h"

#include "core/artifacts/manifest.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace aetherv::e2e {

using namespace Qt::StringLiterals;

namespace {

QDirIterator filesUnder(const QString &dir)
{
    return QDirIterator(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                        QDirIterator::Subdirectories);
}

} // namespace

FileSet readTree(const QString &dir)
{
    FileSet out;
    const QDir root(dir);
    for (auto it = filesUnder(dir); it.hasNext();) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            out.insert(root.relativeFilePath(path), f.readAll());
        else
            out.insert(root.relativeFilePath(path), QByteArray("<unreadable>"));
    }
    return out;
}

QMap<QString, QDateTime> readMtimes(const QString &dir)
{
    QMap<QString, QDateTime> out;
    const QDir root(dir);
    for (auto it = filesUnder(dir); it.hasNext();) {
        const QString path = it.next();
        out.insert(root.relativeFilePath(path), QFileInfo(path).lastModified());
    }
    return out;
}

bool writeTree(const QString &dir, const FileSet &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = dir + u'/' + it.key();
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return false;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(*it) != it->size())
            return false;
    }
    return true;
}

FileSet expectedInstall(const artifacts::BundleSnapshot &bundle)
{
    FileSet out;
    for (const artifacts::BundleFile &f : bundle.files) {
        QFile in(f.path);
        out.insert(f.name, in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray());
    }
    out.insert(u"manifest.json"_s, bundle.manifest.toJson());
    return out;
}

QByteArray manifestFor(const FileSet &files, const QString &version)
{
    QList<artifacts::ManifestEntry> entries;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        if (it.key() == u"manifest.json")
            continue;
        entries.append({it.key(), it->size(),
                        QCryptographicHash::hash(*it, QCryptographicHash::Sha256).toHex()});
    }
    return artifacts::Manifest(version, entries).toJson();
}

FileSet installedSet(const artifacts::BundleSnapshot &bundle, const QString &version,
                     const std::function<void(FileSet &)> &edit)
{
    FileSet out = expectedInstall(bundle);
    out.remove(u"manifest.json"_s);
    out.insert(u"version"_s, version.toUtf8() + '\n');
    if (edit)
        edit(out);
    out.insert(u"manifest.json"_s, manifestFor(out, version));
    return out;
}

QString describeDifference(const FileSet &expected, const FileSet &actual)
{
    QStringList lines;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const auto other = actual.constFind(it.key());
        if (other == actual.cend())
            lines << u"missing: "_s + it.key();
        else if (*other != *it)
            lines << u"differs: %1 (%2 bytes, expected %3)"_s.arg(it.key())
                         .arg(other->size())
                         .arg(it->size());
    }
    for (auto it = actual.cbegin(); it != actual.cend(); ++it) {
        if (!expected.contains(it.key()))
            lines << u"unexpected: "_s + it.key();
    }
    return lines.join(u"; "_s);
}

QStringList listEntries(const QString &dir)
{
    QStringList out;
    const QDir root(dir);
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << root.relativeFilePath(it.next());
    out.sort();
    return out;
}

} // namespace aetherv::e2e
