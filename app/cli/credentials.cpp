#include "credentials.h"

#include "app/common/credentialstore.h"
#include "app/common/settingsstore.h"

#include <QEventLoop>

#include <QTextStream>
#include <memory>

namespace aetherv::cli {

Result<Credentials> resolveCredentials(const config::Profile &profile)
{
    Credentials c;
    c.user = profile.winrm.userName;
    // Automation first: an environment variable or a 0600 file.
    const auto headless = appcommon::CredentialStore::headlessPassword();
    if (headless) {
        c.password = *headless;
        return c;
    }
    if (headless.error().code != ErrorCode::NotFound)
        return std::unexpected(headless.error());
    const bool kerberos = profile.winrm.auth == config::WinRmAuth::Kerberos
                          || profile.winrm.auth == config::WinRmAuth::Negotiate;
    if (c.user.isEmpty()) {
        if (kerberos)
            return c; // the ticket cache speaks for the user
        return fail(ErrorCode::Configuration,
                    QStringLiteral("the profile '%1' names no WinRM user: set one (or WINRM_USER)")
                        .arg(profile.name));
    }
    // Then the console's keychain entry for this profile and user.
    appcommon::CredentialStore store;
    QEventLoop loop;
    appcommon::SecretResult secret;
    QObject::connect(&store, &appcommon::CredentialStore::finished, &loop,
                     [&](const appcommon::SecretResult &r) {
                         secret = r;
                         loop.quit();
                     });
    store.read(profile.id, c.user);
    if (store.pendingCount() > 0)
        loop.exec();
    switch (secret.status) {
    case appcommon::SecretResult::Status::Ok:
        c.password = secret.password;
        return c;
    case appcommon::SecretResult::Status::NotFound:
        return fail(ErrorCode::Configuration,
                    QStringLiteral("no password for %1: store it in the console's credentials "
                                   "dialog, or for automation set AETHERV_WINRM_PASSWORD_FILE to a "
                                   "0600 file holding it")
                        .arg(c.user));
    case appcommon::SecretResult::Status::Failed:
        break;
    }
    return fail(ErrorCode::Configuration,
                QStringLiteral("the keychain could not give the password for %1 (%2); for "
                               "automation set AETHERV_WINRM_PASSWORD_FILE to a 0600 file "
                               "holding it")
                    .arg(c.user, secret.error));
}

QList<config::Profile> savedProfiles(const QString &settingsFile)
{
    const auto store = settingsFile.isEmpty()
                           ? std::make_unique<appcommon::SettingsStore>()
                           : std::make_unique<appcommon::SettingsStore>(settingsFile);
    const appcommon::LoadedProfiles loaded = store->loadProfiles();
    QTextStream err(stderr);
    for (const auto &problem : loaded.problems)
        err << "warning: saved profile " << problem.id
            << " cannot be used: " << problem.error.toString() << '\n';
    return loaded.profiles;
}

} // namespace aetherv::cli
