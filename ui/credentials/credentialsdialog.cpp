#include "ui/credentials/credentialsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace aetherv::ui {

CredentialsDialog::CredentialsDialog(SecretStore *secrets, const config::Profile &profile,
                                     Mode mode, const QString &reason, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_profile(profile)
    , m_mode(mode)
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember the password in the system keychain"), this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
    , m_delete(nullptr)
{
    setObjectName(QStringLiteral("credentialsDialog"));
    setWindowTitle(tr("Credentials for %1").arg(profile.name));
    m_user->setObjectName(QStringLiteral("userName"));
    m_user->setText(profile.winrm.userName);
    m_user->setPlaceholderText(tr("DOMAIN\\user or user@realm"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText
                                    | Qt::ImhNoAutoUppercase | Qt::ImhSensitiveData);
    m_remember->setObjectName(QStringLiteral("remember"));
    m_remember->setChecked(true);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("reason"));
    intro->setWordWrap(true);
    intro->setText(reason.isEmpty()
                       ? tr("The password is kept in the system keychain under profile %1; it is "
                            "never written to the settings file.")
                             .arg(profile.name)
                       : reason);
    auto *form = new QFormLayout;
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);

    QPushButton *ok = m_buttons->addButton(mode == Mode::Prompt ? tr("&Connect") : tr("&Save"),
                                           QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("accept"));
    ok->setDefault(true);
    if (mode == Mode::Manage) {
        m_delete = m_buttons->addButton(tr("&Delete stored password"),
                                        QDialogButtonBox::DestructiveRole);
        m_delete->setObjectName(QStringLiteral("delete"));
        connect(m_delete, &QPushButton::clicked, this, &CredentialsDialog::onDelete);
        m_remember->setChecked(true);
        m_remember->setEnabled(false);
    }
    m_buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CredentialsDialog::onAccept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_user, &QLineEdit::textChanged, this, [this] {
        const QString problem = checkUserName(m_user->text());
        setStatus(problem, !problem.isEmpty());
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    if (!m_profile.winrm.userName.isEmpty())
        m_password->setFocus();
    if (mode == Mode::Manage)
        lookUp();
}

QString CredentialsDialog::userName() const
{
    return m_user->text().trimmed();
}

QString CredentialsDialog::statusText() const
{
    return m_status->text();
}

QString CredentialsDialog::checkUserName(const QString &user)
{
    const QString u = user.trimmed();
    if (u.isEmpty())
        return tr("Enter the user as DOMAIN\\user or user@realm.");
    if (u.count(u'\\') > 1 || (u.contains(u'\\') && u.contains(u'@')))
        return tr("Use either DOMAIN\\user or user@realm, not both.");
    if (u.startsWith(u'\\') || u.endsWith(u'\\') || u.startsWith(u'@') || u.endsWith(u'@'))
        return tr("The user name is incomplete.");
    return QString();
}

void CredentialsDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b71c1c;") : QString());
}

void CredentialsDialog::setBusy(bool busy, const QString &text)
{
    m_busy = busy;
    m_buttons->setEnabled(!busy);
    m_user->setEnabled(!busy);
    m_password->setEnabled(!busy);
    if (!text.isEmpty())
        setStatus(text, false);
}

void CredentialsDialog::lookUp()
{
    if (!m_secrets || userName().isEmpty())
        return;
    setBusy(true, tr("Looking in the keychain…"));
    QPointer<CredentialsDialog> self(this);
    m_secrets->read(m_profile.id, userName(), this, [self](const SecretStore::Reply &r) {
        if (!self)
            return;
        self->setBusy(false, QString());
        switch (r.status) {
        case SecretStore::Status::Ok:
            self->setStatus(tr("A password is stored for this user."), false);
            break;
        case SecretStore::Status::NotFound:
            self->setStatus(tr("No password is stored for this user yet."), false);
            break;
        case SecretStore::Status::Failed:
            self->setStatus(tr("The keychain could not be read: %1").arg(r.error), true);
            break;
        }
    });
}

void CredentialsDialog::onAccept()
{
    const QString problem = checkUserName(m_user->text());
    if (!problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    if (m_password->text().isEmpty()) {
        setStatus(tr("Enter the password."), true);
        return;
    }
    if (!m_remember->isChecked() || !m_secrets) {
        finish();
        return;
    }
    setBusy(true, tr("Storing the password in the keychain…"));
    QPointer<CredentialsDialog> self(this);
    m_secrets->write(
        m_profile.id, userName(), m_password->text(), this, [self](const SecretStore::Reply &r) {
            if (!self)
                return;
            self->setBusy(false, QString());
            if (r.status != SecretStore::Status::Ok) {
                // Never a plaintext fallback: say why and let the operator decide
                // (untick "remember" to use the password for this session only).
                self->setStatus(tr("The keychain could not store the password: %1").arg(r.error),
                                true);
                return;
            }
            self->finish();
        });
}

void CredentialsDialog::finish()
{
    Credentials c{userName(), m_password->text()};
    m_password->clear();
    Q_EMIT credentialsReady(c);
    accept();
}

void CredentialsDialog::onDelete()
{
    if (!m_secrets || userName().isEmpty())
        return;
    setBusy(true, tr("Deleting the stored password…"));
    QPointer<CredentialsDialog> self(this);
    m_secrets->remove(m_profile.id, userName(), this, [self](const SecretStore::Reply &r) {
        if (!self)
            return;
        self->setBusy(false, QString());
        if (r.status == SecretStore::Status::Failed)
            self->setStatus(tr("The keychain could not delete the password: %1").arg(r.error),
                            true);
        else
            self->setStatus(tr("No password is stored for this user now."), false);
    });
}

} // namespace aetherv::ui
