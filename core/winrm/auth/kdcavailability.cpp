#include "core/winrm/auth/kdcavailability.h"

#include <QHash>

#include <mutex>

namespace aetherv::winrm::kdcavailability {

namespace {

struct Registry
{
    std::mutex mutex;
    QHash<QString, Clock::time_point> unreachableUntil;
};

Registry &registry()
{
    static Registry r;
    return r;
}

} // namespace

QString realmOf(const QString &user)
{
    const qsizetype slash = user.indexOf(u'\\');
    if (slash >= 0)
        return user.left(slash).toUpper();
    const qsizetype at = user.lastIndexOf(u'@');
    if (at > 0)
        return user.mid(at + 1).toUpper();
    return QString();
}

void rememberUnreachable(const QString &realm, Clock::time_point now)
{
    Registry &r = registry();
    const std::lock_guard lock(r.mutex);
    r.unreachableUntil.insert(realm, now + rememberFor);
}

bool isKnownUnreachable(const QString &realm, Clock::time_point now)
{
    Registry &r = registry();
    const std::lock_guard lock(r.mutex);
    const auto it = r.unreachableUntil.constFind(realm);
    if (it == r.unreachableUntil.constEnd())
        return false;
    if (now < *it)
        return true;
    r.unreachableUntil.erase(it);
    return false;
}

void forgetAll()
{
    Registry &r = registry();
    const std::lock_guard lock(r.mutex);
    r.unreachableUntil.clear();
}

} // namespace aetherv::winrm::kdcavailability
