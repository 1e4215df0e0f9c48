#pragma once

#include "core/deploy/rolloutsummary.h"

#include <QObject>
#include <QString>

class QSystemTrayIcon;

namespace aetherv::ui {

// Tells the operator, through the system tray, that a rollout ended (if the desktop has a tray;
// offscreen and bare X sessions have none, and nothing is shown).
class RolloutNotifier : public QObject
{
    Q_OBJECT
public:
    struct Notification
    {
        bool show = false;
        QString title;
        QString text;
        deploy::BannerLevel level = deploy::BannerLevel::Info;
    };
    // What to tell about a finished operation: only rollouts that ran on hosts, and only when they
    // ended (succeeded, failed, cancelled).
    static Notification notificationFor(const deploy::RolloutSummary &summary);

    explicit RolloutNotifier(QObject *parent = nullptr);

    bool hasTray() const { return m_tray != nullptr; }
    void rolloutFinished(const deploy::RolloutSummary &summary);
    Notification lastNotification() const { return m_last; }

private:
    QSystemTrayIcon *m_tray = nullptr;
    Notification m_last;
};

} // namespace aetherv::ui
