#pragma once

#include <QByteArray>

// RFC 5929 "tls-server-end-point" channel bindings and the gss_channel_bindings encoding that
// NTLM (MsvAvChannelBindings = MD5 of it) and Kerberos authenticators carry.
namespace aetherv::winrm::channelbindings {

// "tls-server-end-point:" || H(certificate DER), H chosen from the certificate's signature
// algorithm: SHA-384/512 when it uses them, SHA-256 for MD5, SHA-1, SHA-256 and anything unknown.
QByteArray tlsServerEndPoint(const QByteArray &certificateDer);

// The flat gss_channel_bindings_struct: five little-endian uint32 (initiator addrtype and length,
// acceptor addrtype and length, application data length, all addresses empty) and the data.
QByteArray gssStruct(const QByteArray &applicationData);

// The 16 bytes of MsvAvChannelBindings: MD5(gssStruct(data)), or zeros without bindings.
QByteArray ntlmHash(const QByteArray &applicationData);

} // namespace aetherv::winrm::channelbindings
