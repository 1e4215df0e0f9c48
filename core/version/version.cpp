#include "core/version/version.h"

namespace aetherv::version {

namespace {

bool isAsciiDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

bool isIdentifier(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        const bool ok = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z')
                        || (c >= u'A' && c <= u'Z') || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

int compareIdentifiers(const QString &a, const QString &b)
{
    const bool an = isAsciiDigits(a), bn = isAsciiDigits(b);
    if (an && bn) {
        // Compare numerically without overflow: strip leading zeros, then length, then text.
        QStringView x = a, y = b;
        while (x.size() > 1 && x.front() == u'0')
            x = x.sliced(1);
        while (y.size() > 1 && y.front() == u'0')
            y = y.sliced(1);
        if (x.size() != y.size())
            return x.size() < y.size() ? -1 : 1;
        return x.compare(y);
    }
    if (an != bn)
        return an ? -1 : 1; // numeric identifiers have lower precedence
    return a.compare(b);    // ASCII order
}

} // namespace

std::optional<Version> Version::parse(QStringView text)
{
    text = text.trimmed();
    Version v;
    v.m_text = text.toString();
    if (text.startsWith(u'v') || text.startsWith(u'V'))
        text = text.sliced(1);
    if (text.isEmpty())
        return std::nullopt;

    const qsizetype plus = text.indexOf(u'+');
    if (plus >= 0) {
        const QStringView build = text.sliced(plus + 1);
        for (QStringView part : build.split(u'.')) {
            if (!isIdentifier(part))
                return std::nullopt;
        }
        v.m_build = build.toString();
        text = text.first(plus);
    }
    const qsizetype dash = text.indexOf(u'-');
    if (dash >= 0) {
        const QStringView pre = text.sliced(dash + 1);
        for (QStringView part : pre.split(u'.')) {
            if (!isIdentifier(part))
                return std::nullopt;
            v.m_prerelease.append(part.toString());
        }
        text = text.first(dash);
    }
    for (QStringView part : text.split(u'.')) {
        if (!isAsciiDigits(part) || part.size() > 20)
            return std::nullopt;
        bool ok = false;
        const quint64 n = part.toULongLong(&ok);
        if (!ok)
            return std::nullopt;
        v.m_numbers.append(n);
    }
    return v;
}

int Version::compare(const Version &other) const
{
    const qsizetype n = std::max(m_numbers.size(), other.m_numbers.size());
    for (qsizetype i = 0; i < n; ++i) {
        const quint64 a = i < m_numbers.size() ? m_numbers[i] : 0;
        const quint64 b = i < other.m_numbers.size() ? other.m_numbers[i] : 0;
        if (a != b)
            return a < b ? -1 : 1;
    }
    // A pre-release sorts before the release it precedes.
    if (m_prerelease.isEmpty() != other.m_prerelease.isEmpty())
        return m_prerelease.isEmpty() ? 1 : -1;
    const qsizetype m = std::min(m_prerelease.size(), other.m_prerelease.size());
    for (qsizetype i = 0; i < m; ++i) {
        const int c = compareIdentifiers(m_prerelease[i], other.m_prerelease[i]);
        if (c != 0)
            return c < 0 ? -1 : 1;
    }
    if (m_prerelease.size() != other.m_prerelease.size())
        return m_prerelease.size() < other.m_prerelease.size() ? -1 : 1;
    return 0;
}

bool Version::isZero() const
{
    if (!m_prerelease.isEmpty())
        return false;
    for (quint64 n : m_numbers) {
        if (n != 0)
            return false;
    }
    return true;
}

} // namespace aetherv::version
