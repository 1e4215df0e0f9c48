#pragma once

// Unit-test seam only: an in-memory stand-in for hosts behind RemoteScriptExecutor. The real
// scripts run against simulated hosts in the end-to-end tests.

#include "core/deploy/remotescriptexecutor.h"
#include "core/tasks/remotetaskrunner.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QMutex>
#include <QTimer>

struct FakeHost
{
    bool versionExists = false;
    QByteArray versionBytes;
    QByteArray digest;
    enum class Behaviour { Normal, Fail, Locked, Hang, Unreachable, AuthFail, LieAboutSuccess };
    Behaviour deploy = Behaviour::Normal;
    Behaviour read = Behaviour::Normal;
    int deployCalls = 0;
    int readCalls = 0;
    int cancelledCalls = 0;
};

class FakeExecutor : public aetherv::deploy::RemoteScriptExecutor
{
public:
    QMutex mutex;
    QHash<QString, FakeHost> hosts;
    QList<QJsonObject> deployParams;

    FakeHost host(const QString &name)
    {
        QMutexLocker l(&mutex);
        return hosts.value(name);
    }

    aetherv::Result<QJsonObject> run(const QString &name, const QString &script,
                                     const QJsonObject &params,
                                     const std::function<void(const QJsonObject &)> &onProgress,
                                     aetherv::tasks::TaskContext &ctx) override
    {
        using aetherv::ErrorCode;
        QMutexLocker l(&mutex);
        FakeHost &h = hosts[name];
        const bool isRead = script == u"Read-AgentState.ps1";
        const FakeHost::Behaviour b = isRead ? h.read : h.deploy;
        isRead ? ++h.readCalls : ++h.deployCalls;
        if (!isRead)
            deployParams << params;
        if (b == FakeHost::Behaviour::Unreachable)
            return aetherv::fail(ErrorCode::Network,
                                 QStringLiteral("connection refused by %1").arg(name));
        if (b == FakeHost::Behaviour::AuthFail)
            return aetherv::fail(ErrorCode::CredentialsRejected,
                                 QStringLiteral("the credentials were rejected"));
        if (b == FakeHost::Behaviour::Hang) {
            l.unlock();
            QEventLoop loop;
            QObject::connect(ctx.control(), &aetherv::tasks::TaskControl::cancelRequested, &loop,
                             &QEventLoop::quit);
            loop.exec();
            l.relock();
            ++hosts[name].cancelledCalls;
            return aetherv::fail(ErrorCode::Cancelled, QStringLiteral("stopped"));
        }
        if (isRead) {
            return QJsonObject{
                {QStringLiteral("event"), QStringLiteral("result")},
                {QStringLiteral("outcome"), QStringLiteral("ok")},
                {QStringLiteral("installDirectoryExists"), h.versionExists},
                {QStringLiteral("version"),
                 QJsonObject{
                     {QStringLiteral("exists"), h.versionExists},
                     {QStringLiteral("base64"), QString::fromLatin1(h.versionBytes.toBase64())}}},
                {QStringLiteral("manifest"),
                 QJsonObject{{QStringLiteral("exists"), !h.digest.isEmpty()},
                             {QStringLiteral("valid"), true},
                             {QStringLiteral("digest"), QString::fromLatin1(h.digest)}}},
                {QStringLiteral("legacy"), QJsonObject()},
                {QStringLiteral("lock"), QJsonValue()}};
        }
        if (b == FakeHost::Behaviour::Locked) {
            return QJsonObject{
                {QStringLiteral("event"), QStringLiteral("result")},
                {QStringLiteral("outcome"), QStringLiteral("locked")},
                {QStringLiteral("lockOwner"), QStringLiteral("other console")},
                {QStringLiteral("lockExpiresUtc"), QStringLiteral("2030-01-01T00:00:00Z")}};
        }
        if (b == FakeHost::Behaviour::Fail) {
            return QJsonObject{{QStringLiteral("event"), QStringLiteral("result")},
                               {QStringLiteral("outcome"), QStringLiteral("failed")},
                               {QStringLiteral("code"), QStringLiteral("hash-mismatch")},
                               {QStringLiteral("error"),
                                QStringLiteral("WindowsProvisioning.iso failed verification")}};
        }
        l.unlock();
        for (int i = 1; i <= 4; ++i) {
            onProgress(QJsonObject{{QStringLiteral("event"), QStringLiteral("progress")},
                                   {QStringLiteral("stage"), QStringLiteral("download")},
                                   {QStringLiteral("file"), QStringLiteral("big.iso")},
                                   {QStringLiteral("bytes"), i * 250},
                                   {QStringLiteral("total"), 1000}});
        }
        l.relock();
        if (b != FakeHost::Behaviour::LieAboutSuccess) {
            FakeHost &hh = hosts[name];
            hh.versionExists = true;
            hh.versionBytes = params.value(QStringLiteral("expectedVersion")).toString().toUtf8();
            hh.digest = params.value(QStringLiteral("expectedDigest")).toString().toLatin1();
        }
        return QJsonObject{{QStringLiteral("event"), QStringLiteral("result")},
                           {QStringLiteral("outcome"), QStringLiteral("deployed")},
                           {QStringLiteral("downloaded"), QJsonArray{QStringLiteral("big.iso")}},
                           {QStringLiteral("reused"), QJsonArray()}};
    }
};
