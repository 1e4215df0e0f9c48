#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace aetherv::version {

// A version as written in a version file: numeric dotted components (any count; "2.5.000" equals
// "2.5.0" and "2.5"), an optional leading 'v', an optional SemVer 2.0 pre-release ("-rc.1") and
// build metadata ("+sha.abc", ignored for ordering).
class Version
{
public:
    static std::optional<Version> parse(QStringView text);

    // <0, 0, >0 by SemVer 2.0 precedence (missing numeric components count as 0).
    int compare(const Version &other) const;
    bool isZero() const; // 0.0.0 and friends: the "never deployed" default
    bool isPrerelease() const { return !m_prerelease.isEmpty(); }
    QString toString() const { return m_text; }

    friend bool operator==(const Version &a, const Version &b) { return a.compare(b) == 0; }
    friend bool operator<(const Version &a, const Version &b) { return a.compare(b) < 0; }

private:
    QList<quint64> m_numbers;
    QStringList m_prerelease;
    QString m_build;
    QString m_text;
};

} // namespace aetherv::version
