#include "app/console/keychainsecretstore.h"

namespace aetherv::console {

using appcommon::SecretResult;

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : QObject(parent)
{
    connect(&m_store, &appcommon::CredentialStore::finished, this,
            &KeychainSecretStore::onFinished);
}

void KeychainSecretStore::read(const QString &profileId, const QString &user, QObject *context,
                               Callback done)
{
    m_pending.insert(m_store.read(profileId, user), {context, std::move(done)});
}

void KeychainSecretStore::write(const QString &profileId, const QString &user,
                                const QString &password, QObject *context, Callback done)
{
    m_pending.insert(m_store.write(profileId, user, password), {context, std::move(done)});
}

void KeychainSecretStore::remove(const QString &profileId, const QString &user, QObject *context,
                                 Callback done)
{
    m_pending.insert(m_store.remove(profileId, user), {context, std::move(done)});
}

void KeychainSecretStore::onFinished(const SecretResult &result)
{
    const Pending p = m_pending.take(result.request);
    if (!p.context || !p.done)
        return;
    Reply reply;
    switch (result.status) {
    case SecretResult::Status::Ok:
        reply.status = Status::Ok;
        break;
    case SecretResult::Status::NotFound:
        reply.status = Status::NotFound;
        break;
    case SecretResult::Status::Failed:
        reply.status = Status::Failed;
        break;
    }
    reply.password = result.password;
    reply.error = result.error;
    p.done(reply);
}

} // namespace aetherv::console
