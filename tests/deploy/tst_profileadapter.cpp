// The one mapping from a profile to what the deployment service and the artifact server need,
// shared by the CLI and the console window: every setting arrives, the download URL rules hold,
// and a server bound to every address advertises this machine's name, never 127.0.0.1.
#include "core/config/profile.h"
#include "core/deploy/profileadapter.h"

#include <QHostInfo>
#include <QTest>

using namespace aetherv;

class tst_ProfileAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everySettingArrives();
    void downloadUrlRules();
    void listenOnAllAdvertisesTheHostName();
    void lockOwnerNamesProgramUserAndPid();
};

namespace {
config::Profile sample()
{
    config::Profile p = config::Profile::create(QStringLiteral("Lab"));
    p.hosts = {*config::HostEntry::parse(QStringLiteral("hv01.lab.example")),
               *config::HostEntry::parse(QStringLiteral("10.0.0.7:5986"))};
    p.installDirectory = QStringLiteral("D:\\Aether-V");
    p.downloadMaxAttempts = 7;
    p.downloadRetryIntervalSeconds = 9;
    p.downloadParallelism = 3;
    p.lockExpirySeconds = 1234;
    p.taskRunner.checkDeadlineSeconds = 41;
    p.taskRunner.deployDeadlineSeconds = 4321;
    p.ingressGate.timeoutSeconds = 77;
    p.ingressGate.intervalSeconds = 5;
    p.verifiedCacheTtlSeconds = 600;
    p.failureBackoffBaseSeconds = 11;
    p.failureBackoffMaxSeconds = 999;
    p.startupDeployment = true;
    return p;
}
} // namespace

void tst_ProfileAdapter::everySettingArrives()
{
    const config::Profile p = sample();
    const deploy::DeploySettings s = deploy::deploySettingsWithoutUrl(p, QStringLiteral("owner"));
    QCOMPARE(s.hosts,
             (QStringList{QStringLiteral("hv01.lab.example"), QStringLiteral("10.0.0.7:5986")}));
    QCOMPARE(s.installDirectory, QStringLiteral("D:\\Aether-V"));
    QCOMPARE(s.downloadMaxAttempts, 7);
    QCOMPARE(s.downloadRetryIntervalSeconds, 9);
    QCOMPARE(s.downloadParallelism, 3);
    QCOMPARE(s.lockExpirySeconds, 1234);
    QCOMPARE(s.checkDeadlineMs, qint64(41000));
    QCOMPARE(s.deployDeadlineMs, qint64(4321000));
    QCOMPARE(s.ingressTimeoutSeconds, 77);
    QCOMPARE(s.ingressIntervalSeconds, 5);
    QCOMPARE(s.verifiedCacheTtlSeconds, 600);
    QCOMPARE(s.failureBackoffBaseSeconds, 11);
    QCOMPARE(s.failureBackoffMaxSeconds, 999);
    QVERIFY(s.startupDeployment);
    QCOMPARE(s.lockOwner, QStringLiteral("owner"));
    QVERIFY(s.downloadBaseUrl.isEmpty());

    // deploySettingsFor is the same mapping plus the URL.
    const auto withUrl = deploy::deploySettingsFor(
        p, QUrl(QStringLiteral("http://console.lab.example:8080/agent")), QStringLiteral("owner"));
    QVERIFY(withUrl.has_value());
    deploy::DeploySettings expected = s;
    expected.downloadBaseUrl = QUrl(QStringLiteral("http://console.lab.example:8080/agent"));
    QCOMPARE(withUrl->hosts, expected.hosts);
    QCOMPARE(withUrl->downloadBaseUrl, expected.downloadBaseUrl);
    QCOMPARE(withUrl->deployDeadlineMs, expected.deployDeadlineMs);
}

void tst_ProfileAdapter::downloadUrlRules()
{
    config::Profile p = sample();
    // A configured URL wins over the server's own; trailing slashes go.
    p.downloadBaseUrl = QStringLiteral("https://cdn.lab.example/aetherv/agent/");
    auto s = deploy::deploySettingsFor(p, QUrl(QStringLiteral("http://127.0.0.1:8080/agent")),
                                       QString());
    QVERIFY(s.has_value());
    QCOMPARE(s->downloadBaseUrl, QUrl(QStringLiteral("https://cdn.lab.example/aetherv/agent")));
    // The listen-on-all address is refused with the variable to set.
    p.downloadBaseUrl.clear();
    s = deploy::deploySettingsFor(p, QUrl(QStringLiteral("http://0.0.0.0:8080/agent")), QString());
    QVERIFY(!s.has_value());
    QVERIFY2(s.error().message.contains(QStringLiteral("AGENT_DOWNLOAD_BASE_URL")),
             qPrintable(s.error().message));
}

void tst_ProfileAdapter::listenOnAllAdvertisesTheHostName()
{
    config::Profile p = sample();
    p.artifactServer.port = 8088;
    for (const QString &all : {QStringLiteral("0.0.0.0"), QStringLiteral("::")}) {
        p.artifactServer.listenAddress = all;
        const artifacts::ArtifactServerConfig c = deploy::artifactServerConfigFor(p);
        QCOMPARE(c.advertisedHost, QHostInfo::localHostName());
        QCOMPARE(c.port, quint16(8088));
    }
    p.artifactServer.listenAddress = QStringLiteral("192.0.2.10");
    const artifacts::ArtifactServerConfig one = deploy::artifactServerConfigFor(p);
    QVERIFY(one.advertisedHost.isEmpty()); // the bound address itself is the URL's host
    QCOMPARE(one.address, QHostAddress(QStringLiteral("192.0.2.10")));
}

void tst_ProfileAdapter::lockOwnerNamesProgramUserAndPid()
{
    const QString owner = deploy::defaultLockOwner(QStringLiteral("aetherv-console"));
    QVERIFY2(owner.startsWith(QStringLiteral("aetherv-console ")), qPrintable(owner));
    QVERIFY2(owner.contains(u'@' + QHostInfo::localHostName() + QStringLiteral(" pid ")
                            + QString::number(QCoreApplication::applicationPid()) + u' '),
             qPrintable(owner));
    QVERIFY(owner != deploy::defaultLockOwner(QStringLiteral("aetherv-console"))); // per run
}

QTEST_GUILESS_MAIN(tst_ProfileAdapter)
#include "tst_profileadapter.moc"
