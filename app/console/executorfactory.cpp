#include "app/console/executorfactory.h"

#include <QCoreApplication>

#if __has_include("core/deploy/winrmscriptexecutor.h")
#include "core/deploy/winrmscriptexecutor.h"
#define AETHERV_HAVE_WINRM_EXECUTOR 1
#endif

namespace aetherv::console {

ui::ExecutorFactory winRmExecutorFactory()
{
#ifdef AETHERV_HAVE_WINRM_EXECUTOR
    return [](const config::Profile &profile, const Credentials &credentials)
               -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return deploy::makeWinRmExecutor(profile, credentials);
    };
#else
    // A build of the console without core's WinRM transport cannot reach any host; it says so
    // instead of pretending.
    return [](const config::Profile &,
              const Credentials &) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return fail(ErrorCode::Configuration,
                    QCoreApplication::translate("ExecutorFactory",
                                                "this build of the console has no WinRM "
                                                "transport (core/deploy/winrmscriptexecutor.h)"));
    };
#endif
}

} // namespace aetherv::console
