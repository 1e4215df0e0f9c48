#pragma once

#include "core/common/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace aetherv::hostsim {

// Faults injected into one simulated host (see docs/hostsim.md for the file format). Counters
// are consumed as requests arrive; reloading the faults file resets them.
struct HostFaults
{
    int latencyMs = 0;     // added before every answer
    int failNextCount = 0; // answer the next K requests with failStatus
    int failStatus = 503;
    int dropReceiveCount = 0;   // cut the connection in the middle of the next K Receive replies
    bool expireContext = false; // the next request on an authenticated connection gets 401
    bool hang = false;          // accept requests, never answer
    bool rejectCredentials = false; // every authentication attempt fails with 401
    qint64 diskQuotaBytes = -1; // writes taking the host's C: tree beyond this fail; -1: no quota
    bool denyAll = false;       // authenticated users get the access-denied fault
    QStringList denyUsers;      // same, for these users only (user or DOMAIN\user)

    bool denies(const QString &user) const;
    // "hang, latencyMs=20" for the log; empty when no fault is set.
    QString summary() const;
};

// The whole faults file: per host name (case-insensitive), "*" for every host.
class FaultsFile
{
public:
    static Result<FaultsFile> load(const QString &path);
    static Result<FaultsFile> parse(const QByteArray &json);
    HostFaults forHost(const QString &host) const;

private:
    QHash<QString, HostFaults> m_hosts; // upper-case name or "*"
};

} // namespace aetherv::hostsim
