#pragma once

#include "core/common/result.h"

#include <QString>

namespace aetherv::config {

enum class HostAddressKind { DnsName, IPv4, IPv6 };

// Classifies a host address as written in a profile (no brackets, no port). A DNS name follows
// the label rules (1-63 letters, digits or '-' per label, no '-' at either end, at most 253
// characters, one trailing '.' allowed; international names are checked in their ACE form). An
// IPv4 literal is four decimal numbers 0-255 without leading zeros. An IPv6 literal is anything
// QHostAddress reads as IPv6, without a zone id. The error message says what is wrong.
Result<HostAddressKind> classifyHostAddress(QStringView address);

// The form two addresses are compared in: lower case, no trailing '.', IDN in ACE form, IPv6 in
// canonical text. Addresses that fail classifyHostAddress() are only lower-cased.
QString normalizedHostAddress(QStringView address);

// "localhost", "*.localhost", 127.0.0.0/8 and ::1.
bool isLoopbackHost(QStringView address);

// 0.0.0.0 and :: (bind-everything addresses that no client can connect to).
bool isUnspecifiedHost(QStringView address);

} // namespace aetherv::config
