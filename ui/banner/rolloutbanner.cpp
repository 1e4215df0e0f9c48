#include "ui/banner/rolloutbanner.h"

#include "ui/common/stateicons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace aetherv::ui {

using deploy::BannerLevel;

RolloutBanner::RolloutBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("rolloutBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("bannerText"));
    QFont f = m_text->font();
    f.setBold(true);
    m_text->setFont(f);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    setAccessibleName(tr("Agent deployment"));
    setVisible(false);
}

QString RolloutBanner::text() const
{
    return m_text->text();
}

void RolloutBanner::setSummary(const deploy::RolloutSummary &summary)
{
    m_summary = summary;
    m_level = deploy::bannerLevel(summary);
    m_text->setText(deploy::bannerText(summary));
    applyLevel();
    setVisible(true);
}

void RolloutBanner::applyLevel()
{
    QPalette pal = palette();
    pal.setColor(QPalette::Window, bannerColor(m_level));
    pal.setColor(QPalette::WindowText, bannerTextColor(m_level));
    setPalette(pal);
    m_text->setPalette(pal);
    QStyle::StandardPixmap sp = QStyle::SP_MessageBoxInformation;
    switch (m_level) {
    case BannerLevel::Info:
    case BannerLevel::Progress:
        sp = QStyle::SP_MessageBoxInformation;
        break;
    case BannerLevel::Success:
        sp = QStyle::SP_DialogApplyButton;
        break;
    case BannerLevel::Warning:
        sp = QStyle::SP_MessageBoxWarning;
        break;
    case BannerLevel::Error:
        sp = QStyle::SP_MessageBoxCritical;
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(sp, nullptr, this).pixmap(size, size));
    setProperty("level", int(m_level));
}

} // namespace aetherv::ui
