#pragma once

#include "core/provision/provisioningjob.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace aetherv::ui {

// "Provision VM…": the fields of a provisioning job with inline validation (the agent's schema
// and rules, checked on every edit, the offending field marked with the reason). Accepting
// emits provisionRequested with the host and the job document; the dialog never talks to a host.
class ProvisionDialog : public QDialog
{
    Q_OBJECT
public:
    ProvisionDialog(const QStringList &hosts, const QString &selectedHost,
                    QWidget *parent = nullptr);

    provision::ProvisioningFields fields() const;
    void setFields(const provision::ProvisioningFields &fields);
    QJsonObject job() const;
    QString host() const;
    // The issues found in the current fields (empty when the job is valid).
    QList<provision::JobIssue> issues() const { return m_issues; }
    // The widget an issue's field belongs to (for tests and focus).
    QWidget *widgetForField(const QString &field) const;

Q_SIGNALS:
    void provisionRequested(const QString &host, const QJsonObject &job);

private:
    void revalidate();
    void addDataRow(const QString &key = {}, const QString &value = {});

    QComboBox *m_host;
    QLineEdit *m_name;
    QLineEdit *m_hostName;
    QLineEdit *m_image;
    QLineEdit *m_imageDirectory;
    QComboBox *m_generation;
    QSpinBox *m_cpu;
    QSpinBox *m_memory;
    QCheckBox *m_dynamic;
    QSpinBox *m_memoryMin;
    QSpinBox *m_memoryMax;
    QLineEdit *m_switch;
    QSpinBox *m_vlan;
    QComboBox *m_os;
    QCheckBox *m_start;
    QTableWidget *m_data;
    QLabel *m_problems;
    QDialogButtonBox *m_buttons;
    QString m_jobId;
    QList<provision::JobIssue> m_issues;
};

} // namespace aetherv::ui
