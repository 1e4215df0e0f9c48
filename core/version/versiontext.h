#pragma once

#include <QByteArrayView>
#include <QString>

namespace aetherv::version {

// Turns the raw bytes of a version file into the version text: detects UTF-8 / UTF-16 LE / BE
// with or without a byte order mark, drops NULs and stray BOM characters, and returns the first
// non-blank line, trimmed. Returns an empty string when there is no such line.
QString normaliseVersionText(QByteArrayView raw);

} // namespace aetherv::version
