#include "core/deploy/agentstate.h"

#include "core/version/versiontext.h"

namespace aetherv::deploy {

Result<AgentState> parseAgentState(const QJsonObject &result)
{
    if (result.value(QStringLiteral("outcome")).toString() != u"ok") {
        return fail(ErrorCode::Protocol,
                    QStringLiteral("reading the host's agent state failed: %1")
                        .arg(result.value(QStringLiteral("error"))
                                 .toString(QStringLiteral("no reason given"))));
    }
    AgentState s;
    s.installDirectoryExists = result.value(QStringLiteral("installDirectoryExists")).toBool();
    const QJsonObject v = result.value(QStringLiteral("version")).toObject();
    s.version.versionFileExists = v.value(QStringLiteral("exists")).toBool();
    if (s.version.versionFileExists) {
        const QByteArray raw
            = QByteArray::fromBase64(v.value(QStringLiteral("base64")).toString().toLatin1(),
                                     QByteArray::AbortOnBase64DecodingErrors);
        s.version.versionText = version::normaliseVersionText(raw);
    }
    const QJsonObject m = result.value(QStringLiteral("manifest")).toObject();
    if (m.value(QStringLiteral("exists")).toBool() && m.value(QStringLiteral("valid")).toBool(true))
        s.version.manifestDigest = m.value(QStringLiteral("digest")).toString().toLatin1();
    const QJsonObject legacy = result.value(QStringLiteral("legacy")).toObject();
    s.legacyScriptsVersion = legacy.value(QStringLiteral("scriptsversion")).toString().trimmed();
    s.legacyIsosVersion = legacy.value(QStringLiteral("isosversion")).toString().trimmed();
    s.version.legacyInstall
        = !s.version.versionFileExists
          && (!s.legacyScriptsVersion.isEmpty() || !s.legacyIsosVersion.isEmpty());
    const QJsonObject lock = result.value(QStringLiteral("lock")).toObject();
    s.lockOwner = lock.value(QStringLiteral("owner")).toString();
    s.lockExpiresUtc = lock.value(QStringLiteral("expiresUtc")).toString();
    s.lockExpired = lock.value(QStringLiteral("expired")).toBool();
    s.computerName = result.value(QStringLiteral("computerName")).toString();
    return s;
}

} // namespace aetherv::deploy
