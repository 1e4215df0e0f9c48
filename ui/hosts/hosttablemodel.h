#pragma once

#include "core/deploy/hoststatus.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>

namespace aetherv::deploy {
class HostDeploymentService;
}

namespace aetherv::ui {

// One row per host of the profile, in the service's order. Updates arrive as batches (the
// service coalesces them into one hostsChanged() per tick); a batch emits dataChanged per changed
// row, limited to the columns that changed, or one full-range dataChanged when most rows changed.
class HostTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Host,
        State,
        HostVersion,
        BundleVersion,
        Progress,
        LastChecked,
        Duration,
        Message,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // numbers, enums and dates for sorting and delegates
        StateRole,                       // int(deploy::HostState), any column
        HostRole,                        // host name, any column
        BytesDoneRole,                   // this rollout's downloaded bytes, any column
        BytesTotalRole,                  // this rollout's total bytes, any column
        CurrentFileRole,                 // the file being downloaded, any column
    };

    // Above this share of changed rows a batch emits one full-range dataChanged.
    static constexpr double kFullRefreshShare = 0.5;

    explicit HostTableModel(QObject *parent = nullptr);

    // Follows `service`: resets to its hosts now and applies every hostsChanged() batch.
    // Call resync() after changing the service's settings (hosts added or removed).
    void setService(deploy::HostDeploymentService *service);
    void resync();

    // Replaces every row.
    void setStatuses(const QList<deploy::HostStatus> &statuses);
    // Applies one batch: known hosts are updated in place, unknown hosts are appended.
    void applyBatch(const QList<deploy::HostStatus> &statuses);

    const deploy::HostStatus &statusAt(int row) const { return m_rows.at(row); }
    int rowOfHost(const QString &host) const { return m_index.value(host, -1); }
    QStringList hosts() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // Statistics of the last applied batch, for tests and diagnostics.
    struct BatchStats
    {
        int hosts = 0;
        int changedRows = 0;
        int appendedRows = 0;
        bool fullRefresh = false;
    };
    BatchStats lastBatch() const { return m_lastBatch; }

    static QString formatDuration(qint64 ms);
    static QString formatProgress(qint64 done, qint64 total);

private:
    void onHostsChanged(const QStringList &hosts);
    QVariant displayValue(const deploy::HostStatus &s, int column) const;
    QVariant rawValue(const deploy::HostStatus &s, int column) const;
    static std::pair<int, int> changedColumns(const deploy::HostStatus &a,
                                              const deploy::HostStatus &b);

    QPointer<deploy::HostDeploymentService> m_service;
    QMetaObject::Connection m_connection;
    QList<deploy::HostStatus> m_rows;
    QHash<QString, int> m_index;
    BatchStats m_lastBatch;
};

} // namespace aetherv::ui
