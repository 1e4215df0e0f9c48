#pragma once

#include <cstdint>

// NTLM NEGOTIATE flags (MS-NLMP 2.2.2.5) and AV pair ids (2.2.2.1) used by the client.
namespace aetherv::winrm::ntlm {

namespace NegotiateFlag {
inline constexpr std::uint32_t Unicode = 0x00000001;
inline constexpr std::uint32_t Oem = 0x00000002;
inline constexpr std::uint32_t RequestTarget = 0x00000004;
inline constexpr std::uint32_t Sign = 0x00000010;
inline constexpr std::uint32_t Seal = 0x00000020;
inline constexpr std::uint32_t LmKey = 0x00000080;
inline constexpr std::uint32_t Ntlm = 0x00000200;
inline constexpr std::uint32_t AlwaysSign = 0x00008000;
inline constexpr std::uint32_t ExtendedSessionSecurity = 0x00080000;
inline constexpr std::uint32_t TargetInfo = 0x00800000;
inline constexpr std::uint32_t Version = 0x02000000;
inline constexpr std::uint32_t Key128 = 0x20000000;
inline constexpr std::uint32_t KeyExchange = 0x40000000;
inline constexpr std::uint32_t Key56 = 0x80000000;
} // namespace NegotiateFlag

// What this client asks for: Unicode, OEM, target, SIGN, SEAL, NTLM, ALWAYS_SIGN, ESS, VERSION,
// 128, KEY_EXCH, 56 (0xE2088237).
inline constexpr std::uint32_t clientNegotiateFlags
    = NegotiateFlag::Unicode | NegotiateFlag::Oem | NegotiateFlag::RequestTarget
      | NegotiateFlag::Sign | NegotiateFlag::Seal | NegotiateFlag::Ntlm | NegotiateFlag::AlwaysSign
      | NegotiateFlag::ExtendedSessionSecurity | NegotiateFlag::Version | NegotiateFlag::Key128
      | NegotiateFlag::KeyExchange | NegotiateFlag::Key56;

enum class AvId : std::uint16_t {
    Eol = 0,
    NbComputerName = 1,
    NbDomainName = 2,
    DnsComputerName = 3,
    DnsDomainName = 4,
    DnsTreeName = 5,
    Flags = 6,
    Timestamp = 7,
    SingleHost = 8,
    TargetName = 9,
    ChannelBindings = 10,
};

inline constexpr std::uint32_t avFlagMicPresent = 0x00000002;

} // namespace aetherv::winrm::ntlm
