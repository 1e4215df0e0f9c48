#pragma once

#include "ui/session/consoleseams.h"

namespace aetherv::console {

// The executor the console reaches hosts with: WinRM (core/deploy/winrmscriptexecutor.h).
ui::ExecutorFactory winRmExecutorFactory();

} // namespace aetherv::console
