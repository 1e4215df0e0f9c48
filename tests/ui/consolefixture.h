#pragma once

// Shared by the window, dialog and screenshot tests: a real agent bundle folder, in-memory
// profile and secret stores (the seams the console fills with QSettings and QtKeychain), and a
// profile that serves the bundle from 127.0.0.1.

#include "core/artifacts/agentbundle.h"
#include "ui/session/consoleseams.h"

#include "fakehosts.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

class MemoryProfileStore : public aetherv::ui::ProfileStore
{
public:
    QList<aetherv::config::Profile> stored;
    QString current;
    int saves = 0;

    QList<aetherv::config::Profile> loadProfiles(QStringList *) override { return stored; }
    aetherv::Result<void> saveProfiles(const QList<aetherv::config::Profile> &p) override
    {
        stored = p;
        ++saves;
        return {};
    }
    QString currentProfileId() const override { return current; }
    void setCurrentProfileId(const QString &id) override { current = id; }
};

class MemorySecretStore : public aetherv::ui::SecretStore
{
public:
    QHash<QString, QString> secrets; // "<profile>|<user>" -> password
    QString failure;                 // when set, every operation fails with this text
    int reads = 0;

    void read(const QString &profileId, const QString &user, QObject *context,
              Callback done) override
    {
        ++reads;
        Reply r;
        const auto it = secrets.constFind(profileId + u'|' + user);
        r.status = !failure.isEmpty()         ? Status::Failed
                   : it != secrets.constEnd() ? Status::Ok
                                              : Status::NotFound;
        r.password = r.status == Status::Ok ? *it : QString();
        r.error = failure;
        later(context, std::move(done), r);
    }
    void write(const QString &profileId, const QString &user, const QString &password,
               QObject *context, Callback done) override
    {
        Reply r;
        r.status = failure.isEmpty() ? Status::Ok : Status::Failed;
        r.error = failure;
        if (failure.isEmpty())
            secrets.insert(profileId + u'|' + user, password);
        later(context, std::move(done), r);
    }
    void remove(const QString &profileId, const QString &user, QObject *context,
                Callback done) override
    {
        Reply r;
        r.status = secrets.remove(profileId + u'|' + user) > 0 ? Status::Ok : Status::NotFound;
        later(context, std::move(done), r);
    }

private:
    static void later(QObject *context, Callback done, const Reply &r)
    {
        QTimer::singleShot(0, context, [done = std::move(done), r] { done(r); });
    }
};

struct BundleFolder
{
    QTemporaryDir dir;
    std::shared_ptr<const aetherv::artifacts::BundleSnapshot> snapshot;

    bool create(const QByteArray &version = "2.0.0")
    {
        auto write = [this](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
        };
        if (!write(QStringLiteral("version"), version + '\n')
            || !write(QStringLiteral("Inventory.Collect.ps1"), "Write-Output 'inventory'\n")
            || !write(QStringLiteral("Invoke-ProvisioningJob.ps1"), "param($Job)\n")
            || !write(QStringLiteral("WindowsProvisioning.iso"), QByteArray(64 * 1024, 'W')))
            return false;
        auto snap = aetherv::artifacts::AgentBundle::scan(dir.path());
        if (!snap)
            return false;
        snapshot = std::make_shared<const aetherv::artifacts::BundleSnapshot>(*snap);
        return true;
    }
};

inline int freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

inline aetherv::config::Profile testProfile(const QString &name, const QStringList &hosts,
                                            const QString &bundleDir)
{
    auto p = aetherv::config::Profile::create(name, aetherv::config::EnvironmentTag::Test);
    for (const QString &h : hosts)
        p.hosts << aetherv::config::HostEntry{h, 0};
    p.bundleDirectory = bundleDir;
    p.artifactServer.listenAddress = QStringLiteral("127.0.0.1");
    p.artifactServer.port = freeLoopbackPort();
    p.ingressGate.timeoutSeconds = 5;
    p.ingressGate.intervalSeconds = 1;
    p.startupDeployment = false;
    p.winrm.userName = QStringLiteral("TESTDOM\\operator");
    return p;
}
