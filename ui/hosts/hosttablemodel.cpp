#include "ui/hosts/hosttablemodel.h"

#include "core/deploy/hostdeploymentservice.h"
#include "ui/common/stateicons.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

namespace aetherv::ui {

using deploy::HostState;
using deploy::HostStatus;

HostTableModel::HostTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void HostTableModel::setService(deploy::HostDeploymentService *service)
{
    disconnect(m_connection);
    m_service = service;
    if (service) {
        m_connection = connect(service, &deploy::HostDeploymentService::hostsChanged, this,
                               &HostTableModel::onHostsChanged);
    }
    resync();
}

void HostTableModel::resync()
{
    setStatuses(m_service ? m_service->statuses() : QList<HostStatus>());
}

void HostTableModel::onHostsChanged(const QStringList &hosts)
{
    if (!m_service)
        return;
    QList<HostStatus> batch;
    batch.reserve(hosts.size());
    for (const QString &h : hosts)
        batch << m_service->status(h);
    applyBatch(batch);
}

void HostTableModel::setStatuses(const QList<HostStatus> &statuses)
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    m_rows.reserve(statuses.size());
    for (const HostStatus &s : statuses) {
        if (m_index.contains(s.host))
            continue;
        m_index.insert(s.host, int(m_rows.size()));
        m_rows << s;
    }
    endResetModel();
    m_lastBatch = {int(statuses.size()), int(m_rows.size()), 0, true};
}

void HostTableModel::applyBatch(const QList<HostStatus> &statuses)
{
    BatchStats stats;
    stats.hosts = int(statuses.size());
    // Which rows change, before anything is written: a proxy that re-sorts on each dataChanged
    // must only ever see rows whose signals it has already received.
    QList<HostStatus> appended;
    QSet<int> changedRows;
    for (const HostStatus &s : statuses) {
        const int row = m_index.value(s.host, -1);
        if (row < 0) {
            if (std::ranges::none_of(appended,
                                     [&](const HostStatus &a) { return a.host == s.host; }))
                appended << s;
            continue;
        }
        if (changedColumns(m_rows.at(row), s).first >= 0)
            changedRows.insert(row);
    }
    stats.changedRows = int(changedRows.size());
    const QList<int> roles; // every role: display, decoration, raw values
    if (!m_rows.isEmpty() && changedRows.size() > kFullRefreshShare * double(m_rows.size())) {
        // Most rows changed: write them all, then one signal over the whole table.
        stats.fullRefresh = true;
        for (const HostStatus &s : statuses) {
            const int row = m_index.value(s.host, -1);
            if (row >= 0)
                m_rows[row] = s;
        }
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), roles);
    } else {
        // Each row is written and announced together, limited to the columns that changed.
        for (const HostStatus &s : statuses) {
            const int row = m_index.value(s.host, -1);
            if (row < 0)
                continue;
            const auto [first, last] = changedColumns(m_rows.at(row), s);
            m_rows[row] = s;
            if (first >= 0)
                Q_EMIT dataChanged(index(row, first), index(row, last), roles);
        }
    }
    if (!appended.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(appended.size()) - 1);
        for (const HostStatus &s : std::as_const(appended)) {
            m_index.insert(s.host, int(m_rows.size()));
            m_rows << s;
        }
        endInsertRows();
        stats.appendedRows = int(appended.size());
    }
    m_lastBatch = stats;
}

std::pair<int, int> HostTableModel::changedColumns(const HostStatus &a, const HostStatus &b)
{
    bool diff[ColumnCount] = {};
    diff[Host] = a.host != b.host;
    diff[State] = a.state != b.state;
    diff[HostVersion] = a.hostVersion != b.hostVersion;
    diff[BundleVersion] = a.bundleVersion != b.bundleVersion;
    diff[Progress] = a.bytesDone != b.bytesDone || a.bytesTotal != b.bytesTotal
                     || a.currentFile != b.currentFile || a.state != b.state;
    diff[LastChecked] = a.lastChecked != b.lastChecked;
    diff[Duration] = a.lastDurationMs != b.lastDurationMs;
    diff[Message] = a.message != b.message;
    int first = -1, last = -1;
    for (int c = 0; c < ColumnCount; ++c) {
        if (diff[c]) {
            if (first < 0)
                first = c;
            last = c;
        }
    }
    if (first < 0
        && (a.lockOwner != b.lockOwner || a.attempts != b.attempts || a.verifiedAt != b.verifiedAt
            || a.nextRetry != b.nextRetry)) {
        // Only tool-tip data changed.
        return {State, Message};
    }
    return {first, last};
}

QStringList HostTableModel::hosts() const
{
    QStringList out;
    out.reserve(m_rows.size());
    for (const HostStatus &s : m_rows)
        out << s.host;
    return out;
}

int HostTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags HostTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QString HostTableModel::formatDuration(qint64 ms)
{
    if (ms <= 0)
        return QString();
    const QLocale locale;
    if (ms < 1000)
        return tr("%1 ms", "duration in milliseconds").arg(ms);
    if (ms < 10'000)
        return tr("%1 s", "duration in seconds").arg(locale.toString(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("%1 min %2 s", "duration").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min", "duration")
        .arg(s / 3600)
        .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString HostTableModel::formatProgress(qint64 done, qint64 total)
{
    if (total <= 0)
        return QString();
    const QLocale locale;
    const int percent = int(std::clamp<qint64>(done * 100 / total, 0, 100));
    //: progress of one host's download: percent, bytes done, bytes total
    return tr("%1 % · %2 of %3")
        .arg(percent)
        .arg(locale.formattedDataSize(done), locale.formattedDataSize(total));
}

QVariant HostTableModel::displayValue(const HostStatus &s, int column) const
{
    switch (Column(column)) {
    case Host:
        return s.host;
    case State:
        return deploy::hostStateLabel(s.state);
    case HostVersion:
        return s.hostVersion;
    case BundleVersion:
        return s.bundleVersion;
    case Progress:
        return formatProgress(s.bytesDone, s.bytesTotal);
    case LastChecked:
        return s.lastChecked.isValid()
                   ? QLocale().toString(s.lastChecked.toLocalTime(), QLocale::ShortFormat)
                   : QString();
    case Duration:
        return formatDuration(s.lastDurationMs);
    case Message:
        return s.message;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant HostTableModel::rawValue(const HostStatus &s, int column) const
{
    switch (Column(column)) {
    case Host:
        return s.host.toLower();
    case State:
        return int(s.state);
    case HostVersion:
        return s.hostVersion;
    case BundleVersion:
        return s.bundleVersion;
    case Progress:
        return s.bytesTotal > 0 ? double(s.bytesDone) / double(s.bytesTotal) : -1.0;
    case LastChecked:
        return s.lastChecked;
    case Duration:
        return s.lastDurationMs;
    case Message:
        return s.message;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant HostTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HostStatus &s = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(s, column);
    case Qt::EditRole:
    case RawValueRole:
        return rawValue(s, column);
    case Qt::DecorationRole:
        return column == State ? QVariant(stateIcon(s.state)) : QVariant();
    case Qt::ToolTipRole:
        if (column == State && s.state == HostState::Locked && !s.lockOwner.isEmpty())
            return tr("Locked by %1").arg(s.lockOwner);
        if (column == Message || column == State)
            return s.message.isEmpty() ? QVariant() : QVariant(s.message);
        if (column == Progress && !s.currentFile.isEmpty())
            return tr("Downloading %1").arg(s.currentFile);
        return {};
    case Qt::TextAlignmentRole:
        if (column == Duration)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == Message && deploy::isFailure(s.state))
            return stateColor(s.state);
        return {};
    case StateRole:
        return int(s.state);
    case HostRole:
        return s.host;
    case BytesDoneRole:
        return s.bytesDone;
    case BytesTotalRole:
        return s.bytesTotal;
    case CurrentFileRole:
        return s.currentFile;
    default:
        return {};
    }
}

QVariant HostTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (Column(section)) {
    case Host:
        return tr("Host");
    case State:
        return tr("State");
    case HostVersion:
        return tr("Host version");
    case BundleVersion:
        return tr("Bundle version");
    case Progress:
        //: column header: download progress of this rollout
        return tr("Progress");
    case LastChecked:
        return tr("Last checked");
    case Duration:
        return tr("Duration");
    case Message:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace aetherv::ui
