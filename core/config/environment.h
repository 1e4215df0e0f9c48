#pragma once

#include <QList>
#include <QString>

namespace aetherv::config {

// One environment variable Profile::applyEnvironment() reads, for help texts and the console's
// "effective settings" view.
struct EnvironmentVariable
{
    QString name;         // e.g. "WINRM_PORT"
    QString field;        // the profile field it sets, e.g. "winrm.port"
    QString expectedForm; // the accepted values in words
};

// Every variable applyEnvironment() reads, in the order it applies them. Rules common to all: the
// value is trimmed; an empty value counts as not set (the profile's value stays); a value that
// does not have the expected form is an error, never ignored.
QList<EnvironmentVariable> environmentVariables();

} // namespace aetherv::config
