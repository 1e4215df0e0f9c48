#pragma once

#include <QStyledItemDelegate>

namespace aetherv::ui {

// Paints the host table's progress column as a progress bar (QStyle::CE_ProgressBar) with
// "percent · bytes of total" on it. No widget per row: 1 000 rows cost one paint call each when
// visible and nothing otherwise.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The bar this delegate would paint for `index`; false when the cell shows no bar.
    static bool progressOption(const QStyleOptionViewItem &option, const QModelIndex &index,
                               QStyleOptionProgressBar *bar);
};

} // namespace aetherv::ui
