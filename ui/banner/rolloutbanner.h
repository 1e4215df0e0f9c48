#pragma once

#include "core/deploy/rolloutsummary.h"

#include <QFrame>

class QLabel;

namespace aetherv::ui {

// The "Agent deployment" banner across the top of the main window. Shows bannerText() of the
// current RolloutSummary on the colour of bannerLevel(); stays visible while it says something
// relevant (always, except before the first summary arrives).
class RolloutBanner : public QFrame
{
    Q_OBJECT
public:
    explicit RolloutBanner(QWidget *parent = nullptr);

    void setSummary(const deploy::RolloutSummary &summary);
    deploy::RolloutSummary summary() const { return m_summary; }
    deploy::BannerLevel level() const { return m_level; }
    QString text() const;

private:
    void applyLevel();
    deploy::RolloutSummary m_summary;
    deploy::BannerLevel m_level = deploy::BannerLevel::Info;
    QLabel *m_icon;
    QLabel *m_text;
};

} // namespace aetherv::ui
