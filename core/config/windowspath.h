#pragma once

#include "core/config/validationissue.h"

#include <QList>
#include <QString>

namespace aetherv::config {

// The Windows path limit (MAX_PATH, including the terminating NUL) and the room left for the
// longest bundle file name appended to the install directory.
inline constexpr int kWindowsMaxPath = 260;
inline constexpr int kBundleFileNameReserve = 40;

// Checks a host-side install directory. Valid: an absolute drive path "X:\folder\..." or a UNC
// path "\\server\share\folder\...", optionally with one trailing backslash. Spaces, parentheses,
// quotes other than '"', '$', ';', '&', and letters of any script are valid Windows path characters
// and pass. Errors: empty, relative, drive-relative ("C:folder"), rooted without drive ("\folder"),
// forward slashes, "\\?\" and "\\.\" prefixes, a drive or share root, a system folder itself,
// empty or "."/".." components, the characters <>:"|?* (except the drive colon) and control
// characters, components ending in '.' or ' ', reserved device names (CON, NUL, COM1, ...) and
// components over 255 characters. Warning: the path is within kBundleFileNameReserve characters of
// kWindowsMaxPath. Every issue carries `field`.
QList<ValidationIssue> checkInstallDirectory(const QString &path, const QString &field);

// The form two Windows paths are compared in: '/' read as '\', repeated separators collapsed
// (a leading "\\" of a UNC path kept), a trailing separator removed (except after "X:"), case
// folded (NTFS and SMB compare names case-insensitively).
QString normalizedWindowsPath(QStringView path);

// True when `inner` is `outer` or lies inside it (both compared normalised).
bool isSameOrInsideWindowsPath(QStringView inner, QStringView outer);

} // namespace aetherv::config
