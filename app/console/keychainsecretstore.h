#pragma once

#include "app/common/credentialstore.h"
#include "ui/session/consoleseams.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace aetherv::console {

// The window's SecretStore over appcommon::CredentialStore (QtKeychain).
class KeychainSecretStore : public QObject, public ui::SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QObject *parent = nullptr);

    void read(const QString &profileId, const QString &user, QObject *context,
              Callback done) override;
    void write(const QString &profileId, const QString &user, const QString &password,
               QObject *context, Callback done) override;
    void remove(const QString &profileId, const QString &user, QObject *context,
                Callback done) override;

private:
    struct Pending
    {
        QPointer<QObject> context;
        Callback done;
    };
    void onFinished(const appcommon::SecretResult &result);

    appcommon::CredentialStore m_store;
    QHash<quint64, Pending> m_pending;
};

} // namespace aetherv::console
