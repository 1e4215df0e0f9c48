#pragma once

#include "core/artifacts/agentbundle.h"

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>

#include <functional>

namespace aetherv::e2e {

// A set of files by path relative to a folder ("version", ".staging-x/new/a.iso"), with bytes.
using FileSet = QMap<QString, QByteArray>;

// Every regular file under `dir`, recursively, hidden ones included. Empty when `dir` is missing.
FileSet readTree(const QString &dir);
// Modification times of the same files (to prove a host was not written to).
QMap<QString, QDateTime> readMtimes(const QString &dir);
// Writes `files` under `dir` (creating folders).
bool writeTree(const QString &dir, const FileSet &files);

// What a host's install directory holds after a complete deployment of `bundle`: every bundle
// file byte for byte, plus manifest.json exactly as the artifact server serves it. Nothing else.
FileSet expectedInstall(const artifacts::BundleSnapshot &bundle);

// An installed set of another version, consistent with itself (version file, manifest.json
// listing every file with its real size and SHA-256): the bundle's files with `version`, changed
// by `edit` before the manifest is computed.
FileSet installedSet(const artifacts::BundleSnapshot &bundle, const QString &version,
                     const std::function<void(FileSet &)> &edit = {});
// manifest.json for `files` (every entry except manifest.json itself) with `version`.
QByteArray manifestFor(const FileSet &files, const QString &version);

// "" when `actual` equals `expected`, else a readable list of the differences.
QString describeDifference(const FileSet &expected, const FileSet &actual);

// Every path (files and folders, relative) under `dir`.
QStringList listEntries(const QString &dir);

} // namespace aetherv::e2e
