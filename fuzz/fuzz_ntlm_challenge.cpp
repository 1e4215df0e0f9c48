// The NTLM CHALLENGE message (MS-NLMP 2.2.1.2) from the WWW-Authenticate header, and the AV pair
// list inside it, taken through the client's whole second leg: parse, AUTHENTICATE with MIC and
// channel bindings, then sealing with the negotiated keys.
#include "fuzz/fuzzcheck.h"

#include "core/winrm/auth/ntlmcontext.h"
#include "core/winrm/auth/ntlmmessages.h"

#include <cstddef>
#include <cstdint>

using namespace aetherv::winrm::ntlm;

namespace {

NtlmClientOptions clientOptions()
{
    // Fixed values so that every run of an input takes the same path.
    NtlmClientOptions o;
    o.user = QStringLiteral("fuzz-operator");
    o.domain = QStringLiteral("CORP");
    o.password = QStringLiteral("fuzz-password-not-secret");
    o.workstation = QStringLiteral("CONSOLE");
    o.targetSpn = QStringLiteral("HTTP/hv01.corp.example");
    o.clientChallenge = QByteArray(8, '\xaa');
    o.exportedSessionKey = QByteArray(16, '\x55');
    o.timestamp = QByteArray(8, '\0');
    return o;
}

void checkAvPairs(const QByteArray &info)
{
    const auto list = AvPairList::parse(info);
    if (!list)
        return;
    // Re-encoding what was read and reading it again gives the same pairs.
    const auto again = AvPairList::parse(list->encode());
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->pairs().size() == list->pairs().size());
    for (qsizetype i = 0; i < list->pairs().size(); ++i) {
        FUZZ_CHECK(again->pairs()[i].id == list->pairs()[i].id);
        FUZZ_CHECK(again->pairs()[i].value == list->pairs()[i].value);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray token(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    const auto challenge = ChallengeMessage::parse(token);
    if (challenge) {
        FUZZ_CHECK(challenge->serverChallenge.size() == 8);
        FUZZ_CHECK(challenge->targetInfo.size() <= token.size());
        FUZZ_CHECK(challenge->raw == token);
        checkAvPairs(challenge->targetInfo);
    }
    checkAvPairs(token);

    NtlmContext context(clientOptions());
    const auto negotiate = context.step({});
    FUZZ_CHECK(negotiate.has_value());
    const auto authenticate = context.step(token);
    if (!authenticate) {
        FUZZ_CHECK(!context.isComplete());
        FUZZ_CHECK(!authenticate.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(challenge.has_value());
    FUZZ_CHECK(context.isComplete());
    FUZZ_CHECK(authenticate->size() > micOffset + 16);
    // The negotiated session must seal and sign whatever the challenge's flags said.
    const auto wrapped = context.wrap(QByteArrayLiteral("<s:Envelope/>"));
    FUZZ_CHECK(wrapped.has_value());
    FUZZ_CHECK(wrapped->header.size() == 16);
    return 0;
}
