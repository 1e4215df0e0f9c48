#pragma once

#include "core/deploy/remotescriptexecutor.h"

#include <QList>
#include <QMutex>
#include <QPair>
#include <QStringList>

#include <algorithm>
#include <memory>

namespace aetherv::e2e {

// Passes every call to the real executor and remembers which script ran on which host, so a test
// can prove that a current host saw nothing but the version read.
class CountingExecutor : public deploy::RemoteScriptExecutor
{
public:
    explicit CountingExecutor(std::shared_ptr<deploy::RemoteScriptExecutor> inner)
        : m_inner(std::move(inner))
    {}

    Result<QJsonObject> run(const QString &host, const QString &scriptName,
                            const QJsonObject &parameters,
                            const std::function<void(const QJsonObject &)> &onProgress,
                            tasks::TaskContext &ctx) override
    {
        {
            QMutexLocker lock(&m_mutex);
            m_calls.append({host, scriptName});
            m_maxInFlight = std::max(m_maxInFlight, ++m_inFlight);
        }
        auto result = m_inner->run(host, scriptName, parameters, onProgress, ctx);
        QMutexLocker lock(&m_mutex);
        --m_inFlight;
        return result;
    }

    // The most remote scripts that ran at the same time.
    int maxInFlight() const
    {
        QMutexLocker lock(&m_mutex);
        return m_maxInFlight;
    }

    // The scripts run on `host`, in order.
    QStringList scripts(const QString &host) const
    {
        QMutexLocker lock(&m_mutex);
        QStringList out;
        for (const auto &c : m_calls) {
            if (c.first == host)
                out << c.second;
        }
        return out;
    }

    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_calls.clear();
        m_maxInFlight = m_inFlight;
    }

private:
    std::shared_ptr<deploy::RemoteScriptExecutor> m_inner;
    mutable QMutex m_mutex;
    QList<QPair<QString, QString>> m_calls;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
};

} // namespace aetherv::e2e
