#pragma once

#include "core/deploy/hoststatus.h"
#include "core/deploy/rolloutsummary.h"

#include <QColor>
#include <QIcon>

namespace aetherv::ui {

// The colour that stands for a host state (table icon) and a banner level.
QColor stateColor(deploy::HostState state);
QColor bannerColor(deploy::BannerLevel level);     // background
QColor bannerTextColor(deploy::BannerLevel level); // text on that background

// A small round icon per state: filled for settled states, a ring for busy ones, a cross for
// failures. Painted once and cached; no image plugin needed.
QIcon stateIcon(deploy::HostState state);

// The application icon (the same motif as resources/icons/aetherv.svg), painted in code so that
// no SVG image plugin is needed at run time.
QIcon applicationIcon();

} // namespace aetherv::ui
