#pragma once

#include "core/common/credentials.h"
#include "core/common/result.h"
#include "core/config/profile.h"
#include "core/deploy/remotescriptexecutor.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace aetherv::ui {

// Makes the executor that reaches a profile's hosts: the real WinRM one in the console
// (deploy::makeWinRmExecutor), a fake or the simulated hosts' in tests. May return an error (e.g.
// a setting the transport cannot use); the window then shows it and runs no session.
using ExecutorFactory = std::function<Result<std::shared_ptr<deploy::RemoteScriptExecutor>>(
    const config::Profile &profile, const Credentials &credentials)>;

// Where the console keeps its profiles (the console: appcommon::SettingsStore).
class ProfileStore
{
public:
    virtual ~ProfileStore() = default;
    // Profiles that could not be read are reported in `problems` (one readable line each).
    virtual QList<config::Profile> loadProfiles(QStringList *problems) = 0;
    virtual Result<void> saveProfiles(const QList<config::Profile> &profiles) = 0;
    virtual QString currentProfileId() const = 0;
    virtual void setCurrentProfileId(const QString &id) = 0;
};

// Where passwords live (the console: appcommon::CredentialStore over QtKeychain). Asynchronous:
// `done` runs later on the caller's thread, exactly once, unless `context` was destroyed.
class SecretStore
{
public:
    enum class Status { Ok, NotFound, Failed };
    struct Reply
    {
        Status status = Status::Failed;
        QString password; // only for a successful read
        QString error;    // for Failed: the store's own text
    };
    using Callback = std::function<void(const Reply &)>;

    virtual ~SecretStore() = default;
    virtual void read(const QString &profileId, const QString &user, QObject *context,
                      Callback done)
        = 0;
    virtual void write(const QString &profileId, const QString &user, const QString &password,
                       QObject *context, Callback done)
        = 0;
    virtual void remove(const QString &profileId, const QString &user, QObject *context,
                        Callback done)
        = 0;
};

// What the main window needs from the application around it. The stores are not owned.
struct ConsoleContext
{
    ProfileStore *profiles = nullptr;
    SecretStore *secrets = nullptr;
    ExecutorFactory executorFactory;
    // The console's bundle folder when a profile names none (default: AgentBundle's).
    QString defaultBundleDirectory;
};

} // namespace aetherv::ui
