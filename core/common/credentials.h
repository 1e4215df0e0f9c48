#pragma once

#include <QString>

namespace aetherv {

// What core needs to authenticate to a host. Core never reads settings or the keychain: the
// caller (console, CLI, tests) fills this from QtKeychain, an environment variable or a 0600 file.
// The password must never be logged, written to settings or put on a command line.
struct Credentials
{
    QString user; // "user", "DOMAIN\\user" or "user@realm" as the operator typed it
    QString password;

    // Splits "DOMAIN\\user" and "user@REALM"; a bare name has an empty domain.
    QString userName() const
    {
        const qsizetype slash = user.indexOf(u'\\');
        if (slash >= 0)
            return user.mid(slash + 1);
        const qsizetype at = user.indexOf(u'@');
        return at >= 0 ? user.left(at) : user;
    }
    QString domain() const
    {
        const qsizetype slash = user.indexOf(u'\\');
        if (slash >= 0)
            return user.left(slash);
        const qsizetype at = user.indexOf(u'@');
        return at >= 0 ? user.mid(at + 1) : QString();
    }
    bool isEmpty() const { return user.isEmpty(); }
};

} // namespace aetherv
