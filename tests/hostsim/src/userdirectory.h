#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>

namespace aetherv::hostsim {

// The local accounts of the simulated hosts, read from the same DOMAIN:user:password file that
// gss-ntlmssp reads through NTLM_USER_FILE. Used only for Basic authentication.
class UserDirectory
{
public:
    static Result<UserDirectory> load(const QString &path);

    // Checks a Basic login ("user", "DOMAIN\user" or "user@DOMAIN"); returns the account as
    // DOMAIN\user when the password matches.
    std::optional<QString> verify(const QString &login, const QString &password) const;
    int size() const { return int(m_accounts.size()); }

private:
    struct Account
    {
        QString domain;
        QString user;
        QString password;
    };
    QList<Account> m_accounts;
};

} // namespace aetherv::hostsim
