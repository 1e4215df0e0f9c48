#pragma once

#include <QByteArray>
#include <QString>

namespace aetherv::version {

// What the host holds, as read by one remote call.
struct HostVersionInfo
{
    bool reachable = true;
    bool versionFileExists = false;
    QString versionText;        // normalised (see normaliseVersionText)
    QByteArray manifestDigest;  // digest of the deployed manifest.json; empty when none
    bool legacyInstall = false; // old installers' scriptsversion/isosversion, no version file
};

struct BundleVersionInfo
{
    QString versionText;
    QByteArray digest;
};

enum class Outcome {
    BundleInvalid, // the console's own bundle version is not a version: never deploy
    Missing,       // no version file on the host
    Legacy,        // legacy installers' files, no version file
    Blank,         // version file present but blank
    Default,       // 0.0.0
    Unparsable,    // text that is not a version
    Outdated,      // host older than the bundle
    Unverified,    // same version, host has no deployed manifest to compare
    Drifted,       // same version, different manifest digest
    Current,       // same version, same digest
    Ahead,         // host newer than the bundle: no downgrade
    Forced,        // redeploy because the operator forced it
};

struct Assessment
{
    Outcome outcome = Outcome::BundleInvalid;
    bool deploy = false;
    QString reason; // one human sentence per outcome
};

// Decides whether a host needs the bundle. Table-driven: each outcome has exactly one row with
// its decision and its reason (see assessment.cpp). `force` turns Current/Ahead/Drifted into a
// deployment but never BundleInvalid.
Assessment assess(const HostVersionInfo &host, const BundleVersionInfo &bundle, bool force = false);

QString outcomeName(Outcome outcome);

} // namespace aetherv::version
