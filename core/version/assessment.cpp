#include "core/version/assessment.h"

#include "core/version/version.h"

#include <QCoreApplication>

namespace aetherv::version {

namespace {

struct Row
{
    Outcome outcome;
    const char *name;
    bool deploy;
    const char *reason; // %1 host version, %2 bundle version
};

// One row per outcome: the whole policy in one place.
constexpr Row kTable[] = {
    {Outcome::BundleInvalid, "bundle-invalid", false,
     QT_TRANSLATE_NOOP("Assessment",
                       "the console's bundle version \"%2\" is not a version: fix the "
                       "bundle's version file; no host is changed")},
    {Outcome::Missing, "missing", true,
     QT_TRANSLATE_NOOP("Assessment", "no version file on the host: first deployment of %2")},
    {Outcome::Legacy, "legacy", true,
     QT_TRANSLATE_NOOP("Assessment", "legacy install (old installers' version files): replacing it "
                                     "with bundle %2")},
    {Outcome::Blank, "blank", true,
     QT_TRANSLATE_NOOP("Assessment", "the host's version file is empty: deploying %2")},
    {Outcome::Default, "default", true,
     QT_TRANSLATE_NOOP("Assessment", "the host reports the default version %1: deploying %2")},
    {Outcome::Unparsable, "unparsable", true,
     QT_TRANSLATE_NOOP("Assessment", "the host's version \"%1\" is not a version: deploying %2")},
    {Outcome::Outdated, "outdated", true,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1, older than bundle %2")},
    {Outcome::Unverified, "unverified", true,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1 but has no deployed manifest, so its files "
                                     "cannot be verified: redeploying")},
    {Outcome::Drifted, "drifted", true,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1 but its files differ from the bundle (manifest "
                                     "digest mismatch): redeploying")},
    {Outcome::Current, "current", false,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1, the same as the bundle")},
    {Outcome::Ahead, "ahead", false,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1, newer than bundle %2: not downgrading (force a "
                                     "redeploy to replace it)")},
    {Outcome::Forced, "forced", true,
     QT_TRANSLATE_NOOP("Assessment", "host runs %1; redeploying %2 because it was forced")},
};

const Row &row(Outcome o)
{
    for (const Row &r : kTable) {
        if (r.outcome == o)
            return r;
    }
    return kTable[0];
}

Outcome classify(const HostVersionInfo &host, const BundleVersionInfo &bundle)
{
    const auto bundleVersion = Version::parse(bundle.versionText);
    if (!bundleVersion || bundleVersion->isZero())
        return Outcome::BundleInvalid;
    if (!host.versionFileExists)
        return host.legacyInstall ? Outcome::Legacy : Outcome::Missing;
    if (host.versionText.trimmed().isEmpty())
        return Outcome::Blank;
    const auto hostVersion = Version::parse(host.versionText);
    if (!hostVersion)
        return Outcome::Unparsable;
    if (hostVersion->isZero())
        return Outcome::Default;
    const int c = hostVersion->compare(*bundleVersion);
    if (c < 0)
        return Outcome::Outdated;
    if (c > 0)
        return Outcome::Ahead;
    if (host.manifestDigest.isEmpty())
        return Outcome::Unverified;
    if (host.manifestDigest != bundle.digest)
        return Outcome::Drifted;
    return Outcome::Current;
}

// Fills %1 (host) and %2 (bundle) in one pass, so text taken from a host never becomes a
// placeholder itself and a reason may use either placeholder alone.
QString fill(const QString &pattern, const QString &host, const QString &bundle)
{
    QString out;
    out.reserve(pattern.size() + host.size() + bundle.size());
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == u'%' && i + 1 < pattern.size()
            && (pattern[i + 1] == u'1' || pattern[i + 1] == u'2')) {
            out += pattern[i + 1] == u'1' ? host : bundle;
            ++i;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

} // namespace

Assessment assess(const HostVersionInfo &host, const BundleVersionInfo &bundle, bool force)
{
    Outcome o = classify(host, bundle);
    if (force && (o == Outcome::Current || o == Outcome::Ahead))
        o = Outcome::Forced;
    const Row &r = row(o);
    Assessment a;
    a.outcome = o;
    a.deploy = r.deploy;
    a.reason = fill(QCoreApplication::translate("Assessment", r.reason), host.versionText.left(64),
                    bundle.versionText.left(64));
    return a;
}

QString outcomeName(Outcome outcome)
{
    return QString::fromLatin1(row(outcome).name);
}

} // namespace aetherv::version
