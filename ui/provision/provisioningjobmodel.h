#pragma once

#include "core/provision/provisioningjobstatus.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace aetherv::provision {
class ProvisioningService;
}

namespace aetherv::ui {

// The provisioning jobs of the session, one row each, updated live from ProvisioningService.
class ProvisioningJobModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Job, Host, Vm, State, Step, Reason, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole + 1, JobIdRole };

    explicit ProvisioningJobModel(QObject *parent = nullptr);

    void setService(provision::ProvisioningService *service);
    provision::ProvisioningService *service() const { return m_service; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    int rowOfJob(const QString &id) const;
    provision::ProvisioningJob jobAt(int row) const;

    // "3/6 registerVM: running" for a job's steps.
    static QString stepSummary(const provision::ProvisioningJob &job);

private:
    void onAdded(const QString &id);
    void onChanged(const QString &id);

    QPointer<provision::ProvisioningService> m_service;
    QList<provision::ProvisioningJob> m_jobs;
};

} // namespace aetherv::ui
