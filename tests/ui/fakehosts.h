#pragma once

// Unit-test seam only: in-memory hosts behind RemoteScriptExecutor for the console's window and
// model tests. Deployments report progress over time, can be held mid-way (for screenshots and
// cancellation) and fail on request. The end-to-end tests run the real WinRM executor against
// aetherv-hostsim instead.

#include "core/artifacts/manifest.h"
#include "core/deploy/remotescriptexecutor.h"
#include "core/tasks/remotetaskrunner.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QMutex>
#include <QTimer>

#include <atomic>

struct FakeHostState
{
    enum class Mode { Normal, Fail, Hold, Unreachable };
    bool versionExists = false;
    QByteArray version;
    QByteArray digest;
    QList<aetherv::artifacts::ManifestEntry> files;
    Mode read = Mode::Normal;
    Mode deploy = Mode::Normal;
    int holdPercent = 40; // Hold: progress stops here until released or cancelled
    int deployCalls = 0;
    int cancelled = 0;
};

class FakeHosts : public aetherv::deploy::RemoteScriptExecutor
{
public:
    QList<aetherv::artifacts::ManifestEntry> bundleFiles; // what a deployment installs
    qint64 bytesPerHost = 300LL * 1024 * 1024;

    void set(const QString &host, const FakeHostState &state)
    {
        QMutexLocker l(&m_mutex);
        m_hosts[host] = state;
    }
    FakeHostState host(const QString &name)
    {
        QMutexLocker l(&m_mutex);
        return m_hosts.value(name);
    }
    void setDeployMode(const QString &host, FakeHostState::Mode mode)
    {
        QMutexLocker l(&m_mutex);
        m_hosts[host].deploy = mode;
    }
    void release() { m_released = true; }

    aetherv::Result<QJsonObject> run(const QString &name, const QString &script,
                                     const QJsonObject &params,
                                     const std::function<void(const QJsonObject &)> &onProgress,
                                     aetherv::tasks::TaskContext &ctx) override
    {
        using aetherv::ErrorCode;
        using Mode = FakeHostState::Mode;
        QMutexLocker l(&m_mutex);
        FakeHostState &h = m_hosts[name];
        if (script == u"Read-AgentState.ps1") {
            if (h.read == Mode::Unreachable)
                return aetherv::fail(ErrorCode::Network,
                                     QStringLiteral("connection refused by %1:5985").arg(name));
            return QJsonObject{
                {QStringLiteral("event"), QStringLiteral("result")},
                {QStringLiteral("outcome"), QStringLiteral("ok")},
                {QStringLiteral("installDirectoryExists"), h.versionExists},
                {QStringLiteral("version"),
                 QJsonObject{
                     {QStringLiteral("exists"), h.versionExists},
                     {QStringLiteral("base64"), QString::fromLatin1(h.version.toBase64())}}},
                {QStringLiteral("manifest"),
                 QJsonObject{{QStringLiteral("exists"), !h.digest.isEmpty()},
                             {QStringLiteral("valid"), true},
                             {QStringLiteral("digest"), QString::fromLatin1(h.digest)}}},
                {QStringLiteral("legacy"), QJsonObject()},
                {QStringLiteral("lock"), QJsonValue()}};
        }
        if (script == u"Test-AgentInstall.ps1") {
            QJsonArray files;
            for (const auto &f : std::as_const(h.files))
                files.append(
                    QJsonObject{{QStringLiteral("name"), f.name},
                                {QStringLiteral("size"), f.size},
                                {QStringLiteral("sha256"), QString::fromLatin1(f.sha256)}});
            return QJsonObject{{QStringLiteral("event"), QStringLiteral("result")},
                               {QStringLiteral("outcome"), QStringLiteral("ok")},
                               {QStringLiteral("exists"), h.versionExists},
                               {QStringLiteral("files"), files},
                               {QStringLiteral("version"), QString::fromUtf8(h.version)},
                               {QStringLiteral("manifestDigest"), QString::fromLatin1(h.digest)}};
        }
        // Deploy-AgentBundle.ps1
        ++h.deployCalls;
        const Mode mode = h.deploy;
        const int hold = h.holdPercent;
        if (mode == Mode::Unreachable)
            return aetherv::fail(ErrorCode::Network,
                                 QStringLiteral("connection refused by %1:5985").arg(name));
        if (mode == Mode::Fail) {
            return QJsonObject{
                {QStringLiteral("event"), QStringLiteral("result")},
                {QStringLiteral("outcome"), QStringLiteral("failed")},
                {QStringLiteral("code"), QStringLiteral("hash-mismatch")},
                {QStringLiteral("error"),
                 QStringLiteral("WindowsProvisioning.iso failed verification: SHA-256 differs "
                                "from the manifest; the host kept its previous files")}};
        }
        l.unlock();
        const qint64 total = bytesPerHost;
        const int stop = mode == Mode::Hold ? hold : 100;
        for (int pct = 10; pct <= stop; pct += 10) {
            onProgress(
                QJsonObject{{QStringLiteral("event"), QStringLiteral("progress")},
                            {QStringLiteral("stage"), QStringLiteral("download")},
                            {QStringLiteral("file"), QStringLiteral("WindowsProvisioning.iso")},
                            {QStringLiteral("bytes"), total * pct / 100},
                            {QStringLiteral("total"), total}});
        }
        if (mode == Mode::Hold) {
            QEventLoop loop;
            QObject::connect(ctx.control(), &aetherv::tasks::TaskControl::cancelRequested, &loop,
                             &QEventLoop::quit);
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
                if (m_released)
                    loop.quit();
            });
            poll.start(10);
            if (!ctx.isCancelRequested() && !m_released)
                loop.exec();
            if (ctx.isCancelRequested()) {
                QMutexLocker again(&m_mutex);
                ++m_hosts[name].cancelled;
                return aetherv::fail(ErrorCode::Cancelled, QStringLiteral("stopped"));
            }
        }
        QMutexLocker done(&m_mutex);
        FakeHostState &hh = m_hosts[name];
        hh.versionExists = true;
        hh.version = params.value(QStringLiteral("expectedVersion")).toString().toUtf8();
        hh.digest = params.value(QStringLiteral("expectedDigest")).toString().toLatin1();
        hh.files = bundleFiles;
        return QJsonObject{
            {QStringLiteral("event"), QStringLiteral("result")},
            {QStringLiteral("outcome"), QStringLiteral("deployed")},
            {QStringLiteral("downloaded"), QJsonArray{QStringLiteral("WindowsProvisioning.iso")}},
            {QStringLiteral("reused"), QJsonArray()}};
    }

private:
    QMutex m_mutex;
    QHash<QString, FakeHostState> m_hosts;
    std::atomic<bool> m_released{false};
};
