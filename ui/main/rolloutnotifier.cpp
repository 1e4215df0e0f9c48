#include "ui/main/rolloutnotifier.h"

#include "ui/common/stateicons.h"

#include <QSystemTrayIcon>

namespace aetherv::ui {

using deploy::RolloutState;

RolloutNotifier::Notification RolloutNotifier::notificationFor(const deploy::RolloutSummary &s)
{
    Notification n;
    if (s.total <= 0)
        return n;
    switch (s.state) {
    case RolloutState::Succeeded:
        n.title = tr("Agent deployment complete");
        break;
    case RolloutState::Failed:
        n.title = tr("Agent deployment failed on %n host(s)", nullptr, s.failed);
        break;
    case RolloutState::Cancelled:
        n.title = tr("Agent deployment cancelled");
        break;
    default:
        return n;
    }
    n.show = true;
    n.text = deploy::bannerText(s);
    n.level = deploy::bannerLevel(s);
    return n;
}

RolloutNotifier::RolloutNotifier(QObject *parent)
    : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(applicationIcon(), this);
        m_tray->setToolTip(tr("Aether-V console"));
        m_tray->show();
    }
}

void RolloutNotifier::rolloutFinished(const deploy::RolloutSummary &summary)
{
    const Notification n = notificationFor(summary);
    if (!n.show)
        return;
    m_last = n;
    if (!m_tray || !QSystemTrayIcon::supportsMessages())
        return;
    const QSystemTrayIcon::MessageIcon icon
        = n.level == deploy::BannerLevel::Error     ? QSystemTrayIcon::Critical
          : n.level == deploy::BannerLevel::Warning ? QSystemTrayIcon::Warning
                                                    : QSystemTrayIcon::Information;
    m_tray->showMessage(n.title, n.text, icon, 10'000);
}

} // namespace aetherv::ui
