#include "ui/provision/provisioningjobmodel.h"

#include "core/provision/provisioningservice.h"

#include <QBrush>
#include <QColor>

namespace aetherv::ui {

using provision::JobState;
using provision::ProvisioningJob;

ProvisioningJobModel::ProvisioningJobModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ProvisioningJobModel::setService(provision::ProvisioningService *service)
{
    if (m_service)
        m_service->disconnect(this);
    beginResetModel();
    m_service = service;
    m_jobs = service ? service->jobs() : QList<ProvisioningJob>();
    endResetModel();
    if (!service)
        return;
    connect(service, &provision::ProvisioningService::jobAdded, this,
            &ProvisioningJobModel::onAdded);
    connect(service, &provision::ProvisioningService::jobChanged, this,
            &ProvisioningJobModel::onChanged);
}

void ProvisioningJobModel::onAdded(const QString &id)
{
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    m_jobs.append(m_service->job(id));
    endInsertRows();
}

void ProvisioningJobModel::onChanged(const QString &id)
{
    const int row = rowOfJob(id);
    if (row < 0)
        return;
    m_jobs[row] = m_service->job(id);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int ProvisioningJobModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int ProvisioningJobModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ProvisioningJobModel::rowOfJob(const QString &id) const
{
    for (int i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i).id == id)
            return i;
    }
    return -1;
}

ProvisioningJob ProvisioningJobModel::jobAt(int row) const
{
    return row >= 0 && row < m_jobs.size() ? m_jobs.at(row) : ProvisioningJob();
}

QString ProvisioningJobModel::stepSummary(const ProvisioningJob &job)
{
    int done = 0;
    const provision::JobStep *current = nullptr;
    for (const provision::JobStep &s : job.steps) {
        if (s.status == u"succeeded" || s.status == u"skipped")
            ++done;
        else if (!current && s.status != u"pending")
            current = &s;
    }
    if (!current) {
        for (const provision::JobStep &s : job.steps) {
            if (s.status == u"pending") {
                current = &s;
                break;
            }
        }
    }
    if (!current)
        return tr("%1/%2 steps").arg(done).arg(job.steps.size());
    return tr("%1/%2 %3: %4").arg(done).arg(job.steps.size()).arg(current->name, current->status);
}

QVariant ProvisioningJobModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const ProvisioningJob &j = m_jobs.at(index.row());
    if (role == JobIdRole)
        return j.id;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Job:
            return j.jobId.isEmpty() ? j.id : QStringLiteral("%1 (%2)").arg(j.id, j.jobId);
        case Host:
            return j.host;
        case Vm:
            return j.vmName;
        case State:
            return provision::jobStateLabel(j.state);
        case Step:
            return stepSummary(j);
        case Reason:
            return j.reason;
        default:
            return {};
        }
    }
    if (role == RawValueRole) {
        switch (index.column()) {
        case State:
            return int(j.state);
        case Job:
            return j.submitted;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        switch (j.state) {
        case JobState::Succeeded:
            return QBrush(QColor(0x1b, 0x7f, 0x3b));
        case JobState::Failed:
        case JobState::Refused:
            return QBrush(QColor(0xb0, 0x1e, 0x1e));
        default:
            return {};
        }
    }
    return {};
}

QVariant ProvisioningJobModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Job:
        return tr("Job");
    case Host:
        return tr("Host");
    case Vm:
        return tr("VM");
    case State:
        return tr("State");
    case Step:
        return tr("Step");
    case Reason:
        return tr("Reason");
    default:
        return {};
    }
}

} // namespace aetherv::ui
