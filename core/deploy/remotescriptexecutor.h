#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

namespace aetherv::tasks {
class TaskContext;
}

namespace aetherv::deploy {

// The seam between deployment logic and the wire: run one remote script (a resource under
// :/powershell/) on one host with one JSON parameter document, deliver its progress events as
// they arrive, and return its single result object. Implementations run on the task's pool thread
// and may run that thread's event loop; on ctx cancellation they stop the remote command (Signal +
// Delete) before returning. Errors that are not the script's own (network, auth, WS-Man faults,
// timeouts) come back as Error; the script's own failures come back as a result object with
// "outcome":"failed".
class RemoteScriptExecutor
{
public:
    virtual ~RemoteScriptExecutor() = default;
    virtual Result<QJsonObject>
    run(const QString &host, const QString &scriptName, const QJsonObject &parameters,
        const std::function<void(const QJsonObject &)> &onProgress, tasks::TaskContext &ctx)
        = 0;
};

// Splits script stdout into JSON lines: progress events go to onProgress, exactly one
// {"event":"result"} is returned. Anything else (non-JSON text, two results, no result) is a
// protocol error naming the script.
class ScriptOutputParser
{
public:
    ScriptOutputParser(QString scriptName, std::function<void(const QJsonObject &)> onProgress);
    void feed(QByteArrayView bytes);
    Result<QJsonObject> finish(int exitCode, const QString &stderrText);

private:
    void line(QByteArrayView text);
    QString m_script;
    std::function<void(const QJsonObject &)> m_onProgress;
    QByteArray m_pending;
    QJsonObject m_result;
    int m_results = 0;
    QStringList m_stray;
};

} // namespace aetherv::deploy
