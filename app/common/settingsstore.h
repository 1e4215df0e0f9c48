#pragma once

#include "core/common/result.h"
#include "core/config/profile.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace aetherv::appcommon {

// One profile entry that could not be read back, with the reason.
struct ProfileLoadProblem
{
    QString id;
    Error error;
};

struct LoadedProfiles
{
    QList<config::Profile> profiles; // sorted by name (case-insensitive), then id
    QList<ProfileLoadProblem> problems;
};

// The one typed facade over the application's QSettings (organization "Aether-V", application
// "aetherv"). Layout of schema 2:
//   schemaVersion            = 2
//   profiles/<id>            = the profile's JSON (config::Profile::toJson, compact)
//   currentProfileId         = id of the profile the console shows
//   ui/languageOverride      = "" (follow the system locale) or a locale name such as "de"
//   ui/windowGeometry, ui/windowState, ui/hostTableHeader = QWidget/QHeaderView state blobs
// A password is never stored here: secrets live in the keychain (CredentialStore).
//
// Schema 1 (files without "schemaVersion") kept "currentProfile" instead of "currentProfileId",
// "language" instead of "ui/languageOverride", and profile JSON of profile schema 1. Opening such
// a file migrates it in place (keys renamed, every profile rewritten in the current profile
// schema). A file of a newer schema than this build is opened read-only: reads work, writes fail
// with an error that says so, so an older build never damages a newer console's settings.
class SettingsStore
{
public:
    static constexpr int kSchemaVersion = 2;

    // The user's settings file (~/.config/Aether-V/aetherv.conf on Linux).
    SettingsStore();
    // An explicit INI file: tests, and the CLI's --settings option.
    explicit SettingsStore(const QString &iniFile);
    ~SettingsStore();
    SettingsStore(const SettingsStore &) = delete;
    SettingsStore &operator=(const SettingsStore &) = delete;

    QString fileName() const;
    // The schema found on disk when opening (0 for a new, empty file).
    int storedSchemaVersion() const { return m_storedSchema; }
    // What opening did to the file: empty when nothing was migrated, else one line per change.
    QStringList migrationLog() const { return m_migrationLog; }
    // Set when the file could not be migrated or is of a newer schema; writes then fail.
    std::optional<Error> openError() const { return m_openError; }

    LoadedProfiles loadProfiles() const;
    Result<config::Profile> profile(const QString &id) const;
    QStringList profileIds() const;
    // Stores the profile under its id (refuses an empty or malformed id).
    Result<void> saveProfile(const config::Profile &profile);
    Result<void> removeProfile(const QString &id);
    // Makes the stored set exactly `profiles` (saves each, removes the others); refuses a set
    // with duplicate ids. The current profile id is cleared when its profile is gone.
    Result<void> replaceProfiles(const QList<config::Profile> &profiles);

    QString currentProfileId() const;
    Result<void> setCurrentProfileId(const QString &id);

    QString languageOverride() const;
    Result<void> setLanguageOverride(const QString &localeName);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    QByteArray hostTableHeaderState() const;
    Result<void> setWindowGeometry(const QByteArray &geometry);
    Result<void> setWindowState(const QByteArray &state);
    Result<void> setHostTableHeaderState(const QByteArray &state);

    // Writes pending changes to disk; fails with the reason when the file cannot be written.
    Result<void> sync();

    static bool isValidProfileId(QStringView id);

private:
    void open();
    Result<void> migrateFrom1();
    Result<void> writable() const;
    Result<void> setValue(const QString &key, const QVariant &value);

    std::unique_ptr<QSettings> m_settings;
    int m_storedSchema = 0;
    QStringList m_migrationLog;
    std::optional<Error> m_openError;
};

} // namespace aetherv::appcommon
