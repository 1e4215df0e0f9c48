#include "clicommand.h"

#include "core/artifacts/agentbundle.h"
#include "core/artifacts/manifest.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

namespace aetherv::cli {

using namespace aetherv::artifacts;

namespace {

// Copies `from` to `to` through a temporary name, checking the copy's SHA-256, so a web server
// never serves a half-written file under the final name.
Result<bool> publishFile(const BundleFile &file, const QString &to)
{
    QFile in(file.path);
    if (!in.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1").arg(file.path),
                    in.errorString());
    QSaveFile out(to);
    if (!out.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot write %1: check the folder's permissions").arg(to),
                    out.errorString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    qint64 n;
    while ((n = in.read(buffer.data(), buffer.size())) > 0) {
        hash.addData(QByteArrayView(buffer.constData(), n));
        if (out.write(buffer.constData(), n) != n)
            return fail(ErrorCode::Io, QStringLiteral("writing %1 failed").arg(to),
                        out.errorString());
    }
    if (n < 0)
        return fail(ErrorCode::Io, QStringLiteral("reading %1 failed").arg(file.path),
                    in.errorString());
    if (hash.result().toHex() != file.sha256) {
        return fail(ErrorCode::Integrity,
                    QStringLiteral("%1 changed while it was published: rebuild the bundle and "
                                   "publish again")
                        .arg(file.name));
    }
    if (!out.commit())
        return fail(ErrorCode::Io, QStringLiteral("cannot finish %1").arg(to), out.errorString());
    return true;
}

} // namespace

int runPublish(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Writes the bundle and its manifest.json as a static folder any web server "
                       "(nginx, IIS, a CDN) can serve. Point AGENT_DOWNLOAD_BASE_URL at the URL "
                       "that serves this folder: before a rollout the console checks that the URL "
                       "serves exactly this bundle (manifest digest). Files appear under their "
                       "final names only when complete; manifest.json is written last; files of "
                       "the previously published bundle that the new one no longer has are "
                       "removed."));
    p.addHelpOption();
    p.addOption({QStringLiteral("to"), QStringLiteral("The folder to publish into."),
                 QStringLiteral("dir")});
    p.addOption(
        {QStringLiteral("bundle"), QStringLiteral("Agent bundle folder."), QStringLiteral("dir")});
    p.process(arguments);
    QTextStream out(stdout), err(stderr);
    if (!p.isSet(QStringLiteral("to"))) {
        err << "aetherv-deploy publish: --to DIR is required\n";
        return ExitUsage;
    }
    const QString bundleDir = p.isSet(QStringLiteral("bundle")) ? p.value(QStringLiteral("bundle"))
                                                                : AgentBundle::defaultDirectory();
    const auto snap = AgentBundle::scan(bundleDir);
    if (!snap) {
        err << "aetherv-deploy publish: " << snap.error().toString() << '\n';
        return ExitUsage;
    }
    const QDir target(p.value(QStringLiteral("to")));
    if (!QDir().mkpath(target.absolutePath())) {
        err << "aetherv-deploy publish: cannot create " << target.absolutePath() << '\n';
        return ExitUsage;
    }
    // What an earlier publish left there, so files the new bundle dropped can go.
    QStringList previous;
    {
        QFile old(target.filePath(QStringLiteral("manifest.json")));
        if (old.open(QIODevice::ReadOnly)) {
            if (const auto m = Manifest::fromJson(old.readAll())) {
                for (const ManifestEntry &e : m->files())
                    previous << e.name;
            }
        }
    }
    for (const BundleFile &f : snap->files) {
        const auto r = publishFile(f, target.filePath(f.name));
        if (!r) {
            err << "aetherv-deploy publish: " << r.error().toString() << '\n';
            return ExitSomeFailed;
        }
        out << "published " << f.name << " (" << f.size << " bytes)\n";
    }
    QSaveFile manifest(target.filePath(QStringLiteral("manifest.json")));
    if (!manifest.open(QIODevice::WriteOnly) || manifest.write(snap->manifest.toJson()) < 0
        || !manifest.commit()) {
        err << "aetherv-deploy publish: cannot write manifest.json: " << manifest.errorString()
            << '\n';
        return ExitSomeFailed;
    }
    for (const QString &name : std::as_const(previous)) {
        if (!snap->manifest.find(name) && QFile::remove(target.filePath(name)))
            out << "removed " << name << " (no longer in the bundle)\n";
    }
    out << "bundle " << snap->version << " published to " << target.absolutePath()
        << ", manifest digest " << snap->manifest.digest() << '\n';
    return ExitOk;
}

} // namespace aetherv::cli
