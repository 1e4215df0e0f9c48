#pragma once

#include "core/deploy/hoststatus.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace aetherv::ui {

// Sorts the host table by HostTableModel::RawValueRole and filters it by free text (host,
// versions, message) and by a set of states.
class HostFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    // The state filter's presets, in the order the window offers them.
    enum class StateGroup { All, NeedsAttention, Busy, NeedsBundle, Current, Failures, Unchecked };
    Q_ENUM(StateGroup)
    static QSet<deploy::HostState> statesOf(StateGroup group);
    static QString groupLabel(StateGroup group);

    explicit HostFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    // Empty: every state.
    void setStateFilter(const QSet<deploy::HostState> &states);
    QSet<deploy::HostState> stateFilter() const { return m_states; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    QSet<deploy::HostState> m_states;
};

} // namespace aetherv::ui
