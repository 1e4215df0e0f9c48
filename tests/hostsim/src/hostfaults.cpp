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
    // A value of the wrong type would otherwise read as "off" and the fault would never fire.
    for (const QString &key : {u"expireContext"_s, u"hang"_s, u"rejectCredentials"_s})
        if (o.contains(key) && !o.value(key).isBool())
            return fail(ErrorCode::InvalidInput,
                        u"Fault '%1' for host %2 must be true or false."_s.arg(key, name));
    for (const QString &key : {u"latencyMs"_s, u"dropReceive"_s, u"diskQuotaBytes"_s})
        if (o.contains(key) && !o.value(key).isDouble())
            return fail(ErrorCode::InvalidInput,
                        u"Fault '%1' for host %2 must be a number."_s.arg(key, name));
    if (o.contains(u"failNext"_s) && !o.value(u"failNext"_s).isObject()
        && !o.value(u"failNext"_s).isDouble())
        return fail(
            ErrorCode::InvalidInput,
            u"Fault 'failNext' for host %1 must be a number or {count, status}."_s.arg(name));
    if (o.contains(u"accessDenied"_s) && !o.value(u"accessDenied"_s).isBool()
        && !o.value(u"accessDenied"_s).isArray())
        return fail(
            ErrorCode::InvalidInput,
            u"Fault 'accessDenied' for host %1 must be true, false or a list of users."_s.arg(
                name));
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
    f.diskQuotaBytes = o.value(u"diskQuotaBytes"_s).toInteger(-1);
    if (o.contains(u"diskQuotaBytes"_s) && f.diskQuotaBytes < 0)
        return fail(ErrorCode::InvalidInput,
                    u"Fault values must not be negative (host %1)."_s.arg(name));
    const QJsonValue denied = o.value(u"accessDenied"_s);
    if (denied.isBool())
        f.denyAll = denied.toBool();
    else
        for (const QJsonValue &v : denied.toArray())
            f.denyUsers << v.toString();
    if (f.latencyMs < 0 || f.failNextCount < 0 || f.dropReceiveCount < 0)
        return fail(ErrorCode::InvalidInput,
                    u"Fault values must not be negative (host %1)."_s.arg(name));
    return f;
}

} // namespace

QString HostFaults::summary() const
{
    QStringList parts;
    if (latencyMs > 0)
        parts << u"latencyMs=%1"_s.arg(latencyMs);
    if (failNextCount > 0)
        parts << u"failNext=%1x%2"_s.arg(failNextCount).arg(failStatus);
    if (dropReceiveCount > 0)
        parts << u"dropReceive=%1"_s.arg(dropReceiveCount);
    if (expireContext)
        parts << u"expireContext"_s;
    if (hang)
        parts << u"hang"_s;
    if (rejectCredentials)
        parts << u"rejectCredentials"_s;
    if (diskQuotaBytes >= 0)
        parts << u"diskQuotaBytes=%1"_s.arg(diskQuotaBytes);
    if (denyAll)
        parts << u"accessDenied"_s;
    else if (!denyUsers.isEmpty())
        parts << u"accessDenied=%1"_s.arg(denyUsers.join(u'|'));
    return parts.join(u", "_s);
}

Result<FaultsFile> FaultsFile::parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::InvalidInput, u"The faults file is not a JSON object."_s,
                    error.errorString());
    // A file without the "hosts" level ({"HV01":{...}}) must not load as "no faults at all".
    const QJsonObject top = doc.object();
    for (const QString &key : top.keys())
        if (key != u"hosts"_s)
            return fail(ErrorCode::InvalidInput,
                        u"Unknown top-level key '%1' in the faults file; per-host faults go "
                        u"under \"hosts\", e.g. {\"hosts\":{\"%1\":{...}}}."_s.arg(key));
    const QJsonValue hostsValue = top.value(u"hosts"_s);
    if (!hostsValue.isUndefined() && !hostsValue.isObject())
        return fail(ErrorCode::InvalidInput, u"\"hosts\" in the faults file must be an object."_s);
    FaultsFile file;
    const QJsonObject hosts = hostsValue.toObject();
    for (auto it = hosts.begin(); it != hosts.end(); ++it) {
        if (!it.value().isObject())
            return fail(ErrorCode::InvalidInput,
                        u"The faults of host %1 must be an object."_s.arg(it.key()));
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
