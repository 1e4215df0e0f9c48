#include "userdirectory.h"

#include <QFile>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

Result<UserDirectory> UserDirectory::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(ErrorCode::Io, u"Cannot read the users file."_s, path);
    UserDirectory directory;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype first = line.indexOf(u':');
        const qsizetype second = first < 0 ? -1 : line.indexOf(u':', first + 1);
        if (second < 0)
            return fail(ErrorCode::InvalidInput,
                        u"Users file lines must read DOMAIN:user:password."_s,
                        u"%1 line %2"_s.arg(path).arg(lineNumber));
        directory.m_accounts.append(
            {line.left(first), line.mid(first + 1, second - first - 1), line.mid(second + 1)});
    }
    if (directory.m_accounts.isEmpty())
        return fail(ErrorCode::InvalidInput, u"The users file holds no account."_s, path);
    return directory;
}

std::optional<QString> UserDirectory::verify(const QString &login, const QString &password) const
{
    QString domain;
    QString user = login;
    if (login.contains(u'\\')) {
        domain = login.section(u'\\', 0, 0);
        user = login.section(u'\\', 1);
    } else if (login.contains(u'@')) {
        user = login.section(u'@', 0, 0);
        domain = login.section(u'@', 1);
    }
    for (const Account &account : m_accounts) {
        if (account.user.compare(user, Qt::CaseInsensitive) != 0)
            continue;
        if (!domain.isEmpty() && account.domain.compare(domain, Qt::CaseInsensitive) != 0
            && !account.domain.startsWith(domain.section(u'.', 0, 0), Qt::CaseInsensitive))
            continue;
        // Constant-time comparison of the password bytes.
        const QByteArray a = account.password.toUtf8();
        const QByteArray b = password.toUtf8();
        unsigned char diff = a.size() == b.size() ? 0 : 1;
        for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i)
            diff |= static_cast<unsigned char>(a[i] ^ b[i]);
        if (diff == 0)
            return account.domain + u'\\' + account.user;
    }
    return std::nullopt;
}

} // namespace aetherv::hostsim
