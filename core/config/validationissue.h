#pragma once

#include <QList>
#include <QString>

namespace aetherv::config {

// One finding of Profile::validate() or validateProfiles(). An error blocks a rollout; a warning
// is shown to the operator and does not block.
struct ValidationIssue
{
    enum class Severity { Error, Warning };

    Severity severity = Severity::Error;
    QString field;   // JSON path of the setting, e.g. "installDirectory", "hosts[2]", "winrm.port"
    QString message; // what is wrong and what to do about it
    QString profileId; // the profile the issue belongs to (filled by validate())

    bool isError() const { return severity == Severity::Error; }
    friend bool operator==(const ValidationIssue &, const ValidationIssue &) = default;
};

inline bool hasErrors(const QList<ValidationIssue> &issues)
{
    for (const ValidationIssue &issue : issues) {
        if (issue.isError())
            return true;
    }
    return false;
}

} // namespace aetherv::config
