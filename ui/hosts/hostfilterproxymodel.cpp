#include "ui/hosts/hostfilterproxymodel.h"

#include "ui/hosts/hosttablemodel.h"

#include <QDateTime>

namespace aetherv::ui {

using deploy::HostState;

HostFilterProxyModel::HostFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(HostTableModel::RawValueRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

QSet<HostState> HostFilterProxyModel::statesOf(StateGroup group)
{
    switch (group) {
    case StateGroup::All:
        return {};
    case StateGroup::NeedsAttention:
        return {HostState::Outdated, HostState::Drifted,     HostState::Legacy,
                HostState::Failed,   HostState::Unreachable, HostState::AuthFailed,
                HostState::Locked,   HostState::Cancelled};
    case StateGroup::Busy:
        return {HostState::Checking, HostState::Deploying, HostState::Verifying};
    case StateGroup::NeedsBundle:
        return {HostState::Outdated, HostState::Drifted, HostState::Legacy};
    case StateGroup::Current:
        return {HostState::Current, HostState::Ahead};
    case StateGroup::Failures:
        return {HostState::Failed, HostState::Unreachable, HostState::AuthFailed,
                HostState::Locked};
    case StateGroup::Unchecked:
        return {HostState::Unknown};
    }
    return {};
}

QString HostFilterProxyModel::groupLabel(StateGroup group)
{
    switch (group) {
    case StateGroup::All:
        return tr("All states");
    case StateGroup::NeedsAttention:
        return tr("Needs attention");
    case StateGroup::Busy:
        return tr("Busy");
    case StateGroup::NeedsBundle:
        //: state filter: outdated, drifted or legacy hosts
        return tr("Needs the bundle");
    case StateGroup::Current:
        return tr("Current or ahead");
    case StateGroup::Failures:
        return tr("Failures");
    case StateGroup::Unchecked:
        return tr("Not checked");
    }
    return {};
}

void HostFilterProxyModel::setFilterText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    invalidateRowsFilter();
}

void HostFilterProxyModel::setStateFilter(const QSet<HostState> &states)
{
    if (states == m_states)
        return;
    m_states = states;
    invalidateRowsFilter();
}

bool HostFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *m = sourceModel();
    const QModelIndex first = m->index(sourceRow, 0, sourceParent);
    if (!m_states.isEmpty()) {
        const auto state = HostState(m->data(first, HostTableModel::StateRole).toInt());
        if (!m_states.contains(state))
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int c : {HostTableModel::Host, HostTableModel::State, HostTableModel::HostVersion,
                  HostTableModel::BundleVersion, HostTableModel::Message}) {
        if (m->data(m->index(sourceRow, c, sourceParent))
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool HostFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(HostTableModel::RawValueRole);
    const QVariant b = right.data(HostTableModel::RawValueRole);
    const int c = QVariant::compare(a, b) == QPartialOrdering::Less      ? -1
                  : QVariant::compare(a, b) == QPartialOrdering::Greater ? 1
                                                                         : 0;
    if (c != 0)
        return c < 0;
    if (a.isNull() != b.isNull())
        return a.isNull();
    // Stable tie-break by host name so equal keys keep a predictable order.
    return left.siblingAtColumn(HostTableModel::Host).data(HostTableModel::RawValueRole).toString()
           < right.siblingAtColumn(HostTableModel::Host)
                 .data(HostTableModel::RawValueRole)
                 .toString();
}

} // namespace aetherv::ui
