#pragma once

#include <QString>

// Namespace and URI constants of WS-Management / MS-WSMV shells. Replies are parsed by these
// URIs, never by prefix.
namespace aetherv::winrm::ns {

inline const QString soap = QStringLiteral("http://www.w3.org/2003/05/soap-envelope");
inline const QString addressing
    = QStringLiteral("http://schemas.xmlsoap.org/ws/2004/08/addressing");
inline const QString wsman = QStringLiteral("http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd");
inline const QString msWsman
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd");
inline const QString shell
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell");
inline const QString transfer = QStringLiteral("http://schemas.xmlsoap.org/ws/2004/09/transfer");
inline const QString wsmanFault
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/wsmanfault");
inline const QString xml = QStringLiteral("http://www.w3.org/XML/1998/namespace");

inline const QString anonymous
    = QStringLiteral("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
inline const QString cmdResource
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd");

namespace action {
inline const QString create
    = QStringLiteral("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create");
inline const QString del = QStringLiteral("http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete");
inline const QString command
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command");
inline const QString send
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send");
inline const QString receive
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive");
inline const QString signal
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal");
} // namespace action

namespace signal {
inline const QString terminate
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate");
inline const QString ctrlC
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c");
} // namespace signal

inline const QString commandStateDone
    = QStringLiteral("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done");

// WS-Man fault codes the client acts on (MS-WSMV 2.2.4.x / winerror.h).
namespace faultcode {
inline constexpr quint32 operationTimedOut = 2150858793u; // 0x80338029: poll again
inline constexpr quint32 invalidSelectors = 2150858843u;  // 0x8033805B: shell/command gone
inline constexpr quint32 operationAborted = 995u;
inline constexpr quint32 shellQuota = 2150859173u;   // 0x803381A5
inline constexpr quint32 commandQuota = 2150859174u; // 0x803381A6
inline constexpr quint32 envelopeTooLarge = 2150858790u;
inline constexpr quint32 maxEnvelopeSize = 2150858823u;
inline constexpr quint32 maxEnvelopeSizeExceeded = 2150858824u;
inline constexpr quint32 accessDenied = 5u;
} // namespace faultcode

} // namespace aetherv::winrm::ns
