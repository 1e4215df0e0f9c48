#include "app/common/settingsstore.h"

#include <QCoreApplication>
#include <QSet>
#include <QSettings>

#include <algorithm>

namespace aetherv::appcommon {

namespace {

const QString kSchemaKey = QStringLiteral("schemaVersion");
const QString kProfilesGroup = QStringLiteral("profiles");
const QString kCurrentProfileKey = QStringLiteral("currentProfileId");
const QString kLanguageKey = QStringLiteral("ui/languageOverride");
const QString kGeometryKey = QStringLiteral("ui/windowGeometry");
const QString kStateKey = QStringLiteral("ui/windowState");
const QString kHeaderKey = QStringLiteral("ui/hostTableHeader");

// Schema 1 spellings.
const QString kV1CurrentProfileKey = QStringLiteral("currentProfile");
const QString kV1LanguageKey = QStringLiteral("language");

QString profileKey(const QString &id)
{
    return kProfilesGroup + u'/' + id;
}

QString statusText(QSettings::Status status)
{
    switch (status) {
    case QSettings::NoError:
        return QString();
    case QSettings::AccessError:
        return QCoreApplication::translate("SettingsStore",
                                           "the settings file cannot be written (access denied)");
    case QSettings::FormatError:
        return QCoreApplication::translate("SettingsStore",
                                           "the settings file is damaged and cannot be read");
    }
    return QString();
}

} // namespace

SettingsStore::SettingsStore()
    : m_settings(std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
                                             QStringLiteral("Aether-V"), QStringLiteral("aetherv")))
{
    open();
}

SettingsStore::SettingsStore(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
    open();
}

SettingsStore::~SettingsStore()
{
    if (!m_openError)
        m_settings->sync();
}

QString SettingsStore::fileName() const
{
    return m_settings->fileName();
}

bool SettingsStore::isValidProfileId(QStringView id)
{
    if (id.isEmpty() || id.size() > 128 || id.front() == u'.')
        return false;
    return std::ranges::all_of(id, [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || c == u'-' || c == u'_' || c == u'.';
    });
}

void SettingsStore::open()
{
    if (m_settings->status() != QSettings::NoError) {
        m_openError = Error{ErrorCode::Io, statusText(m_settings->status()), fileName()};
        return;
    }
    const QStringList keys = m_settings->allKeys();
    if (keys.isEmpty()) {
        m_storedSchema = 0;
        m_settings->setValue(kSchemaKey, kSchemaVersion);
        return;
    }
    bool ok = false;
    const QVariant stored = m_settings->value(kSchemaKey);
    m_storedSchema = stored.isValid() ? stored.toInt(&ok) : 1;
    if (stored.isValid() && (!ok || m_storedSchema < 1)) {
        m_openError = Error{ErrorCode::Configuration,
                            QCoreApplication::translate("SettingsStore",
                                                        "the settings file has an invalid schema "
                                                        "version; fix or remove the file"),
                            fileName() + u": schemaVersion=" + stored.toString()};
        return;
    }
    if (m_storedSchema > kSchemaVersion) {
        m_openError
            = Error{ErrorCode::Configuration,
                    QCoreApplication::translate(
                        "SettingsStore", "the settings were written by a newer Aether-V (schema "
                                         "%1, this build knows %2); they are read-only here")
                        .arg(m_storedSchema)
                        .arg(kSchemaVersion),
                    fileName()};
        return;
    }
    if (m_storedSchema == 1) {
        if (const Result<void> r = migrateFrom1(); !r) {
            m_openError = r.error();
            return;
        }
    }
    m_settings->setValue(kSchemaKey, kSchemaVersion);
}

Result<void> SettingsStore::migrateFrom1()
{
    // Read everything first; write only when every profile migrated, so a failure leaves the file
    // as it was.
    QList<std::pair<QString, QByteArray>> rewritten;
    m_settings->beginGroup(kProfilesGroup);
    const QStringList ids = m_settings->childKeys();
    for (const QString &id : ids) {
        const QByteArray json = m_settings->value(id).toString().toUtf8();
        Result<config::Profile> p = config::Profile::fromJson(json);
        if (!p) {
            m_settings->endGroup();
            return fail(ErrorCode::Configuration,
                        QCoreApplication::translate(
                            "SettingsStore",
                            "profile %1 in the settings file cannot be migrated: %2; fix or "
                            "remove the entry")
                            .arg(id, p.error().message),
                        fileName());
        }
        p->id = id;
        rewritten.append({id, p->toJson(QJsonDocument::Compact)});
    }
    m_settings->endGroup();

    for (const auto &[id, json] : rewritten) {
        m_settings->setValue(profileKey(id), QString::fromUtf8(json));
        m_migrationLog << QStringLiteral("profiles/%1: profile schema %2")
                              .arg(id)
                              .arg(config::Profile::kSchemaVersion);
    }
    if (m_settings->contains(kV1CurrentProfileKey)) {
        m_settings->setValue(kCurrentProfileKey, m_settings->value(kV1CurrentProfileKey));
        m_settings->remove(kV1CurrentProfileKey);
        m_migrationLog << QStringLiteral("currentProfile -> currentProfileId");
    }
    if (m_settings->contains(kV1LanguageKey)) {
        m_settings->setValue(kLanguageKey, m_settings->value(kV1LanguageKey));
        m_settings->remove(kV1LanguageKey);
        m_migrationLog << QStringLiteral("language -> ui/languageOverride");
    }
    m_migrationLog << QStringLiteral("schemaVersion 1 -> %1").arg(kSchemaVersion);
    return {};
}

Result<void> SettingsStore::writable() const
{
    if (m_openError)
        return std::unexpected(*m_openError);
    return {};
}

Result<void> SettingsStore::setValue(const QString &key, const QVariant &value)
{
    if (Result<void> w = writable(); !w)
        return w;
    m_settings->setValue(key, value);
    return {};
}

LoadedProfiles SettingsStore::loadProfiles() const
{
    LoadedProfiles out;
    for (const QString &id : profileIds()) {
        Result<config::Profile> p = profile(id);
        if (p)
            out.profiles << *p;
        else
            out.problems << ProfileLoadProblem{id, p.error()};
    }
    std::ranges::sort(out.profiles, [](const config::Profile &a, const config::Profile &b) {
        const int c = QString::compare(a.name, b.name, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a.id < b.id;
    });
    return out;
}

QStringList SettingsStore::profileIds() const
{
    m_settings->beginGroup(kProfilesGroup);
    QStringList ids = m_settings->childKeys();
    m_settings->endGroup();
    return ids;
}

Result<config::Profile> SettingsStore::profile(const QString &id) const
{
    const QVariant v = m_settings->value(profileKey(id));
    if (!v.isValid()) {
        return fail(ErrorCode::NotFound,
                    QCoreApplication::translate("SettingsStore", "there is no profile %1").arg(id));
    }
    Result<config::Profile> p = config::Profile::fromJson(v.toString().toUtf8());
    if (!p) {
        return fail(ErrorCode::Configuration,
                    QCoreApplication::translate("SettingsStore",
                                                "profile %1 in the settings file cannot be read: "
                                                "%2")
                        .arg(id, p.error().message),
                    fileName());
    }
    // The key is the identity: a hand-edited "id" inside the JSON does not move the profile.
    p->id = id;
    return p;
}

Result<void> SettingsStore::saveProfile(const config::Profile &profile)
{
    if (!isValidProfileId(profile.id)) {
        return fail(ErrorCode::InvalidInput,
                    QCoreApplication::translate("SettingsStore",
                                                "profile id \"%1\" is not valid: use letters, "
                                                "digits, '-', '_' and '.'")
                        .arg(profile.id));
    }
    return setValue(profileKey(profile.id),
                    QString::fromUtf8(profile.toJson(QJsonDocument::Compact)));
}

Result<void> SettingsStore::removeProfile(const QString &id)
{
    if (Result<void> w = writable(); !w)
        return w;
    if (!isValidProfileId(id) || !m_settings->contains(profileKey(id))) {
        return fail(ErrorCode::NotFound,
                    QCoreApplication::translate("SettingsStore", "there is no profile %1").arg(id));
    }
    m_settings->remove(profileKey(id));
    if (currentProfileId() == id)
        m_settings->remove(kCurrentProfileKey);
    return {};
}

Result<void> SettingsStore::replaceProfiles(const QList<config::Profile> &profiles)
{
    if (Result<void> w = writable(); !w)
        return w;
    QSet<QString> keep;
    for (const config::Profile &p : profiles) {
        if (!isValidProfileId(p.id)) {
            return fail(ErrorCode::InvalidInput,
                        QCoreApplication::translate("SettingsStore",
                                                    "profile id \"%1\" is not valid: use letters, "
                                                    "digits, '-', '_' and '.'")
                            .arg(p.id));
        }
        if (keep.contains(p.id)) {
            return fail(ErrorCode::InvalidInput,
                        QCoreApplication::translate("SettingsStore", "two profiles share the id %1")
                            .arg(p.id));
        }
        keep.insert(p.id);
    }
    for (const QString &id : profileIds()) {
        if (!keep.contains(id))
            m_settings->remove(profileKey(id));
    }
    for (const config::Profile &p : profiles) {
        m_settings->setValue(profileKey(p.id), QString::fromUtf8(p.toJson(QJsonDocument::Compact)));
    }
    if (!keep.contains(currentProfileId()))
        m_settings->remove(kCurrentProfileKey);
    return {};
}

QString SettingsStore::currentProfileId() const
{
    return m_settings->value(kCurrentProfileKey).toString();
}

Result<void> SettingsStore::setCurrentProfileId(const QString &id)
{
    if (!id.isEmpty() && !isValidProfileId(id)) {
        return fail(ErrorCode::InvalidInput,
                    QCoreApplication::translate("SettingsStore",
                                                "profile id \"%1\" is not valid: use letters, "
                                                "digits, '-', '_' and '.'")
                        .arg(id));
    }
    return setValue(kCurrentProfileKey, id);
}

QString SettingsStore::languageOverride() const
{
    return m_settings->value(kLanguageKey).toString();
}

Result<void> SettingsStore::setLanguageOverride(const QString &localeName)
{
    return setValue(kLanguageKey, localeName);
}

QByteArray SettingsStore::windowGeometry() const
{
    return m_settings->value(kGeometryKey).toByteArray();
}

QByteArray SettingsStore::windowState() const
{
    return m_settings->value(kStateKey).toByteArray();
}

QByteArray SettingsStore::hostTableHeaderState() const
{
    return m_settings->value(kHeaderKey).toByteArray();
}

Result<void> SettingsStore::setWindowGeometry(const QByteArray &geometry)
{
    return setValue(kGeometryKey, geometry);
}

Result<void> SettingsStore::setWindowState(const QByteArray &state)
{
    return setValue(kStateKey, state);
}

Result<void> SettingsStore::setHostTableHeaderState(const QByteArray &state)
{
    return setValue(kHeaderKey, state);
}

Result<void> SettingsStore::sync()
{
    if (Result<void> w = writable(); !w)
        return w;
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return fail(ErrorCode::Io, statusText(m_settings->status()), fileName());
    return {};
}

} // namespace aetherv::appcommon
