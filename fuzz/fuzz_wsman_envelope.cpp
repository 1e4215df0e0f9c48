// WS-Management replies (MS-WSMV) as a host, or anything pretending to be one, sends them.
#include "fuzz/fuzzcheck.h"

#include "core/winrm/wsmanenvelope.h"

#include <cstddef>
#include <cstdint>

using aetherv::winrm::WsmanEnvelope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray xml(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto reply = WsmanEnvelope::parse(xml);
    if (!reply) {
        FUZZ_CHECK(!reply.error().message.isEmpty());
        return 0;
    }
    // What the shell layer reads from a reply must be usable whatever the host sent.
    for (const auto &chunk : reply->streams)
        FUZZ_CHECK(chunk.data.size() <= xml.size());
    if (reply->fault) {
        const QString text = reply->fault->text();
        (void)reply->fault->isOperationTimeout();
        (void)reply->fault->isShellGone();
        FUZZ_CHECK(text.size() <= 4 * xml.size() + 64);
    }
    return 0;
}
