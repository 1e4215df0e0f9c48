#include "app/common/credentialstore.h"

#include <QCoreApplication>
#include <QFile>

#include <qt6keychain/keychain.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aetherv::appcommon {

namespace {

QString keychainErrorText(QKeychain::Error code, const QString &text)
{
    QString what;
    switch (code) {
    case QKeychain::NoBackendAvailable:
        what = QCoreApplication::translate(
            "CredentialStore",
            "no keychain service is available (on Linux: a Secret Service such as "
            "gnome-keyring or KWallet must run in this session)");
        break;
    case QKeychain::AccessDeniedByUser:
        what = QCoreApplication::translate("CredentialStore", "access to the keychain was denied");
        break;
    case QKeychain::AccessDenied:
        what = QCoreApplication::translate("CredentialStore",
                                           "the keychain refused access (is it locked?)");
        break;
    case QKeychain::CouldNotDeleteEntry:
        what = QCoreApplication::translate("CredentialStore",
                                           "the keychain entry could not be deleted");
        break;
    case QKeychain::NotImplemented:
        what = QCoreApplication::translate(
            "CredentialStore", "the keychain does not support this operation on this system");
        break;
    default:
        what = QCoreApplication::translate("CredentialStore", "the keychain reported an error");
        break;
    }
    return text.isEmpty() ? what : what + u": " + text;
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<aetherv::appcommon::SecretResult>();
}

CredentialStore::~CredentialStore()
{
    // Jobs still running delete themselves when they finish; they must not call back into us.
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        disconnect(it.key(), nullptr, this, nullptr);
}

QString CredentialStore::keyFor(const QString &profileId, const QString &user)
{
    const QString trimmed = user.trimmed();
    QString name = trimmed;
    QString realm;
    if (const qsizetype slash = trimmed.indexOf(u'\\'); slash >= 0) {
        realm = trimmed.left(slash);
        name = trimmed.mid(slash + 1);
    } else if (const qsizetype at = trimmed.lastIndexOf(u'@'); at >= 0) {
        name = trimmed.left(at);
        realm = trimmed.mid(at + 1);
    }
    if (realm.isEmpty())
        realm = QStringLiteral(".");
    return u"aetherv/" + profileId + u'/' + name.toLower() + u'@' + realm.toUpper();
}

quint64 CredentialStore::read(const QString &profileId, const QString &user)
{
    const QString key = keyFor(profileId, user);
    auto *job = new QKeychain::ReadPasswordJob(QLatin1StringView(kServiceName));
    job->setKey(key);
    return startJob(job, SecretResult::Operation::Read, key);
}

quint64 CredentialStore::write(const QString &profileId, const QString &user,
                               const QString &password)
{
    const QString key = keyFor(profileId, user);
    auto *job = new QKeychain::WritePasswordJob(QLatin1StringView(kServiceName));
    job->setKey(key);
    job->setTextData(password);
    return startJob(job, SecretResult::Operation::Write, key);
}

quint64 CredentialStore::remove(const QString &profileId, const QString &user)
{
    const QString key = keyFor(profileId, user);
    auto *job = new QKeychain::DeletePasswordJob(QLatin1StringView(kServiceName));
    job->setKey(key);
    return startJob(job, SecretResult::Operation::Remove, key);
}

quint64 CredentialStore::startJob(QKeychain::Job *job, SecretResult::Operation op,
                                  const QString &key)
{
    SecretResult pending;
    pending.request = ++m_next;
    pending.operation = op;
    pending.key = key;
    m_pending.insert(job, pending);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, &CredentialStore::onJobFinished);
    job->start();
    return pending.request;
}

void CredentialStore::onJobFinished(QKeychain::Job *job)
{
    SecretResult r = m_pending.take(job);
    const QKeychain::Error code = job->error();
    if (code == QKeychain::NoError) {
        r.status = SecretResult::Status::Ok;
        if (r.operation == SecretResult::Operation::Read)
            r.password = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
    } else if (code == QKeychain::EntryNotFound) {
        r.status = SecretResult::Status::NotFound;
    } else {
        r.status = SecretResult::Status::Failed;
        r.error = keychainErrorText(code, job->errorString());
    }
    Q_EMIT finished(r);
}

Result<QString> CredentialStore::headlessPassword(const QProcessEnvironment &env)
{
    const QString varName = QLatin1StringView(kPasswordVariable);
    const QString fileVarName = QLatin1StringView(kPasswordFileVariable);
    const bool hasVar = env.contains(varName);
    const QString fileName = env.value(fileVarName);
    if (hasVar && !fileName.isEmpty()) {
        return fail(ErrorCode::Configuration,
                    tr("both AETHERV_WINRM_PASSWORD and AETHERV_WINRM_PASSWORD_FILE are set; "
                       "set only one of them"));
    }
    if (hasVar) {
        const QString password = env.value(varName);
        if (password.isEmpty()) {
            return fail(ErrorCode::Configuration,
                        tr("AETHERV_WINRM_PASSWORD is set but empty; set the password or unset "
                           "the variable"));
        }
        return password;
    }
    if (fileName.isEmpty()) {
        return fail(ErrorCode::NotFound,
                    tr("no password given: set AETHERV_WINRM_PASSWORD, or put the password in a "
                       "file readable only by you (chmod 600) and set "
                       "AETHERV_WINRM_PASSWORD_FILE to its path"));
    }

    const QByteArray path = QFile::encodeName(fileName);
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE cannot be opened "
                       "(it must be a regular file, not a symbolic link)"),
                    fileName + u": " + QString::fromLocal8Bit(std::strerror(err)));
    }
    struct stat st = {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE is not a regular "
                       "file"),
                    fileName);
    }
    if (st.st_uid != ::geteuid()) {
        ::close(fd);
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE must be owned by "
                       "the user running aetherv"),
                    fileName);
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        ::close(fd);
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE is accessible by "
                       "other users; run chmod 600 on it"),
                    fileName + u": mode " + QString::number(st.st_mode & 07777, 8));
    }
    constexpr qint64 kMaxSize = 64 * 1024;
    if (st.st_size > kMaxSize) {
        ::close(fd);
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE is too large to "
                       "hold a password"),
                    fileName);
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return fail(ErrorCode::Io,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE cannot be read"),
                    fileName + u": " + file.errorString());
    }
    QByteArray bytes = file.read(kMaxSize + 1);
    file.close();
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    if (bytes.isEmpty()) {
        return fail(ErrorCode::Configuration,
                    tr("the password file named by AETHERV_WINRM_PASSWORD_FILE is empty"),
                    fileName);
    }
    return QString::fromUtf8(bytes);
}

} // namespace aetherv::appcommon
