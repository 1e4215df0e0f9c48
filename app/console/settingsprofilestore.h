#pragma once

#include "app/common/settingsstore.h"
#include "ui/session/consoleseams.h"

namespace aetherv::console {

// The window's ProfileStore over appcommon::SettingsStore.
class SettingsProfileStore : public ui::ProfileStore
{
public:
    explicit SettingsProfileStore(appcommon::SettingsStore &settings)
        : m_settings(settings)
    {}

    QList<config::Profile> loadProfiles(QStringList *problems) override;
    Result<void> saveProfiles(const QList<config::Profile> &profiles) override;
    QString currentProfileId() const override;
    void setCurrentProfileId(const QString &id) override;

private:
    appcommon::SettingsStore &m_settings;
};

} // namespace aetherv::console
