#pragma once

#include "core/config/profile.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace aetherv::ui {

// Reads a host list as operators paste it: one host per line ("hv01", "hv02:5986",
// "[2001:db8::7]:5986"), several per line separated by blanks, or CSV (',', ';' or tab; quoted
// fields; a header row (anywhere) naming the host column — host, hostname, address, name,
// computername, fqdn — and optionally a port column). '#' starts a comment. Duplicates
// (case-insensitive) are dropped and counted; every unusable entry is reported with its line.
struct HostListParse
{
    QList<config::HostEntry> hosts;
    QStringList errors; // "line 3: ..."
    int duplicates = 0;

    bool ok() const { return errors.isEmpty(); }
};

HostListParse parseHostList(const QString &text);

// One host per line, the inverse of parseHostList for a clean list.
QString formatHostList(const QList<config::HostEntry> &hosts);

} // namespace aetherv::ui
