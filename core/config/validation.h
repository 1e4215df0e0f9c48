#pragma once

#include "core/config/profile.h"
#include "core/config/validationissue.h"

#include <QList>

namespace aetherv::config {

// Checks a set of profiles together (each profile's own rules come from Profile::validate()):
// - two profiles with the same id: error (ids key the keychain and the settings groups);
// - two profiles with the same name: warning (the operator could not tell them apart);
// - two profiles that share a host and use the same install directory (case-insensitive,
//   '/' and '\' alike, trailing separator ignored): warning naming both profiles and the host,
//   since the environments would overwrite each other's bundle and version file;
// - two profiles that share a host and one install directory lies inside the other: warning.
QList<ValidationIssue> validateProfiles(const QList<Profile> &profiles);

} // namespace aetherv::config
