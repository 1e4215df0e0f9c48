#include "credentials.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>
#include <unistd.h>

namespace aetherv::cli {

namespace {

Result<QString> passwordFromFile(const QString &path)
{
    struct stat st = {};
    const QByteArray native = QFile::encodeName(path);
    if (::stat(native.constData(), &st) != 0) {
        return fail(
            ErrorCode::Configuration,
            QStringLiteral("AETHERV_WINRM_PASSWORD_FILE names %1, which does not exist").arg(path));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(
            ErrorCode::Configuration,
            QStringLiteral("AETHERV_WINRM_PASSWORD_FILE (%1) is not a regular file").arg(path));
    }
    if ((st.st_mode & 077) != 0) {
        return fail(ErrorCode::Configuration,
                    QStringLiteral("the password file %1 is readable by others: run chmod 600 %1")
                        .arg(path));
    }
    if (st.st_uid != ::geteuid()) {
        return fail(ErrorCode::Configuration,
                    QStringLiteral("the password file %1 belongs to another user: it must be "
                                   "owned by the user running aetherv-deploy")
                        .arg(path));
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::Configuration,
                    QStringLiteral("cannot read the password file %1").arg(path), f.errorString());
    }
    QByteArray data = f.readAll();
    while (data.endsWith('\n') || data.endsWith('\r'))
        data.chop(1);
    if (data.isEmpty())
        return fail(ErrorCode::Configuration,
                    QStringLiteral("the password file %1 is empty").arg(path));
    return QString::fromUtf8(data);
}

} // namespace

Result<Credentials> resolveCredentials(const config::Profile &profile)
{
    Credentials c;
    c.user = profile.winrm.userName;
    const QString file = qEnvironmentVariable("AETHERV_WINRM_PASSWORD_FILE");
    if (!file.isEmpty()) {
        auto pw = passwordFromFile(file);
        if (!pw)
            return std::unexpected(pw.error());
        c.password = *pw;
    } else if (qEnvironmentVariableIsSet("AETHERV_WINRM_PASSWORD")) {
        c.password = qEnvironmentVariable("AETHERV_WINRM_PASSWORD");
    }
    const bool kerberos = profile.winrm.auth == config::WinRmAuth::Kerberos
                          || profile.winrm.auth == config::WinRmAuth::Negotiate;
    if (c.password.isEmpty() && !(kerberos && c.user.isEmpty())) {
        return fail(ErrorCode::Configuration,
                    QStringLiteral("no password for %1: set AETHERV_WINRM_PASSWORD_FILE to a 0600 "
                                   "file holding it (or AETHERV_WINRM_PASSWORD), or store it in "
                                   "the console's credentials dialog")
                        .arg(c.user.isEmpty() ? QStringLiteral("the WinRM user") : c.user));
    }
    return c;
}

QList<config::Profile> savedProfiles()
{
    return {};
}

} // namespace aetherv::cli
