#pragma once

#include "core/common/credentials.h"
#include "core/config/profile.h"
#include "ui/session/consoleseams.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace aetherv::ui {

// User (DOMAIN\user or UPN) and password of one profile. The password goes to the SecretStore
// (the keychain), never to the settings. Prompt mode asks for a password the console needs now
// (missing entry, keychain error); Manage mode stores, replaces or deletes the stored one.
class CredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Prompt, Manage };

    CredentialsDialog(SecretStore *secrets, const config::Profile &profile, Mode mode,
                      const QString &reason, QWidget *parent = nullptr);

    QString userName() const;
    QString statusText() const;
    bool isBusy() const { return m_busy; }

    // Checks the user name (empty, DOMAIN\user, user@realm); empty string when acceptable.
    static QString checkUserName(const QString &user);

Q_SIGNALS:
    // The operator confirmed: use these credentials now (after storing them when asked to).
    void credentialsReady(const aetherv::Credentials &credentials);

private:
    void onAccept();
    void onDelete();
    void lookUp();
    void setBusy(bool busy, const QString &text);
    void setStatus(const QString &text, bool error);
    void finish();

    SecretStore *m_secrets;
    config::Profile m_profile;
    Mode m_mode;
    bool m_busy = false;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_delete;
};

} // namespace aetherv::ui
