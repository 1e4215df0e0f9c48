#include "hostfaults.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

bool HostFaults::denies(const QString &user) const
{
    if (denyAll)
        return true;
    const QString bare = user.contains(u'\\') ? user.section(u'\\', 1) : user.section(u'@', 0, 0);
    for (const QString &denied : denyUsers)
        if (denied.compare(user, Qt::CaseInsensitive) == 0
            || denied.compare(bare, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

namespace {

Result<HostFaults> parseHost(const QString &name, const QJsonObject &o)
{
    static const QStringList known
        = {u"latencyMs"_s, u"failNext"_s,          u"dropReceive"_s,    u"expireContext"_s,
           u"hang"_s,      u"rejectCredentials"_s, u"diskQuotaBytes"_s, u"accessDenied"_s};
    for (const QString &key : o.keys())
        if (!known.contains(key))
            return fail(ErrorCode::InvalidInput,
                        u"Unknown fault '%1' for host %2; known: %3."_s.arg(key, name,
                                                                            known.join(u", "_s)));
    HostFaults f;
    f.latencyMs = o.value(u"latencyMs"_s).toInt(0);
    const QJsonValue failNext = o.value(u"failNext"_s);
    if (failNext.isObject()) {
        f.failNextCount = failNext[u"count"_s].toInt(1);
        f.failStatus = failNext[u"status"_s].toInt(503);
    } else if (failNext.isDouble()) {
        f.failNextCount = failNext.toInt();
    }
    if (f.failStatus != 500 && f.failStatus != 503)
        return fail(ErrorCode::InvalidInput,
                    u"failNext.status must be 500 or 503 (host %1)."_s.arg(name));
    f.dropReceiveCount = o.value(u"dropReceive"_s).toInt(0);
    f.expireContext = o.value(u"expireContext"_s).toBool(false);
    f.hang = o.value(u"hang"_s).toBool(false);
    f.rejectCredentials = o.value(u"rejectCredentials"_s).toBool(false);
    f.diskQuotaBytes = o.value(u"diskQuotaBytes"_s).toInteger(0);
    const QJsonValue denied = o.value(u"accessDenied"_s);
    if (denied.isBool())
        f.denyAll = denied.toBool();
    else
        for (const QJsonValue &v : denied.toArray())
            f.denyUsers << v.toString();
    if (f.latencyMs < 0 || f.failNextCount < 0 || f.dropReceiveCount < 0 || f.diskQuotaBytes < 0)
        return fail(ErrorCode::InvalidInput,
                    u"Fault values must not be negative (host %1)."_s.arg(name));
    return f;
}

} // namespace

Result<FaultsFile> FaultsFile::parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::InvalidInput, u"The faults file is not a JSON object."_s,
                    error.errorString());
    FaultsFile file;
    const QJsonObject hosts = doc.object().value(u"hosts"_s).toObject();
    for (auto it = hosts.begin(); it != hosts.end(); ++it) {
        auto faults = parseHost(it.key(), it.value().toObject());
        if (!faults)
            return std::unexpected(faults.error());
        file.m_hosts.insert(it.key().toUpper(), *faults);
    }
    return file;
}

Result<FaultsFile> FaultsFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, u"Cannot read the faults file."_s, path);
    return parse(file.readAll());
}

HostFaults FaultsFile::forHost(const QString &host) const
{
    return m_hosts.value(host.toUpper(), m_hosts.value(u"*"_s));
}

} // namespace aetherv::hostsim
