#pragma once

#include "core/config/profile.h"
#include "core/config/validationissue.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace aetherv::ui {

// Edits every setting of one config::Profile. Each field has its JSON path (the one
// Profile::validate() names in ValidationIssue::field) and an inline message label below it.
class ProfileEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileEditor(QWidget *parent = nullptr);

    void setProfile(const config::Profile &profile);
    // The profile as edited. Host lines that do not parse are left out and reported by
    // hostListIssues().
    config::Profile profile() const;
    QList<config::ValidationIssue> hostListIssues() const;

    // Shows each issue under its field (hosts[3] → the host list); issues without a field of
    // this editor are returned for the caller to show elsewhere.
    QList<config::ValidationIssue> showIssues(const QList<config::ValidationIssue> &issues);
    // The inline message currently shown for a field path ("" when none).
    QString issueText(const QString &field) const;

    // The widget that edits a field path (for tests and focus).
    QWidget *fieldWidget(const QString &field) const { return m_widgets.value(field); }
    void setHostListText(const QString &text);

Q_SIGNALS:
    void edited();

private:
    QWidget *row(QFormLayout *form, const QString &field, const QString &label, QWidget *editor,
                 const QString &help = {});
    QLineEdit *lineEdit(QFormLayout *form, const QString &field, const QString &label,
                        const QString &help = {});
    QSpinBox *spinBox(QFormLayout *form, const QString &field, const QString &label, int min,
                      int max, const QString &suffix = {}, const QString &help = {});
    QCheckBox *checkBox(QFormLayout *form, const QString &field, const QString &text,
                        const QString &help = {});
    QWidget *generalPage();
    QWidget *hostsPage();
    QWidget *winrmPage();
    QWidget *serverPage();
    QWidget *policyPage();
    void importCsv();
    void updateHostSummary();

    config::Profile m_base; // fields this editor does not show (id) come from here
    bool m_loading = false;
    QTabWidget *m_tabs;
    QHash<QString, QWidget *> m_widgets;
    QHash<QString, QLabel *> m_issueLabels;

    QLineEdit *m_name = nullptr;
    QComboBox *m_environment = nullptr;
    QLabel *m_id = nullptr;
    QLineEdit *m_installDirectory = nullptr;
    QLineEdit *m_downloadBaseUrl = nullptr;
    QLineEdit *m_bundleDirectory = nullptr;
    QSpinBox *m_downloadMaxAttempts = nullptr;
    QSpinBox *m_downloadRetryInterval = nullptr;
    QSpinBox *m_downloadParallelism = nullptr;

    QPlainTextEdit *m_hosts = nullptr;
    QLabel *m_hostSummary = nullptr;

    QComboBox *m_transport = nullptr;
    QSpinBox *m_winrmPort = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_userName = nullptr;
    QLineEdit *m_spnService = nullptr;
    QLineEdit *m_spnTarget = nullptr;
    QCheckBox *m_delegation = nullptr;
    QLineEdit *m_caFile = nullptr;
    QCheckBox *m_ignoreTls = nullptr;
    QCheckBox *m_basicOverHttp = nullptr;
    QSpinBox *m_operationTimeout = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QSpinBox *m_commandDeadline = nullptr;

    QLineEdit *m_listenAddress = nullptr;
    QSpinBox *m_serverPort = nullptr;
    QLineEdit *m_certificate = nullptr;
    QLineEdit *m_privateKey = nullptr;
    QSpinBox *m_maxConnections = nullptr;
    QSpinBox *m_idleTimeout = nullptr;

    QSpinBox *m_deploymentConcurrency = nullptr;
    QSpinBox *m_inventoryConcurrency = nullptr;
    QSpinBox *m_diagnosticsConcurrency = nullptr;
    QSpinBox *m_deployDeadline = nullptr;
    QSpinBox *m_checkDeadline = nullptr;
    QSpinBox *m_ingressTimeout = nullptr;
    QSpinBox *m_ingressInterval = nullptr;
    QCheckBox *m_startupDeployment = nullptr;
    QSpinBox *m_verifiedCacheTtl = nullptr;
    QSpinBox *m_lockExpiry = nullptr;
    QSpinBox *m_backoffBase = nullptr;
    QSpinBox *m_backoffMax = nullptr;
};

} // namespace aetherv::ui
