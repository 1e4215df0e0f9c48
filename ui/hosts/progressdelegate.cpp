#include "ui/hosts/progressdelegate.h"

#include "core/deploy/hoststatus.h"
#include "ui/hosts/hosttablemodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace aetherv::ui {

bool ProgressDelegate::progressOption(const QStyleOptionViewItem &option, const QModelIndex &index,
                                      QStyleOptionProgressBar *bar)
{
    const qint64 done = index.data(HostTableModel::BytesDoneRole).toLongLong();
    const qint64 total = index.data(HostTableModel::BytesTotalRole).toLongLong();
    const auto state = deploy::HostState(index.data(HostTableModel::StateRole).toInt());
    const bool busy = state == deploy::HostState::Deploying;
    if (total <= 0 && !busy)
        return false;
    if (option.widget)
        bar->initFrom(option.widget);
    bar->rect = option.rect.adjusted(2, 3, -2, -3);
    bar->state = option.state | QStyle::State_Horizontal;
    bar->direction = option.direction;
    bar->fontMetrics = option.fontMetrics;
    bar->palette = option.palette;
    bar->minimum = 0;
    bar->textVisible = true;
    bar->textAlignment = Qt::AlignCenter;
    if (total > 0) {
        // Scale to 0..10000: bytes can exceed int.
        bar->maximum = 10000;
        bar->progress = int(std::clamp<qint64>(done * 10000 / total, 0, 10000));
        bar->text = HostTableModel::formatProgress(done, total);
    } else {
        // Deploying, sizes not known yet.
        bar->maximum = 100;
        bar->progress = 0;
        //: progress bar text before the first download byte is known
        bar->text = tr("preparing…");
    }
    return true;
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    // Background and selection first, without the text.
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, w);
    QStyleOptionProgressBar bar;
    if (progressOption(option, index, &bar))
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, w);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    const int textWidth = option.fontMetrics.horizontalAdvance(
        HostTableModel::formatProgress(999'900'000, 1'000'000'000));
    s.setWidth(qMax(s.width(), textWidth + 24));
    return s;
}

} // namespace aetherv::ui
