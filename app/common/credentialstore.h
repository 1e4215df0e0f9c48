#pragma once

#include "core/common/result.h"

#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

namespace QKeychain {
class Job;
}

namespace aetherv::appcommon {

// The outcome of one keychain operation.
struct SecretResult
{
    enum class Status {
        Ok,       // read: password holds the secret; write/remove: done
        NotFound, // no entry under the key: ask the operator (not an error)
        Failed,   // the keychain failed; error says why (its own text), never a fallback
    };
    enum class Operation { Read, Write, Remove };

    quint64 request = 0;
    Operation operation = Operation::Read;
    Status status = Status::Failed;
    QString key;      // the keychain key, e.g. "aetherv/prod/alice@CORP"
    QString password; // only for a successful read; never log it
    QString error;    // for Failed: the keychain's text and what to do
};

// Passwords per profile and user in the desktop keychain (QtKeychain → Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows), service "aetherv", key
// "aetherv/<profileId>/<user>@<realm>". Every operation is asynchronous: the call returns a request
// id at once and exactly one finished() signal with that id follows. There is deliberately no
// plaintext fallback: when no keychain is available, the operation fails with the reason.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kServiceName = "aetherv";
    static constexpr auto kPasswordVariable = "AETHERV_WINRM_PASSWORD";
    static constexpr auto kPasswordFileVariable = "AETHERV_WINRM_PASSWORD_FILE";

    explicit CredentialStore(QObject *parent = nullptr);
    ~CredentialStore() override;

    // "DOMAIN\\alice" and "alice@DOMAIN" give the same key "aetherv/<id>/alice@DOMAIN": the user
    // is lower-cased and the realm upper-cased (Windows compares both without case). A bare name
    // is a local account of the host: realm ".".
    static QString keyFor(const QString &profileId, const QString &user);

    quint64 read(const QString &profileId, const QString &user);
    quint64 write(const QString &profileId, const QString &user, const QString &password);
    quint64 remove(const QString &profileId, const QString &user);

    // Requests started and not yet finished.
    int pendingCount() const { return int(m_pending.size()); }

    // Headless password (CLI, automation): the variable AETHERV_WINRM_PASSWORD, or the file named
    // by AETHERV_WINRM_PASSWORD_FILE, which must be a regular file owned by this user with no
    // group or other permissions (chmod 600). One trailing newline is removed. NotFound when
    // neither variable is set; Configuration when both are set or the file is unsafe, unreadable
    // or empty, with the fix in the message.
    static Result<QString> headlessPassword(const QProcessEnvironment &env
                                            = QProcessEnvironment::systemEnvironment());

Q_SIGNALS:
    void finished(const aetherv::appcommon::SecretResult &result);

private:
    quint64 startJob(QKeychain::Job *job, SecretResult::Operation op, const QString &key);
    void onJobFinished(QKeychain::Job *job);

    quint64 m_next = 0;
    QHash<QKeychain::Job *, SecretResult> m_pending;
};

} // namespace aetherv::appcommon

Q_DECLARE_METATYPE(aetherv::appcommon::SecretResult)
