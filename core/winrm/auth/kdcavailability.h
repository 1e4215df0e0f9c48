#pragma once

#include <QString>

#include <chrono>

// Process-wide memory of Kerberos realms whose KDC could not be found or reached. Negotiate
// tries Kerberos first on every new connection; where a realm has no reachable KDC (a workgroup,
// a lab without DNS for the realm, a resolver that never answers) each try costs a DNS or KDC
// timeout before the fallback to NTLM, and across a fleet every host would pay it again. After
// one such failure Negotiate goes straight to NTLM for that realm until the memory expires, so a
// KDC that comes back is used again within minutes. Kerberos-only sessions never consult it:
// there the failure is the answer the operator needs to see.
namespace aetherv::winrm::kdcavailability {

using Clock = std::chrono::steady_clock;

// How long a realm stays remembered as unreachable.
inline constexpr std::chrono::minutes rememberFor{5};

// The realm a Kerberos login of `user` goes to: the part after '@' or the domain before '\',
// upper case; empty for a bare name (the default realm of krb5.conf).
QString realmOf(const QString &user);

void rememberUnreachable(const QString &realm, Clock::time_point now = Clock::now());
bool isKnownUnreachable(const QString &realm, Clock::time_point now = Clock::now());
// Forgets every realm (tests; an operator changing krb5.conf restarts the console anyway).
void forgetAll();

} // namespace aetherv::winrm::kdcavailability
