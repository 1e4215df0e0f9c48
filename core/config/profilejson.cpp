#include "core/config/profile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <iterator>
#include <limits>
#include <optional>

namespace aetherv::config {

namespace {

// A JSON number with an integral value in the range of int; fractions, text and booleans are not.
std::optional<int> wholeNumber(const QJsonValue &v)
{
    constexpr qint64 kNotWhole = std::numeric_limits<qint64>::min();
    const qint64 n = v.isDouble() ? v.toInteger(kNotWhole) : kNotWhole;
    if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
        return std::nullopt;
    return static_cast<int>(n);
}

// Reads typed values from one JSON object; collects every problem instead of stopping at the
// first, so that an operator fixes a hand-edited file in one pass.
class Reader
{
public:
    Reader(const QJsonObject &object, QString prefix, QStringList &errors)
        : m_object(object)
        , m_prefix(std::move(prefix))
        , m_errors(errors)
    {}

    void read(QStringView key, QString &out)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isString())
            return complain(key, u"must be a string");
        out = v.toString();
    }

    void read(QStringView key, int &out)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || v.isNull())
            return;
        const std::optional<int> n = wholeNumber(v);
        if (!n)
            return complain(key, u"must be a whole number");
        out = *n;
    }

    void read(QStringView key, bool &out)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isBool())
            return complain(key, u"must be true or false");
        out = v.toBool();
    }

    template<typename E>
    void read(QStringView key, E &out, Result<E> (*parse)(QStringView))
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isString())
            return complain(key, u"must be a string");
        const Result<E> parsed = parse(v.toString());
        if (!parsed)
            return complain(key, parsed.error().message);
        out = *parsed;
    }

    // A nested object; absent or null yields an empty object (all defaults).
    QJsonObject object(QStringView key)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject()) {
            complain(key, u"must be an object");
            return {};
        }
        return v.toObject();
    }

    QString path(QStringView key) const { return m_prefix + key; }
    void complain(QStringView key, QStringView why)
    {
        m_errors.append(u'"' + path(key) + u"\" " + why);
    }

private:
    QJsonValue value(QStringView key) const { return m_object.value(key); }

    const QJsonObject &m_object;
    QString m_prefix;
    QStringList &m_errors;
};

Result<QJsonObject> migrate1to2(QJsonObject o)
{
    if (o.contains(u"hostInstallDirectory")) {
        if (!o.contains(u"installDirectory"))
            o.insert(u"installDirectory", o.value(u"hostInstallDirectory"));
        o.remove(u"hostInstallDirectory");
    }
    if (o.value(u"hosts").isArray()) {
        QJsonArray hosts;
        const QJsonArray old = o.value(u"hosts").toArray();
        for (qsizetype i = 0; i < old.size(); ++i) {
            if (!old.at(i).isString()) {
                return fail(ErrorCode::InvalidInput,
                            QStringLiteral("The schema 1 profile's \"hosts[%1]\" is not a string. "
                                           "Schema 1 lists hosts as \"name\" or \"name:port\".")
                                .arg(i));
            }
            const auto entry = HostEntry::parse(old.at(i).toString());
            if (!entry) {
                return fail(ErrorCode::InvalidInput,
                            QStringLiteral("The schema 1 profile's \"hosts[%1]\": ").arg(i)
                                + entry.error().message);
            }
            QJsonObject host{{QStringLiteral("address"), entry->address}};
            if (entry->port != 0)
                host.insert(u"port", entry->port);
            hosts.append(host);
        }
        o.insert(u"hosts", hosts);
    }
    if (o.value(u"winrm").isObject()) {
        QJsonObject w = o.value(u"winrm").toObject();
        if (w.contains(u"useHttps")) {
            if (!w.value(u"useHttps").isBool()) {
                return fail(ErrorCode::InvalidInput,
                            QStringLiteral("The schema 1 profile's \"winrm.useHttps\" must be true "
                                           "or false."));
            }
            if (!w.contains(u"transport")) {
                w.insert(u"transport", w.value(u"useHttps").toBool() ? QStringLiteral("https")
                                                                     : QStringLiteral("http"));
            }
            w.remove(u"useHttps");
        }
        if (w.contains(u"authMethod")) {
            if (!w.contains(u"auth"))
                w.insert(u"auth", w.value(u"authMethod"));
            w.remove(u"authMethod");
        }
        o.insert(u"winrm", w);
    }
    o.insert(u"schemaVersion", 2);
    return o;
}

using MigrationStep = Result<QJsonObject> (*)(QJsonObject);

// kMigrations[i] upgrades schema i + 1 to schema i + 2.
constexpr MigrationStep kMigrations[] = {migrate1to2};
static_assert(std::size(kMigrations) == Profile::kSchemaVersion - 1);

Result<QJsonObject> parseObject(QByteArrayView json, QStringView what)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        return fail(ErrorCode::InvalidInput,
                    u"The " + what + u" is not valid JSON. Check the file and export it again.",
                    error.errorString() + u" at offset " + QString::number(error.offset));
    }
    if (!doc.isObject()) {
        return fail(ErrorCode::InvalidInput,
                    u"The " + what + u" is not a JSON object. Export the profile again.");
    }
    return doc.object();
}

} // namespace

Result<QJsonObject> migrateProfileJson(QJsonObject object)
{
    int version = 1;
    if (object.contains(u"schemaVersion")) {
        const QJsonValue v = object.value(u"schemaVersion");
        const std::optional<int> n = wholeNumber(v);
        if (!n || *n < 1) {
            return fail(ErrorCode::InvalidInput,
                        QStringLiteral("The profile's \"schemaVersion\" must be a whole number of "
                                       "1 or more. Export the profile again."));
        }
        if (*n > Profile::kSchemaVersion) {
            return fail(ErrorCode::InvalidInput,
                        QStringLiteral("The profile was written by a newer Aether-V (schema %1; "
                                       "this version reads up to schema %2). Upgrade Aether-V to "
                                       "read it.")
                            .arg(*n)
                            .arg(Profile::kSchemaVersion));
        }
        version = *n;
    }
    for (; version < Profile::kSchemaVersion; ++version) {
        auto next = kMigrations[version - 1](std::move(object));
        if (!next)
            return next;
        object = std::move(*next);
    }
    object.insert(u"schemaVersion", Profile::kSchemaVersion);
    return object;
}

QJsonObject Profile::toJsonObject() const
{
    QJsonArray hostArray;
    for (const HostEntry &host : hosts) {
        QJsonObject h{{QStringLiteral("address"), host.address}};
        if (host.port != 0)
            h.insert(u"port", host.port);
        hostArray.append(h);
    }
    const QJsonObject w{
        {QStringLiteral("transport"), transportName(winrm.transport)},
        {QStringLiteral("port"), winrm.port},
        {QStringLiteral("auth"), authName(winrm.auth)},
        {QStringLiteral("userName"), winrm.userName},
        {QStringLiteral("spnService"), winrm.spnService},
        {QStringLiteral("spnTargetOverride"), winrm.spnTargetOverride},
        {QStringLiteral("kerberosDelegation"), winrm.kerberosDelegation},
        {QStringLiteral("caFile"), winrm.caFile},
        {QStringLiteral("ignoreTlsErrors"), winrm.ignoreTlsErrors},
        {QStringLiteral("allowBasicOverHttp"), winrm.allowBasicOverHttp},
        {QStringLiteral("operationTimeoutSeconds"), winrm.operationTimeoutSeconds},
        {QStringLiteral("connectTimeoutSeconds"), winrm.connectTimeoutSeconds},
        {QStringLiteral("commandDeadlineSeconds"), winrm.commandDeadlineSeconds},
    };
    const QJsonObject server{
        {QStringLiteral("listenAddress"), artifactServer.listenAddress},
        {QStringLiteral("port"), artifactServer.port},
        {QStringLiteral("certificateFile"), artifactServer.certificateFile},
        {QStringLiteral("privateKeyFile"), artifactServer.privateKeyFile},
        {QStringLiteral("maxConnections"), artifactServer.maxConnections},
        {QStringLiteral("idleTimeoutSeconds"), artifactServer.idleTimeoutSeconds},
    };
    const QJsonObject tasks{
        {QStringLiteral("deploymentConcurrency"), taskRunner.deploymentConcurrency},
        {QStringLiteral("inventoryConcurrency"), taskRunner.inventoryConcurrency},
        {QStringLiteral("diagnosticsConcurrency"), taskRunner.diagnosticsConcurrency},
        {QStringLiteral("deployDeadlineSeconds"), taskRunner.deployDeadlineSeconds},
        {QStringLiteral("checkDeadlineSeconds"), taskRunner.checkDeadlineSeconds},
    };
    const QJsonObject gate{
        {QStringLiteral("timeoutSeconds"), ingressGate.timeoutSeconds},
        {QStringLiteral("intervalSeconds"), ingressGate.intervalSeconds},
    };
    return QJsonObject{
        {QStringLiteral("schemaVersion"), kSchemaVersion},
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("environment"), environmentTagName(environment)},
        {QStringLiteral("hosts"), hostArray},
        {QStringLiteral("installDirectory"), installDirectory},
        {QStringLiteral("downloadBaseUrl"), downloadBaseUrl},
        {QStringLiteral("downloadMaxAttempts"), downloadMaxAttempts},
        {QStringLiteral("downloadRetryIntervalSeconds"), downloadRetryIntervalSeconds},
        {QStringLiteral("downloadParallelism"), downloadParallelism},
        {QStringLiteral("bundleDirectory"), bundleDirectory},
        {QStringLiteral("winrm"), w},
        {QStringLiteral("artifactServer"), server},
        {QStringLiteral("taskRunner"), tasks},
        {QStringLiteral("ingressGate"), gate},
        {QStringLiteral("startupDeployment"), startupDeployment},
        {QStringLiteral("verifiedCacheTtlSeconds"), verifiedCacheTtlSeconds},
        {QStringLiteral("lockExpirySeconds"), lockExpirySeconds},
        {QStringLiteral("failureBackoffBaseSeconds"), failureBackoffBaseSeconds},
        {QStringLiteral("failureBackoffMaxSeconds"), failureBackoffMaxSeconds},
    };
}

QByteArray Profile::toJson(QJsonDocument::JsonFormat format) const
{
    return QJsonDocument(toJsonObject()).toJson(format);
}

Result<Profile> Profile::fromJsonObject(const QJsonObject &object)
{
    const auto migrated = migrateProfileJson(object);
    if (!migrated)
        return std::unexpected(migrated.error());
    const QJsonObject &o = *migrated;

    Profile p;
    QStringList errors;
    Reader r(o, QString(), errors);
    r.read(u"id", p.id);
    r.read(u"name", p.name);
    r.read(u"environment", p.environment, &parseEnvironmentTag);

    const QJsonValue hostsValue = o.value(u"hosts");
    if (hostsValue.isArray()) {
        const QJsonArray hostArray = hostsValue.toArray();
        for (qsizetype i = 0; i < hostArray.size(); ++i) {
            const QString at = QStringLiteral("hosts[%1]").arg(i);
            if (!hostArray.at(i).isObject()) {
                errors.append(u'"' + at + u"\" must be an object with \"address\" and \"port\"");
                continue;
            }
            const QJsonObject h = hostArray.at(i).toObject();
            HostEntry entry;
            Reader hr(h, at + u'.', errors);
            hr.read(u"address", entry.address);
            hr.read(u"port", entry.port);
            p.hosts.append(entry);
        }
    } else if (!hostsValue.isUndefined() && !hostsValue.isNull()) {
        errors.append(QStringLiteral("\"hosts\" must be a list"));
    }

    r.read(u"installDirectory", p.installDirectory);
    r.read(u"downloadBaseUrl", p.downloadBaseUrl);
    r.read(u"downloadMaxAttempts", p.downloadMaxAttempts);
    r.read(u"downloadRetryIntervalSeconds", p.downloadRetryIntervalSeconds);
    r.read(u"downloadParallelism", p.downloadParallelism);
    r.read(u"bundleDirectory", p.bundleDirectory);

    const QJsonObject wo = r.object(u"winrm");
    Reader w(wo, QStringLiteral("winrm."), errors);
    w.read(u"transport", p.winrm.transport, &parseTransport);
    w.read(u"port", p.winrm.port);
    w.read(u"auth", p.winrm.auth, &parseAuth);
    w.read(u"userName", p.winrm.userName);
    w.read(u"spnService", p.winrm.spnService);
    w.read(u"spnTargetOverride", p.winrm.spnTargetOverride);
    w.read(u"kerberosDelegation", p.winrm.kerberosDelegation);
    w.read(u"caFile", p.winrm.caFile);
    w.read(u"ignoreTlsErrors", p.winrm.ignoreTlsErrors);
    w.read(u"allowBasicOverHttp", p.winrm.allowBasicOverHttp);
    w.read(u"operationTimeoutSeconds", p.winrm.operationTimeoutSeconds);
    w.read(u"connectTimeoutSeconds", p.winrm.connectTimeoutSeconds);
    w.read(u"commandDeadlineSeconds", p.winrm.commandDeadlineSeconds);

    const QJsonObject so = r.object(u"artifactServer");
    Reader s(so, QStringLiteral("artifactServer."), errors);
    s.read(u"listenAddress", p.artifactServer.listenAddress);
    s.read(u"port", p.artifactServer.port);
    s.read(u"certificateFile", p.artifactServer.certificateFile);
    s.read(u"privateKeyFile", p.artifactServer.privateKeyFile);
    s.read(u"maxConnections", p.artifactServer.maxConnections);
    s.read(u"idleTimeoutSeconds", p.artifactServer.idleTimeoutSeconds);

    const QJsonObject to = r.object(u"taskRunner");
    Reader t(to, QStringLiteral("taskRunner."), errors);
    t.read(u"deploymentConcurrency", p.taskRunner.deploymentConcurrency);
    t.read(u"inventoryConcurrency", p.taskRunner.inventoryConcurrency);
    t.read(u"diagnosticsConcurrency", p.taskRunner.diagnosticsConcurrency);
    t.read(u"deployDeadlineSeconds", p.taskRunner.deployDeadlineSeconds);
    t.read(u"checkDeadlineSeconds", p.taskRunner.checkDeadlineSeconds);

    const QJsonObject go = r.object(u"ingressGate");
    Reader g(go, QStringLiteral("ingressGate."), errors);
    g.read(u"timeoutSeconds", p.ingressGate.timeoutSeconds);
    g.read(u"intervalSeconds", p.ingressGate.intervalSeconds);

    r.read(u"startupDeployment", p.startupDeployment);
    r.read(u"verifiedCacheTtlSeconds", p.verifiedCacheTtlSeconds);
    r.read(u"lockExpirySeconds", p.lockExpirySeconds);
    r.read(u"failureBackoffBaseSeconds", p.failureBackoffBaseSeconds);
    r.read(u"failureBackoffMaxSeconds", p.failureBackoffMaxSeconds);

    if (!errors.isEmpty()) {
        return fail(ErrorCode::InvalidInput,
                    u"The profile has values of the wrong type. Fix them in the file and import "
                    u"it again: "
                        + errors.join(u"; ") + u'.');
    }
    if (p.id.trimmed().isEmpty())
        p.id = newId();
    return p;
}

Result<Profile> Profile::fromJson(QByteArrayView json)
{
    const auto object = parseObject(json, u"profile");
    if (!object)
        return std::unexpected(object.error());
    return fromJsonObject(*object);
}

QByteArray exportProfiles(const QList<Profile> &profiles)
{
    QJsonArray list;
    for (const Profile &profile : profiles)
        list.append(profile.toJsonObject());
    const QJsonObject root{{QStringLiteral("schemaVersion"), Profile::kSchemaVersion},
                           {QStringLiteral("profiles"), list}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<QList<Profile>> importProfiles(QByteArrayView json)
{
    const auto object = parseObject(json, u"profile file");
    if (!object)
        return std::unexpected(object.error());
    if (!object->contains(u"profiles")) {
        const auto single = Profile::fromJsonObject(*object);
        if (!single)
            return std::unexpected(single.error());
        return QList<Profile>{*single};
    }
    const QJsonValue list = object->value(u"profiles");
    if (!list.isArray()) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("The profile file's \"profiles\" is not a list. Export the "
                                   "profiles again."));
    }
    QList<Profile> profiles;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            return fail(
                ErrorCode::InvalidInput,
                QStringLiteral("Entry %1 of the profile file is not an object.").arg(i + 1));
        }
        QJsonObject entry = array.at(i).toObject();
        // An entry without its own schema version was written with the file's.
        if (!entry.contains(u"schemaVersion") && object->contains(u"schemaVersion"))
            entry.insert(u"schemaVersion", object->value(u"schemaVersion"));
        auto profile = Profile::fromJsonObject(entry);
        if (!profile) {
            Error e = profile.error();
            e.message = QStringLiteral("Entry %1 of the profile file: ").arg(i + 1) + e.message;
            return std::unexpected(e);
        }
        profiles.append(std::move(*profile));
    }
    return profiles;
}

} // namespace aetherv::config
