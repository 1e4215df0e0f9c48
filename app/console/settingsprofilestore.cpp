#include "app/console/settingsprofilestore.h"

#include <QCoreApplication>

namespace aetherv::console {

QList<config::Profile> SettingsProfileStore::loadProfiles(QStringList *problems)
{
    const appcommon::LoadedProfiles loaded = m_settings.loadProfiles();
    if (problems) {
        if (const auto e = m_settings.openError())
            *problems << e->toString();
        for (const appcommon::ProfileLoadProblem &p : loaded.problems)
            *problems << p.error.toString();
    }
    return loaded.profiles;
}

Result<void> SettingsProfileStore::saveProfiles(const QList<config::Profile> &profiles)
{
    if (Result<void> r = m_settings.replaceProfiles(profiles); !r)
        return r;
    return m_settings.sync();
}

QString SettingsProfileStore::currentProfileId() const
{
    return m_settings.currentProfileId();
}

void SettingsProfileStore::setCurrentProfileId(const QString &id)
{
    if (m_settings.setCurrentProfileId(id))
        m_settings.sync();
}

} // namespace aetherv::console
