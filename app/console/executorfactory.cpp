#include "app/console/executorfactory.h"

#include "core/deploy/winrmscriptexecutor.h"

namespace aetherv::console {

ui::ExecutorFactory winRmExecutorFactory()
{
    return [](const config::Profile &profile, const Credentials &credentials)
               -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return deploy::makeWinRmExecutor(profile, credentials);
    };
}

} // namespace aetherv::console
