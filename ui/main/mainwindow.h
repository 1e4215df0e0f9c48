#pragma once

#include "core/common/credentials.h"
#include "core/config/profile.h"
#include "core/deploy/rolloutsummary.h"
#include "core/provision/provisioningservice.h"
#include "ui/session/consoleseams.h"
#include "ui/session/consolesession.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTabWidget;

namespace aetherv::ui {

class HostFilterProxyModel;
class HostLogBook;
class HostTableModel;
class LogPane;
class ProvisioningJobsPane;
class RolloutBanner;
class RolloutNotifier;

// The operator's window onto the fleet: profile selector, rollout actions, the "Agent deployment"
// banner, the live host table with filter and context menu, and the per-host log. Selecting a
// profile reads its password (SecretStore; a missing entry asks the operator), makes an executor
// with ConsoleContext::executorFactory, and starts a ConsoleSession for it. Nothing here blocks
// the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ConsoleContext context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Reloads the profiles from the store and selects the stored current one (or the first).
    void loadProfiles();
    // Selects a profile by id: ends the running session and starts the profile's.
    bool selectProfile(const QString &id);
    QString currentProfileId() const;
    QList<config::Profile> profiles() const { return m_profiles; }

    ConsoleSession *session() const { return m_session; }
    HostTableModel *hostModel() const { return m_model; }
    HostFilterProxyModel *hostProxy() const { return m_proxy; }
    QTableView *hostTable() const { return m_table; }
    RolloutBanner *banner() const { return m_banner; }
    LogPane *logPane() const { return m_logPane; }
    HostLogBook *logBook() const { return m_logBook; }
    QLabel *serverStatusLabel() const { return m_serverLabel; }

    enum class Action {
        Check,
        DeployOutdated,
        DeploySelected,
        ForceRedeploy,
        Cancel,
        SmokeTest,
        CopyError,
        ShowLog,
        ProvisionVm
    };
    QAction *action(Action a) const;
    // The hosts the selection covers, in table order.
    QStringList selectedHosts() const;
    void selectHosts(const QStringList &hosts);

    // Confirmation before a destructive action; default: a QMessageBox. Tests replace it.
    using ConfirmHandler = std::function<bool(const QString &title, const QString &text)>;
    void setConfirmHandler(ConfirmHandler handler) { m_confirm = std::move(handler); }

    // The language menu's current choice ("" = system).
    void setLanguageOverride(const QString &localeName);

    // Dialogs (non-modal, opened with open()); exposed for tests and the menu.
    void showProfilesDialog();
    void showCredentialsDialog();
    void showDiagnosticsDialog();
    // "Provision VM…" for the selected host; the job goes to the session's provisioning service.
    void showProvisionDialog();

    // The session's provisioning jobs (null without a session) and the pane that shows them.
    provision::ProvisioningService *provisioning() const { return m_provisioning; }
    ProvisioningJobsPane *jobsPane() const { return m_jobsPane; }

    // The menu with the context actions, as the table's context menu shows it.
    QMenu *hostContextMenu() const { return m_contextMenu; }

Q_SIGNALS:
    void languageOverrideRequested(const QString &localeName);
    void sessionStarted(aetherv::ui::ConsoleSession *session);
    void profilesSaved();

private:
    void buildActions();
    void buildMenus();
    void buildCentral();
    void buildStatusBar();
    void refillProfileBox();
    void onProfileBoxActivated(int index);
    void requestCredentials(const config::Profile &profile, bool prompt, const QString &why);
    void startSession(const config::Profile &profile, const Credentials &credentials);
    void endSession();
    void updateActions();
    void updateStatus();
    void onSummaryChanged(const deploy::RolloutSummary &summary);
    void onOperationFinished(const deploy::RolloutSummary &summary);
    void onSelectionChanged();
    void showContextMenu(const QPoint &pos);
    void applyEditedProfiles(const QList<config::Profile> &edited);

    void check();
    void deployOutdated();
    void deploySelected();
    void forceRedeploy();
    void cancel();
    void smokeTest();
    void copyError();
    void showLog();
    void confirm(const QString &title, const QString &text, std::function<void()> onYes);

    ConsoleContext m_ctx;
    QList<config::Profile> m_profiles;
    QString m_currentId;
    QPointer<ConsoleSession> m_session;
    quint64 m_sessionGeneration = 0;

    HostTableModel *m_model;
    HostFilterProxyModel *m_proxy;
    HostLogBook *m_logBook;
    RolloutNotifier *m_notifier;
    QComboBox *m_profileBox = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QTableView *m_table = nullptr;
    RolloutBanner *m_banner = nullptr;
    LogPane *m_logPane = nullptr;
    ProvisioningJobsPane *m_jobsPane = nullptr;
    QTabWidget *m_bottomTabs = nullptr;
    QPointer<provision::ProvisioningService> m_provisioning;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QMenu *m_contextMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QHash<int, QAction *> m_actions;
    ConfirmHandler m_confirm;
};

} // namespace aetherv::ui
