#pragma once

#include <QHash>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace aetherv::provision {
class ProvisioningService;
}

namespace aetherv::ui {

class ProvisioningJobModel;

// The console's jobs pane: every provisioning job of the session with its state and current
// step, and below it the selected job's step and progress lines as they arrive.
class ProvisioningJobsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ProvisioningJobsPane(QWidget *parent = nullptr);

    void setService(provision::ProvisioningService *service);
    ProvisioningJobModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The lines shown for a job (what the detail view displays when it is selected).
    QStringList lines(const QString &id) const { return m_lines.value(id); }
    void selectJob(const QString &id);
    QString selectedJob() const;

private:
    void onLine(const QString &id, const QString &text);
    void onChanged(const QString &id);
    void showSelected();

    ProvisioningJobModel *m_model;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QPushButton *m_cancel;
    QPointer<provision::ProvisioningService> m_service;
    QHash<QString, QStringList> m_lines;
    QHash<QString, QString> m_lastReason;
};

} // namespace aetherv::ui
