// The JSON-lines stdout of the remote PowerShell scripts, in the chunks the WinRM Receive loop
// delivers. The first input byte sets the chunk size, the rest is the stream.
#include "fuzz/fuzzcheck.h"

#include "core/deploy/remotescriptexecutor.h"

#include <cstddef>
#include <cstdint>

using namespace aetherv;
using namespace aetherv::deploy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype chunk = 1 + data[0];
    const QByteArrayView stream(data + 1, static_cast<qsizetype>(size - 1));

    qsizetype progressEvents = 0;
    ScriptOutputParser parser(
        QStringLiteral("Deploy-AgentBundle.ps1"), [&](const QJsonObject &event) {
            FUZZ_CHECK(event.value(QStringLiteral("event")).toString() == u"progress");
            ++progressEvents;
        });
    for (qsizetype at = 0; at < stream.size(); at += chunk)
        parser.feed(stream.sliced(at, std::min(chunk, stream.size() - at)));
    const auto result
        = parser.finish(1, QString::fromUtf8(stream.first(std::min<qsizetype>(stream.size(), 64))));
    FUZZ_CHECK(progressEvents <= stream.count('\n') + 1);
    if (result) {
        FUZZ_CHECK(result->value(QStringLiteral("event")).toString() == u"result");
    } else {
        FUZZ_CHECK(result.error().code == ErrorCode::Protocol);
        FUZZ_CHECK(result.error().message.contains(u"Deploy-AgentBundle.ps1"));
    }
    return 0;
}
