#include "ui/common/stateicons.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace aetherv::ui {

using deploy::BannerLevel;
using deploy::HostState;

QColor stateColor(HostState state)
{
    switch (state) {
    case HostState::Current:
        return QColor(0x2e, 0x7d, 0x32);
    case HostState::Outdated:
    case HostState::Drifted:
    case HostState::Legacy:
        return QColor(0xef, 0x8f, 0x00);
    case HostState::Ahead:
        return QColor(0x15, 0x65, 0xc0);
    case HostState::Checking:
    case HostState::Deploying:
    case HostState::Verifying:
        return QColor(0x02, 0x88, 0xd1);
    case HostState::Failed:
    case HostState::Unreachable:
    case HostState::AuthFailed:
        return QColor(0xc6, 0x28, 0x28);
    case HostState::Locked:
        return QColor(0x6a, 0x1b, 0x9a);
    case HostState::Cancelled:
    case HostState::Unknown:
        return QColor(0x75, 0x75, 0x75);
    }
    return QColor(0x75, 0x75, 0x75);
}

QColor bannerColor(BannerLevel level)
{
    switch (level) {
    case BannerLevel::Info:
        return QColor(0xe3, 0xf2, 0xfd);
    case BannerLevel::Progress:
        return QColor(0xe1, 0xf5, 0xfe);
    case BannerLevel::Success:
        return QColor(0xe8, 0xf5, 0xe9);
    case BannerLevel::Warning:
        return QColor(0xff, 0xf3, 0xe0);
    case BannerLevel::Error:
        return QColor(0xff, 0xeb, 0xee);
    }
    return QColor(0xe3, 0xf2, 0xfd);
}

QColor bannerTextColor(BannerLevel level)
{
    switch (level) {
    case BannerLevel::Info:
        return QColor(0x0d, 0x47, 0xa1);
    case BannerLevel::Progress:
        return QColor(0x01, 0x57, 0x9b);
    case BannerLevel::Success:
        return QColor(0x1b, 0x5e, 0x20);
    case BannerLevel::Warning:
        return QColor(0x8a, 0x4b, 0x00);
    case BannerLevel::Error:
        return QColor(0xb7, 0x1c, 0x1c);
    }
    return QColor(0x0d, 0x47, 0xa1);
}

static QPixmap paintStateIcon(HostState state, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = stateColor(state);
    const qreal m = size * 0.12;
    const QRectF r(m, m, size - 2 * m, size - 2 * m);
    if (deploy::isBusy(state)) {
        p.setPen(QPen(c, size * 0.14));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(size * 0.06, size * 0.06, -size * 0.06, -size * 0.06));
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawPie(r, 90 * 16, -120 * 16);
    } else {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(r);
        p.setPen(QPen(Qt::white, size * 0.12, Qt::SolidLine, Qt::RoundCap));
        const qreal a = size * 0.34, b = size * 0.66;
        if (deploy::isFailure(state)) {
            p.drawLine(QPointF(a, a), QPointF(b, b));
            p.drawLine(QPointF(a, b), QPointF(b, a));
        } else if (state == HostState::Current) {
            p.drawLine(QPointF(size * 0.3, size * 0.52), QPointF(size * 0.45, size * 0.66));
            p.drawLine(QPointF(size * 0.45, size * 0.66), QPointF(size * 0.7, size * 0.36));
        } else if (state == HostState::Outdated || state == HostState::Drifted
                   || state == HostState::Legacy) {
            p.drawLine(QPointF(size * 0.5, size * 0.3), QPointF(size * 0.5, size * 0.55));
            p.drawPoint(QPointF(size * 0.5, size * 0.7));
        }
    }
    return pm;
}

QIcon stateIcon(HostState state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(state));
    if (it != cache.end())
        return *it;
    QIcon icon;
    for (int size : {16, 24, 32})
        icon.addPixmap(paintStateIcon(state, size));
    return *cache.insert(int(state), icon);
}

static QPixmap paintApplicationIcon(int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    // Rounded tile, three stacked hosts, and a downward arrow: the bundle landing on the fleet.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x1e, 0x3a, 0x5f));
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
    p.setBrush(QColor(0xe3, 0xf2, 0xfd));
    for (int i = 0; i < 3; ++i)
        p.drawRoundedRect(QRectF(12, 30 + i * 9, 40, 6), 2, 2);
    p.setBrush(QColor(0x4c, 0xaf, 0x50));
    for (int i = 0; i < 3; ++i)
        p.drawEllipse(QPointF(46, 33 + i * 9), 1.6, 1.6);
    QPainterPath arrow;
    arrow.moveTo(28, 8);
    arrow.lineTo(36, 8);
    arrow.lineTo(36, 17);
    arrow.lineTo(42, 17);
    arrow.lineTo(32, 26);
    arrow.lineTo(22, 17);
    arrow.lineTo(28, 17);
    arrow.closeSubpath();
    p.setBrush(QColor(0x4f, 0xc3, 0xf7));
    p.drawPath(arrow);
    return pm;
}

QIcon applicationIcon()
{
    static QIcon icon = [] {
        QIcon i;
        for (int size : {16, 24, 32, 48, 64, 128, 256})
            i.addPixmap(paintApplicationIcon(size));
        return i;
    }();
    return icon;
}

} // namespace aetherv::ui
