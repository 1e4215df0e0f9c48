#include "core/config/profile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace aetherv;
using namespace aetherv::config;
using namespace Qt::StringLiterals;

// JSON import/export, schema migration, host entry syntax and the URL helpers.
class tst_Profile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void createGivesUniqueIds();
    void jsonRoundTripEveryField();
    void jsonFullProfileSetsEveryKey();
    void jsonEmptyObjectGivesDefaults();
    void jsonIgnoresUnknownKeysAndKeepsOutOfRange();
    void jsonRejects_data();
    void jsonRejects();
    void migrationFromSchema1_data();
    void migrationFromSchema1();
    void migrationRejectsBadSchema1Hosts();
    void exportImportMany();
    void importSingleProfileAndSchema1File();
    void hostEntryParse_data();
    void hostEntryParse();
    void winrmEndpoint_data();
    void winrmEndpoint();
    void effectiveDownloadBaseUrl_data();
    void effectiveDownloadBaseUrl();
};

static Profile fullProfile()
{
    Profile p;
    p.id = QStringLiteral("0b5c1a52-6b8e-4f1e-9d7a-2f3e4d5c6b7a");
    p.name = QStringLiteral("Production");
    p.environment = EnvironmentTag::Production;
    p.hosts = {{QStringLiteral("hv01.corp.example.com"), 0},
               {QStringLiteral("192.0.2.17"), 5986},
               {QStringLiteral("2001:db8::17"), 15986}};
    p.installDirectory = QStringLiteral("D:\\Aether-V (Prod)");
    p.downloadBaseUrl = QStringLiteral("https://console.corp.example.com:8443/agent");
    p.downloadMaxAttempts = 7;
    p.downloadRetryIntervalSeconds = 11;
    p.downloadParallelism = 2;
    p.bundleDirectory = QStringLiteral("/opt/aether-v/bundle");
    p.winrm.transport = WinRmTransport::Https;
    p.winrm.port = 15986;
    p.winrm.auth = WinRmAuth::Kerberos;
    p.winrm.userName = QStringLiteral("svc-aetherv@CORP.EXAMPLE.COM");
    p.winrm.spnService = QStringLiteral("WSMAN");
    p.winrm.spnTargetOverride = QStringLiteral("hvcluster.corp.example.com");
    p.winrm.kerberosDelegation = true;
    p.winrm.caFile = QStringLiteral("/etc/aether-v/ca.pem");
    p.winrm.ignoreTlsErrors = true;
    p.winrm.allowBasicOverHttp = true;
    p.winrm.operationTimeoutSeconds = 45;
    p.winrm.connectTimeoutSeconds = 9;
    p.winrm.commandDeadlineSeconds = 700;
    p.artifactServer.listenAddress = QStringLiteral("::");
    p.artifactServer.port = 8443;
    p.artifactServer.certificateFile = QStringLiteral("/etc/aether-v/server.pem");
    p.artifactServer.privateKeyFile = QStringLiteral("/etc/aether-v/server.key");
    p.artifactServer.maxConnections = 64;
    p.artifactServer.idleTimeoutSeconds = 33;
    p.taskRunner.deploymentConcurrency = 3;
    p.taskRunner.inventoryConcurrency = 5;
    p.taskRunner.diagnosticsConcurrency = 2;
    p.taskRunner.deployDeadlineSeconds = 1200;
    p.taskRunner.checkDeadlineSeconds = 60;
    p.ingressGate.timeoutSeconds = 240;
    p.ingressGate.intervalSeconds = 7;
    p.startupDeployment = false;
    p.verifiedCacheTtlSeconds = 90;
    p.lockExpirySeconds = 3600;
    p.failureBackoffBaseSeconds = 15;
    p.failureBackoffMaxSeconds = 1800;
    return p;
}

// Every leaf of a JSON object as "a.b" -> value; array elements as "a[i].b".
static void flatten(const QJsonValue &value, const QString &path, QMap<QString, QJsonValue> &out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), path.isEmpty() ? it.key() : path + u'.' + it.key(), out);
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flatten(a.at(i), path + u'[' + QString::number(i) + u']', out);
    } else {
        out.insert(path, value);
    }
}

void tst_Profile::defaults()
{
    const Profile p;
    QCOMPARE(p.installDirectory, QStringLiteral("C:\\Program Files\\Aether-V"));
    QVERIFY(p.downloadBaseUrl.isEmpty());
    QCOMPARE(p.downloadMaxAttempts, 3);
    QCOMPARE(p.downloadRetryIntervalSeconds, 5);
    QCOMPARE(p.downloadParallelism, 4);
    QCOMPARE(p.winrm.transport, WinRmTransport::Http);
    QCOMPARE(p.winrm.effectivePort(), 5985);
    QCOMPARE(p.winrm.auth, WinRmAuth::Negotiate);
    QCOMPARE(p.winrm.spnService, QStringLiteral("HTTP"));
    QCOMPARE(p.winrm.operationTimeoutSeconds, 20);
    QCOMPARE(p.artifactServer.listenAddress, QStringLiteral("0.0.0.0"));
    QCOMPARE(p.artifactServer.port, 8080);
    QCOMPARE(p.taskRunner.deploymentConcurrency, 8);
    QCOMPARE(p.taskRunner.inventoryConcurrency, 16);
    QCOMPARE(p.taskRunner.diagnosticsConcurrency, 4);
    QCOMPARE(p.taskRunner.deployDeadlineSeconds, 900);
    QCOMPARE(p.taskRunner.checkDeadlineSeconds, 120);
    QCOMPARE(p.ingressGate.timeoutSeconds, 120);
    QCOMPARE(p.ingressGate.intervalSeconds, 3);
    QVERIFY(p.startupDeployment);
    QCOMPARE(p.verifiedCacheTtlSeconds, 300);
    QCOMPARE(p.lockExpirySeconds, 1800);
    QCOMPARE(p.failureBackoffBaseSeconds, 30);
    QCOMPARE(p.failureBackoffMaxSeconds, 900);

    WinRmSettings https;
    https.transport = WinRmTransport::Https;
    QCOMPARE(https.effectivePort(), 5986);
    https.port = 443;
    QCOMPARE(https.effectivePort(), 443);
}

void tst_Profile::createGivesUniqueIds()
{
    const Profile a = Profile::create(QStringLiteral("Test"), EnvironmentTag::Test);
    const Profile b = Profile::create(QStringLiteral("Test"), EnvironmentTag::Test);
    QCOMPARE(a.name, QStringLiteral("Test"));
    QCOMPARE(a.environment, EnvironmentTag::Test);
    QCOMPARE(a.id.size(), 36);
    QVERIFY(a.id != b.id);
    QVERIFY(!hasErrors(a.validate())); // only "no hosts yet" is reported, as a warning
}

void tst_Profile::jsonRoundTripEveryField()
{
    const Profile p = fullProfile();
    const QByteArray json = p.toJson();
    const auto back = Profile::fromJson(json);
    QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(*back, p);
    QCOMPARE(back->toJson(), json); // stable text
    const auto compact = Profile::fromJson(p.toJson(QJsonDocument::Compact));
    QVERIFY(compact.has_value());
    QCOMPARE(*compact, p);
    QCOMPARE(QJsonDocument::fromJson(json).object().value(u"schemaVersion").toInt(), 2);
}

void tst_Profile::jsonFullProfileSetsEveryKey()
{
    // The round trip above proves something only if fullProfile() differs from the defaults in
    // every serialised value.
    QMap<QString, QJsonValue> full, defaults;
    flatten(fullProfile().toJsonObject(), QString(), full);
    Profile plain;
    plain.hosts = {{QStringLiteral("a"), 0}, {QStringLiteral("b"), 1}, {QStringLiteral("c"), 1}};
    flatten(plain.toJsonObject(), QString(), defaults);
    QCOMPARE(full.keys(), defaults.keys());
    for (auto it = full.begin(); it != full.end(); ++it) {
        if (it.key() == u"schemaVersion")
            continue;
        QVERIFY2(it.value() != defaults.value(it.key()), qPrintable(it.key()));
    }
    QVERIFY(full.size() > 40);
}

void tst_Profile::jsonEmptyObjectGivesDefaults()
{
    const auto p = Profile::fromJson("{\"schemaVersion\": 2}");
    QVERIFY(p.has_value());
    QCOMPARE(p->id.size(), 36); // a new id
    Profile expected;
    expected.id = p->id;
    QCOMPARE(*p, expected);
}

void tst_Profile::jsonIgnoresUnknownKeysAndKeepsOutOfRange()
{
    QJsonObject o = fullProfile().toJsonObject();
    o.insert(u"futureSetting", QStringLiteral("x"));
    QJsonObject w = o.value(u"winrm").toObject();
    w.insert(u"port", 70000);
    o.insert(u"winrm", w);
    const auto p = Profile::fromJsonObject(o);
    QVERIFY(p.has_value());
    QCOMPARE(p->winrm.port, 70000); // validate() reports it
    bool reported = false;
    for (const ValidationIssue &issue : p->validate())
        reported = reported || (issue.field == u"winrm.port" && issue.isError());
    QVERIFY(reported);
}

void tst_Profile::jsonRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("not json") << QByteArray("{\"name\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("array root") << QByteArray("[]") << QStringLiteral("not a JSON object");
    QTest::newRow("newer schema") << QByteArray("{\"schemaVersion\": 3}")
                                  << QStringLiteral("newer Aether-V (schema 3");
    QTest::newRow("schema text") << QByteArray("{\"schemaVersion\": \"2\"}")
                                 << QStringLiteral("\"schemaVersion\" must be a whole number");
    QTest::newRow("port string") << QByteArray("{\"schemaVersion\":2,\"winrm\":{\"port\":\"x\"}}")
                                 << QStringLiteral("\"winrm.port\" must be a whole number");
    QTest::newRow("fraction") << QByteArray("{\"schemaVersion\":2,\"downloadMaxAttempts\":1.5}")
                              << QStringLiteral("\"downloadMaxAttempts\" must be a whole number");
    QTest::newRow("beyond int") << QByteArray("{\"schemaVersion\":2,\"downloadParallelism\":1e12}")
                                << QStringLiteral("\"downloadParallelism\" must be a whole number");
    QTest::newRow("schema zero") << QByteArray("{\"schemaVersion\": 0}")
                                 << QStringLiteral("\"schemaVersion\" must be a whole number");
    QTest::newRow("bool as text") << QByteArray(
        "{\"schemaVersion\":2,\"startupDeployment\":\"yes\"}")
                                  << QStringLiteral("\"startupDeployment\" must be true or false");
    QTest::newRow("transport") << QByteArray(
        "{\"schemaVersion\":2,\"winrm\":{\"transport\":\"ftp\"}}")
                               << QStringLiteral("\"winrm.transport\" 'ftp' is not a known");
    QTest::newRow("environment") << QByteArray("{\"schemaVersion\":2,\"environment\":\"staging\"}")
                                 << QStringLiteral("Use one of: dev, test, prod, other");
    QTest::newRow("hosts object") << QByteArray("{\"schemaVersion\":2,\"hosts\":{}}")
                                  << QStringLiteral("\"hosts\" must be a list");
    QTest::newRow("host string") << QByteArray("{\"schemaVersion\":2,\"hosts\":[\"hv01\"]}")
                                 << QStringLiteral("\"hosts[0]\" must be an object");
    QTest::newRow("host port") << QByteArray(
        "{\"schemaVersion\":2,\"hosts\":[{\"address\":\"hv\",\"port\":true}]}")
                               << QStringLiteral("\"hosts[0].port\" must be a whole number");
    QTest::newRow("winrm not object") << QByteArray("{\"schemaVersion\":2,\"winrm\":5}")
                                      << QStringLiteral("\"winrm\" must be an object");
    QTest::newRow("two problems")
        << QByteArray("{\"schemaVersion\":2,\"name\":1,\"ingressGate\":{\"timeoutSeconds\":\"1\"}}")
        << QStringLiteral("\"name\" must be a string; \"ingressGate.timeoutSeconds\" must be");
}

void tst_Profile::jsonRejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, fragment);
    const auto p = Profile::fromJson(json);
    QVERIFY(!p.has_value());
    QVERIFY2(p.error().message.contains(fragment), qPrintable(p.error().message));
    QCOMPARE(p.error().code, ErrorCode::InvalidInput);
}

void tst_Profile::migrationFromSchema1_data()
{
    QTest::addColumn<QByteArray>("json");
    const QByteArray body = R"json("id": "legacy-1", "name": "Old lab",
        "hostInstallDirectory": "C:\\Program Files\\Aether-V (Lab)",
        "hosts": ["hv01", "hv02.lab.example:5986", "[2001:db8::2]:15985", "2001:db8::3"],
        "winrm": {"useHttps": true, "authMethod": "ntlm", "userName": "LAB\\deploy"},
        "downloadMaxAttempts": 4)json";
    QTest::newRow("no schemaVersion") << (QByteArray("{") + body + "}");
    QTest::newRow("schemaVersion 1") << (QByteArray("{\"schemaVersion\": 1, ") + body + "}");
}

void tst_Profile::migrationFromSchema1()
{
    QFETCH(QByteArray, json);
    const auto p = Profile::fromJson(json);
    QVERIFY2(p.has_value(), qPrintable(p ? QString() : p.error().message));
    QCOMPARE(p->id, QStringLiteral("legacy-1"));
    QCOMPARE(p->installDirectory, QStringLiteral("C:\\Program Files\\Aether-V (Lab)"));
    const QList<HostEntry> hosts{{QStringLiteral("hv01"), 0},
                                 {QStringLiteral("hv02.lab.example"), 5986},
                                 {QStringLiteral("2001:db8::2"), 15985},
                                 {QStringLiteral("2001:db8::3"), 0}};
    QCOMPARE(p->hosts, hosts);
    QCOMPARE(p->winrm.transport, WinRmTransport::Https);
    QCOMPARE(p->winrm.auth, WinRmAuth::Ntlm);
    QCOMPARE(p->winrm.userName, QStringLiteral("LAB\\deploy"));
    QCOMPARE(p->downloadMaxAttempts, 4);

    const auto migrated = migrateProfileJson(QJsonDocument::fromJson(json).object());
    QVERIFY(migrated.has_value());
    QCOMPARE(migrated->value(u"schemaVersion").toInt(), 2);
    QVERIFY(!migrated->contains(u"hostInstallDirectory"));
    QVERIFY(!migrated->value(u"winrm").toObject().contains(u"useHttps"));
    QVERIFY(!migrated->value(u"winrm").toObject().contains(u"authMethod"));
    // Saving writes the current schema; reading it back needs no migration and gives the same.
    const auto again = Profile::fromJson(p->toJson());
    QVERIFY(again.has_value());
    QCOMPARE(*again, *p);
}

void tst_Profile::migrationRejectsBadSchema1Hosts()
{
    const auto badPort = Profile::fromJson(R"({"schemaVersion":1,"hosts":["hv01:http"]})");
    QVERIFY(!badPort.has_value());
    QVERIFY2(badPort.error().message.contains(u"hosts[0]"), qPrintable(badPort.error().message));
    const auto notText = Profile::fromJson(R"({"hosts":["hv01", 5]})");
    QVERIFY(!notText.has_value());
    QVERIFY(notText.error().message.contains(u"hosts[1]"));
    const auto badHttps = Profile::fromJson(R"({"winrm":{"useHttps":"yes"}})");
    QVERIFY(!badHttps.has_value());
    QVERIFY(badHttps.error().message.contains(u"winrm.useHttps"));
    // A schema 2 document is never migrated: its string hosts are an error, not a conversion.
    QVERIFY(!Profile::fromJson(R"({"schemaVersion":2,"hosts":["hv01"]})").has_value());
}

void tst_Profile::exportImportMany()
{
    Profile second = Profile::create(QStringLiteral("Devel"), EnvironmentTag::Development);
    second.installDirectory = QStringLiteral("C:\\Program Files\\Aether-V (Devel)");
    const QList<Profile> profiles{fullProfile(), second};
    const auto back = importProfiles(exportProfiles(profiles));
    QVERIFY(back.has_value());
    QCOMPARE(*back, profiles);
    QVERIFY(!importProfiles(R"({"schemaVersion":2,"profiles":{}})").has_value());
    const auto bad = importProfiles(R"({"schemaVersion":2,"profiles":[{},{"name":3}]})");
    QVERIFY(!bad.has_value());
    QVERIFY2(bad.error().message.startsWith(u"Entry 2"), qPrintable(bad.error().message));
}

void tst_Profile::importSingleProfileAndSchema1File()
{
    const auto single = importProfiles(fullProfile().toJson());
    QVERIFY(single.has_value());
    QCOMPARE(*single, QList<Profile>{fullProfile()});
    // Entries of a schema 1 file carry no version of their own and are migrated.
    const auto old = importProfiles(
        R"({"schemaVersion":1,"profiles":[{"id":"a","hostInstallDirectory":"D:\\AV"}]})");
    QVERIFY(old.has_value());
    QCOMPARE(old->size(), 1);
    QCOMPARE(old->first().installDirectory, QStringLiteral("D:\\AV"));
}

void tst_Profile::hostEntryParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("printed");
    QTest::newRow("name") << u"hv01"_s << true << u"hv01"_s << 0 << u"hv01"_s;
    QTest::newRow("spaces trimmed") << u"  hv01  "_s << true << u"hv01"_s << 0 << u"hv01"_s;
    QTest::newRow("fqdn:port") << u"hv01.corp.example:5986"_s << true << u"hv01.corp.example"_s
                               << 5986 << u"hv01.corp.example:5986"_s;
    QTest::newRow("ipv4:port") << u"192.0.2.7:5985"_s << true << u"192.0.2.7"_s << 5985
                               << u"192.0.2.7:5985"_s;
    QTest::newRow("ipv6") << u"2001:db8::7"_s << true << u"2001:db8::7"_s << 0 << u"2001:db8::7"_s;
    QTest::newRow("[ipv6]") << u"[2001:db8::7]"_s << true << u"2001:db8::7"_s << 0
                            << u"2001:db8::7"_s;
    QTest::newRow("[ipv6]:port") << u"[::1]:15985"_s << true << u"::1"_s << 15985
                                 << u"[::1]:15985"_s;
    QTest::newRow("empty") << u" "_s << false << QString() << 0 << QString();
    QTest::newRow("port text") << u"hv01:http"_s << false << QString() << 0 << QString();
    QTest::newRow("port zero") << u"hv01:0"_s << false << QString() << 0 << QString();
    QTest::newRow("port big") << u"hv01:65536"_s << false << QString() << 0 << QString();
    QTest::newRow("port empty") << u"hv01:"_s << false << QString() << 0 << QString();
    QTest::newRow("port sign") << u"hv01:+5"_s << false << QString() << 0 << QString();
    QTest::newRow("unclosed") << u"[::1:5985"_s << false << QString() << 0 << QString();
    QTest::newRow("junk after ]") << u"[::1]x"_s << false << QString() << 0 << QString();
}

void tst_Profile::hostEntryParse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    const auto entry = HostEntry::parse(text);
    QCOMPARE(entry.has_value(), ok);
    if (!ok) {
        QVERIFY(!entry.error().message.isEmpty());
        return;
    }
    QTEST(entry->address, "address");
    QTEST(entry->port, "port");
    QTEST(entry->toString(), "printed");
    QCOMPARE(HostEntry::parse(entry->toString()).value(), *entry);
}

void tst_Profile::winrmEndpoint_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("hostPort");
    QTest::addColumn<bool>("https");
    QTest::addColumn<int>("profilePort");
    QTest::addColumn<QString>("url");
    QTest::newRow("name http") << u"hv01.corp.example"_s << 0 << false << 0
                               << u"http://hv01.corp.example:5985/wsman"_s;
    QTest::newRow("name https") << u"hv01"_s << 0 << true << 0 << u"https://hv01:5986/wsman"_s;
    QTest::newRow("ipv4 profile port")
        << u"192.0.2.7"_s << 0 << false << 8985 << u"http://192.0.2.7:8985/wsman"_s;
    QTest::newRow("host port wins")
        << u"192.0.2.7"_s << 15986 << true << 8986 << u"https://192.0.2.7:15986/wsman"_s;
    QTest::newRow("ipv6") << u"2001:db8::7"_s << 0 << false << 0
                          << u"http://[2001:db8::7]:5985/wsman"_s;
    QTest::newRow("ipv6 https port")
        << u"fd00::1:2"_s << 15986 << true << 0 << u"https://[fd00::1:2]:15986/wsman"_s;
    QTest::newRow("ipv6 loopback") << u"::1"_s << 0 << true << 0 << u"https://[::1]:5986/wsman"_s;
    QTest::newRow("bracketed input")
        << u"[2001:db8::7]"_s << 0 << false << 0 << u"http://[2001:db8::7]:5985/wsman"_s;
}

void tst_Profile::winrmEndpoint()
{
    QFETCH(QString, address);
    QFETCH(int, hostPort);
    QFETCH(bool, https);
    QFETCH(int, profilePort);
    Profile p;
    p.winrm.transport = https ? WinRmTransport::Https : WinRmTransport::Http;
    p.winrm.port = profilePort;
    const QUrl url = p.winrmEndpoint({address, hostPort});
    QVERIFY(url.isValid());
    QTEST(url.toString(), "url");
}

void tst_Profile::effectiveDownloadBaseUrl_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QUrl>("server");
    QTest::addColumn<QString>("expected"); // empty: an error
    const QUrl server(QStringLiteral("http://console.example:8080/agent"));
    QTest::newRow("derived") << QString() << server << u"http://console.example:8080/agent"_s;
    QTest::newRow("derived trailing slash")
        << QString() << QUrl(u"http://10.0.0.5:8080/agent/"_s) << u"http://10.0.0.5:8080/agent"_s;
    QTest::newRow("configured wins")
        << u"https://ingress.example/agent/"_s << server << u"https://ingress.example/agent"_s;
    QTest::newRow("configured ipv6")
        << u"http://[2001:db8::1]:8080/agent"_s << server << u"http://[2001:db8::1]:8080/agent"_s;
    QTest::newRow("derived listen-all")
        << QString() << QUrl(u"http://0.0.0.0:8080/agent"_s) << QString();
    QTest::newRow("derived empty") << QString() << QUrl() << QString();
    QTest::newRow("configured ftp") << u"ftp://files.example/agent"_s << server << QString();
    QTest::newRow("configured no host") << u"http:///agent"_s << server << QString();
}

void tst_Profile::effectiveDownloadBaseUrl()
{
    QFETCH(QString, configured);
    QFETCH(QUrl, server);
    QFETCH(QString, expected);
    Profile p;
    p.downloadBaseUrl = configured;
    const auto url = p.effectiveDownloadBaseUrl(server);
    if (expected.isEmpty()) {
        QVERIFY(!url.has_value());
        QCOMPARE(url.error().code, ErrorCode::Configuration);
        QVERIFY(url.error().message.contains(u"AGENT_DOWNLOAD_BASE_URL"));
        return;
    }
    QVERIFY2(url.has_value(), qPrintable(url ? QString() : url.error().message));
    QCOMPARE(url->toString(), expected);
}

QTEST_GUILESS_MAIN(tst_Profile)
#include "tst_profile.moc"
