// multipart/encrypted bodies (MS-WSMV 2.2.9.1) as an HTTP peer sends them. The input is the
// Content-Type header, a newline, then the body. Each body is parsed and then decrypted by a
// session keyed like the MS-NLMP 4.2.4 vector, so valid seeds reach the NTLM unseal path.
#include "fuzz/fuzzcheck.h"

#include "core/winrm/auth/ntlmsession.h"
#include "core/winrm/messageencryption.h"

#include <cstddef>
#include <cstdint>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {

// The receiving side of a completed NTLM handshake (random session key 0x55.., flags of 4.2.4).
class ServerSession final : public SecurityContext
{
public:
    ServerSession()
        : m_session(QByteArray(16, '\x55'), 0xe28a8233, ntlm::NtlmSession::Role::Server)
    {}
    QString mechanismName() const override { return QStringLiteral("NTLM"); }
    QByteArray httpScheme() const override { return QByteArrayLiteral("Negotiate"); }
    Result<QByteArray> step(const QByteArray &) override { return QByteArray(); }
    bool isComplete() const override { return true; }
    Result<WrappedMessage> wrap(const QByteArray &p) override { return m_session.seal(p); }
    Result<QByteArray> unwrap(const QByteArray &header, const QByteArray &data) override
    {
        return m_session.unseal(header, data);
    }

private:
    ntlm::NtlmSession m_session;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const qsizetype eol = input.indexOf('\n');
    const QByteArray contentType = eol < 0 ? QByteArray() : input.first(eol);
    const QByteArray body = eol < 0 ? input : input.sliced(eol + 1);

    (void)messageencryption::isEncryptedContentType(contentType);
    const auto parts = messageencryption::parse(body, contentType);
    if (parts) {
        FUZZ_CHECK(!parts->isEmpty());
        qsizetype total = 0;
        for (const auto &part : *parts) {
            FUZZ_CHECK(part.originalLength >= 0);
            total += part.header.size() + part.data.size();
        }
        FUZZ_CHECK(total <= body.size());
    } else {
        FUZZ_CHECK(parts.error().code == ErrorCode::Protocol);
    }

    ServerSession session;
    const auto plain = messageencryption::decrypt(session, body, contentType);
    if (plain) {
        FUZZ_CHECK(parts.has_value());
        FUZZ_CHECK(plain->size() <= body.size());
    }
    return 0;
}
