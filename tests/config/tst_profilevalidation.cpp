#include "core/config/hostaddress.h"
#include "core/config/profile.h"
#include "core/config/validation.h"
#include "core/config/windowspath.h"

#include <QTest>

#include <functional>

using namespace aetherv;
using namespace aetherv::config;
using namespace Qt::StringLiterals;

using Mutation = std::function<void(Profile &)>;
Q_DECLARE_METATYPE(Mutation)

// Profile::validate(), the install directory and host rules, and validateProfiles().
class tst_ProfileValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void baseProfileIsClean();
    void sameAddressOnAnotherPortIsAnotherHost();
    void installDirectory_data();
    void installDirectory();
    void hostAddress_data();
    void hostAddress();
    void rules_data();
    void rules();
    void errorsComeFirstAndCarryTheProfileId();
    void normalizedPaths_data();
    void normalizedPaths();
    void sharedHostSameDirectoryWarns();
    void sharedHostDifferentDirectoriesIsFine();
    void sharedHostNestedDirectoriesWarns();
    void duplicateIdsAndNames();
};

static Profile baseProfile()
{
    Profile p = Profile::create(u"Production"_s, EnvironmentTag::Production);
    p.hosts = {{u"hv01.corp.example.com"_s, 0}, {u"hv02.corp.example.com"_s, 0}};
    p.downloadBaseUrl = u"http://console.corp.example.com:8080/agent"_s;
    p.winrm.userName = u"CORP\\svc-aetherv"_s;
    return p;
}

static QString describe(const QList<ValidationIssue> &issues)
{
    QStringList lines;
    for (const ValidationIssue &i : issues)
        lines.append((i.isError() ? u"E "_s : u"W "_s) + i.field + u": " + i.message);
    return lines.join(u'\n');
}

void tst_ProfileValidation::baseProfileIsClean()
{
    const QList<ValidationIssue> issues = baseProfile().validate();
    QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
}

void tst_ProfileValidation::sameAddressOnAnotherPortIsAnotherHost()
{
    // Several listeners behind one address (NAT, or simulated hosts on loopback).
    Profile p = baseProfile();
    p.hosts = {{u"10.0.0.5"_s, 45001}, {u"10.0.0.5"_s, 45002}, {u"10.0.0.5"_s, 0}};
    QVERIFY2(p.validate().isEmpty(), qPrintable(describe(p.validate())));
    p.hosts.append({u"10.0.0.5"_s, 5985}); // the default port, spelled out: the same endpoint
    const auto issues = p.validate();
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().field, u"hosts[3]"_s);
    QVERIFY(issues.first().message.contains(u"listed twice (also as hosts[2])"_s));
}

void tst_ProfileValidation::installDirectory_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("outcome"); // "ok", "error" or "warning"
    QTest::addColumn<QString>("fragment");

    const QString longDir = u"D:\\"_s + QString(216, u'a');    // 219 characters
    const QString tooLongDir = u"D:\\"_s + QString(217, u'a'); // 220 characters

    QTest::newRow("default") << u"C:\\Program Files\\Aether-V"_s << u"ok"_s << QString();
    QTest::newRow("devel parens") << u"C:\\Program Files\\Aether-V (Devel)"_s << u"ok"_s
                                  << QString();
    QTest::newRow("apostrophe") << u"C:\\x'y"_s << u"ok"_s << QString();
    QTest::newRow("dollar paren") << u"C:\\$(whoami)"_s << u"ok"_s << QString();
    QTest::newRow("semicolon") << u"C:\\a;b"_s << u"ok"_s << QString();
    QTest::newRow("ampersand backtick") << u"C:\\a & b`c"_s << u"ok"_s << QString();
    QTest::newRow("non-latin") << u"D:\\Программы\\エーテル\\Aether-V"_s << u"ok"_s << QString();
    QTest::newRow("unc share") << u"\\\\FileServer\\Share\\AetherV"_s << u"ok"_s << QString();
    QTest::newRow("trailing backslash") << u"C:\\Aether-V\\"_s << u"ok"_s << QString();
    QTest::newRow("lower drive") << u"e:\\av"_s << u"ok"_s << QString();
    QTest::newRow("219 chars") << longDir << u"ok"_s << QString();

    QTest::newRow("empty") << QString() << u"error"_s << u"is empty"_s;
    QTest::newRow("relative") << u"Aether-V"_s << u"error"_s << u"relative path"_s;
    QTest::newRow("dot relative") << u".\\Aether-V"_s << u"error"_s << u"relative path"_s;
    QTest::newRow("drive relative")
        << u"C:Aether-V"_s << u"error"_s << u"Add a backslash after the colon"_s;
    QTest::newRow("drive only") << u"C:"_s << u"error"_s << u"Add a backslash after the colon"_s;
    QTest::newRow("rooted no drive") << u"\\Aether-V"_s << u"error"_s << u"no drive letter"_s;
    QTest::newRow("forward slashes")
        << u"C:/Program Files/Aether-V"_s << u"error"_s << u"forward slashes"_s;
    QTest::newRow("mixed slashes")
        << u"C:\\Program Files/Aether-V"_s << u"error"_s << u"mixes '/' and '\\'"_s;
    QTest::newRow("dotdot") << u"C:\\Program Files\\..\\Windows"_s << u"error"_s
                            << u"'..' segment"_s;
    QTest::newRow("dot") << u"C:\\Program Files\\.\\Aether-V"_s << u"error"_s << u"'.' segment"_s;
    QTest::newRow("less than") << u"C:\\a<b"_s << u"error"_s << u"'<'"_s;
    QTest::newRow("pipe") << u"C:\\a|b"_s << u"error"_s << u"'|'"_s;
    QTest::newRow("question") << u"C:\\a?"_s << u"error"_s << u"'?'"_s;
    QTest::newRow("star") << u"C:\\*"_s << u"error"_s << u"'*'"_s;
    QTest::newRow("double quote") << u"C:\\\"Aether\""_s << u"error"_s << u"'\"'"_s;
    QTest::newRow("second colon") << u"C:\\a:b"_s << u"error"_s << u"':'"_s;
    QTest::newRow("control char") << u"C:\\a\tb"_s << u"error"_s << u"control character 0x09"_s;
    QTest::newRow("trailing dot") << u"C:\\Aether-V.\\bin"_s << u"error"_s
                                  << u"ends with a dot or a space"_s;
    QTest::newRow("trailing space")
        << u"C:\\Aether-V "_s << u"error"_s << u"ends with a dot or a space"_s;
    QTest::newRow("empty component")
        << u"C:\\Program Files\\\\Aether-V"_s << u"error"_s << u"empty folder name"_s;
    QTest::newRow("device name") << u"C:\\Aether\\CON"_s << u"error"_s << u"reserved Windows"_s;
    QTest::newRow("device name ext") << u"C:\\nul.txt"_s << u"error"_s << u"reserved Windows"_s;
    QTest::newRow("com port") << u"C:\\com3\\x"_s << u"error"_s << u"reserved Windows"_s;
    QTest::newRow("drive root") << u"C:\\"_s << u"error"_s << u"drive root"_s;
    QTest::newRow("system folder")
        << u"c:\\program files\\"_s << u"error"_s << u"Windows system folder"_s;
    QTest::newRow("windows folder") << u"C:\\Windows"_s << u"error"_s << u"Windows system folder"_s;
    QTest::newRow("share root") << u"\\\\FileServer\\Share"_s << u"error"_s << u"root of a share"_s;
    QTest::newRow("server only") << u"\\\\FileServer"_s << u"error"_s
                                 << u"not a complete share path"_s;
    QTest::newRow("bad server") << u"\\\\File*Server\\Share\\AV"_s << u"error"_s
                                << u"server name 'File*Server'"_s;
    QTest::newRow("extended prefix") << u"\\\\?\\C:\\Aether-V"_s << u"error"_s << u"prefix"_s;
    QTest::newRow("device prefix") << u"\\\\.\\C:\\Aether-V"_s << u"error"_s << u"prefix"_s;
    QTest::newRow("long component")
        << (u"C:\\"_s + QString(256, u'x')) << u"error"_s << u"longer than 255"_s;
    QTest::newRow("220 chars") << tooLongDir << u"warning"_s << u"220 characters long"_s;
}

void tst_ProfileValidation::installDirectory()
{
    QFETCH(QString, path);
    QFETCH(QString, outcome);
    QFETCH(QString, fragment);

    const QList<ValidationIssue> direct = checkInstallDirectory(path, u"installDirectory"_s);
    Profile p = baseProfile();
    p.installDirectory = path;
    const QList<ValidationIssue> all = p.validate();
    QCOMPARE(all, [&] {
        QList<ValidationIssue> withId = direct;
        for (ValidationIssue &i : withId)
            i.profileId = p.id;
        return withId;
    }()); // nothing else in the base profile is wrong

    if (outcome == u"ok") {
        QVERIFY2(direct.isEmpty(), qPrintable(describe(direct)));
        return;
    }
    QVERIFY2(!direct.isEmpty(), "expected an issue");
    const bool wantError = outcome == u"error";
    bool found = false;
    for (const ValidationIssue &i : direct) {
        QCOMPARE(i.field, u"installDirectory"_s);
        found = found || (i.isError() == wantError && i.message.contains(fragment));
    }
    QVERIFY2(found, qPrintable(describe(direct)));
    if (!wantError)
        QVERIFY(!hasErrors(direct));
}

void tst_ProfileValidation::hostAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("kind"); // -1: invalid
    QTest::addColumn<QString>("normalized");
    const int dns = int(HostAddressKind::DnsName);
    const int v4 = int(HostAddressKind::IPv4);
    const int v6 = int(HostAddressKind::IPv6);
    QTest::newRow("short name") << u"HV01"_s << dns << u"hv01"_s;
    QTest::newRow("fqdn trailing dot") << u"hv01.Corp.Example."_s << dns << u"hv01.corp.example"_s;
    QTest::newRow("digits label") << u"123host"_s << dns << u"123host"_s;
    QTest::newRow("idn") << u"bücher.example"_s << dns << u"xn--bcher-kva.example"_s;
    QTest::newRow("63 label") << (QString(63, u'a') + u".example") << dns
                              << (QString(63, u'a') + u".example");
    QTest::newRow("ipv4") << u"192.0.2.7"_s << v4 << u"192.0.2.7"_s;
    QTest::newRow("ipv6") << u"2001:DB8:0:0::7"_s << v6 << u"2001:db8::7"_s;
    QTest::newRow("ipv6 loopback") << u"::1"_s << v6 << u"::1"_s;
    QTest::newRow("empty") << QString() << -1 << QString();
    QTest::newRow("underscore") << u"hv_01"_s << -1 << QString();
    QTest::newRow("space") << u"hv 01"_s << -1 << QString();
    QTest::newRow("leading hyphen") << u"-hv01"_s << -1 << QString();
    QTest::newRow("trailing hyphen") << u"hv01-.corp"_s << -1 << QString();
    QTest::newRow("empty label") << u"hv01..corp"_s << -1 << QString();
    QTest::newRow("64 label") << QString(64, u'a') << -1 << QString();
    QTest::newRow("too long") << (QString(63, u'a') + u'.' + QString(63, u'b') + u'.'
                                  + QString(63, u'c') + u'.' + QString(63, u'd') + u".example")
                              << -1 << QString();
    QTest::newRow("ipv4 300") << u"192.0.2.300"_s << -1 << QString();
    QTest::newRow("ipv4 three parts") << u"192.0.2"_s << -1 << QString();
    QTest::newRow("ipv4 leading zero") << u"192.0.02.7"_s << -1 << QString();
    QTest::newRow("bad ipv6") << u"2001:db8:::7"_s << -1 << QString();
    QTest::newRow("name:port") << u"hv01:5985"_s << -1 << QString();
    QTest::newRow("bracketed") << u"[::1]"_s << -1 << QString();
    QTest::newRow("zone id") << u"fe80::1%eth0"_s << -1 << QString();
    QTest::newRow("url") << u"http://hv01"_s << -1 << QString();
}

void tst_ProfileValidation::hostAddress()
{
    QFETCH(QString, address);
    QFETCH(int, kind);
    const auto result = classifyHostAddress(address);
    if (kind < 0) {
        QVERIFY(!result.has_value());
        QVERIFY(!result.error().message.isEmpty());
        Profile p = baseProfile();
        p.hosts.append({address, 0});
        bool reported = false;
        for (const ValidationIssue &i : p.validate())
            reported = reported || (i.field == u"hosts[2]" && i.isError());
        QVERIFY(reported);
        return;
    }
    QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
    QCOMPARE(int(*result), kind);
    QTEST(normalizedHostAddress(address), "normalized");
}

void tst_ProfileValidation::rules_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("error"); // false: a warning
    QTest::addColumn<QString>("fragment");

    QTest::newRow("no id") << Mutation([](Profile &p) { p.id.clear(); }) << u"id"_s << true
                           << u"no id"_s;
    QTest::newRow("id with slash")
        << Mutation([](Profile &p) { p.id = u"a/b"_s; }) << u"id"_s << true << u"only letters"_s;
    QTest::newRow("no name") << Mutation([](Profile &p) { p.name = u"  "_s; }) << u"name"_s << true
                             << u"no name"_s;
    QTest::newRow("no hosts") << Mutation([](Profile &p) { p.hosts.clear(); }) << u"hosts"_s
                              << false << u"no hosts"_s;
    QTest::newRow("duplicate host case") << Mutation([](Profile &p) {
        p.hosts.append({u"HV01.corp.example.com."_s, 5985});
    }) << u"hosts[2]"_s << true << u"listed twice (also as hosts[0])"_s;
    QTest::newRow("duplicate ipv6") << Mutation([](Profile &p) {
        p.hosts.append({u"2001:db8::1"_s, 0});
        p.hosts.append({u"2001:0db8:0::1"_s, 0});
    }) << u"hosts[3]"_s << true << u"listed twice"_s;
    QTest::newRow("host port") << Mutation([](Profile &p) { p.hosts[0].port = 70000; })
                               << u"hosts[0].port"_s << true << u"from 1 to 65535"_s;
    QTest::newRow("url ftp") << Mutation([](Profile &p) { p.downloadBaseUrl = u"ftp://c/agent"_s; })
                             << u"downloadBaseUrl"_s << true << u"not an http:// or https://"_s;
    QTest::newRow("url no host") << Mutation([](Profile &p) { p.downloadBaseUrl = u"http://"_s; })
                                 << u"downloadBaseUrl"_s << true << u"http"_s;
    QTest::newRow("url query") << Mutation(
        [](Profile &p) { p.downloadBaseUrl = u"http://c:8080/agent?v=1"_s; })
                               << u"downloadBaseUrl"_s << true << u"query"_s;
    QTest::newRow("url fragment") << Mutation(
        [](Profile &p) { p.downloadBaseUrl = u"http://c:8080/agent#x"_s; })
                                  << u"downloadBaseUrl"_s << true << u"fragment"_s;
    QTest::newRow("url credentials")
        << Mutation([](Profile &p) { p.downloadBaseUrl = u"http://u:pw@c:8080/agent"_s; })
        << u"downloadBaseUrl"_s << true << u"user name or password"_s;
    QTest::newRow("url listen-all")
        << Mutation([](Profile &p) { p.downloadBaseUrl = u"http://0.0.0.0:8080/agent"_s; })
        << u"downloadBaseUrl"_s << true << u"listen-on-all"_s;
    QTest::newRow("url localhost remote hosts")
        << Mutation([](Profile &p) { p.downloadBaseUrl = u"http://localhost:8080/agent"_s; })
        << u"downloadBaseUrl"_s << false << u"download from itself"_s;
    QTest::newRow("url 127.x remote hosts")
        << Mutation([](Profile &p) { p.downloadBaseUrl = u"http://127.0.1.1:8080/agent"_s; })
        << u"downloadBaseUrl"_s << false << u"download from itself"_s;
    QTest::newRow("server loopback derived") << Mutation([](Profile &p) {
        p.downloadBaseUrl.clear();
        p.artifactServer.listenAddress = u"127.0.0.1"_s;
    }) << u"artifactServer.listenAddress"_s << false
                                             << u"remote hosts cannot"_s;
    QTest::newRow("attempts") << Mutation([](Profile &p) { p.downloadMaxAttempts = 0; })
                              << u"downloadMaxAttempts"_s << true << u"at least 1"_s;
    QTest::newRow("interval") << Mutation([](Profile &p) { p.downloadRetryIntervalSeconds = -1; })
                              << u"downloadRetryIntervalSeconds"_s << true << u"at least 0"_s;
    QTest::newRow("parallelism") << Mutation([](Profile &p) { p.downloadParallelism = 0; })
                                 << u"downloadParallelism"_s << true << u"at least 1"_s;
    QTest::newRow("bundle relative") << Mutation([](Profile &p) { p.bundleDirectory = u"agent"_s; })
                                     << u"bundleDirectory"_s << false << u"relative"_s;
    QTest::newRow("winrm port") << Mutation([](Profile &p) { p.winrm.port = 65536; })
                                << u"winrm.port"_s << true << u"from 1 to 65535"_s;
    QTest::newRow("winrm port negative") << Mutation([](Profile &p) { p.winrm.port = -1; })
                                         << u"winrm.port"_s << true << u"not a port"_s;
    QTest::newRow("https on 5985") << Mutation([](Profile &p) {
        p.winrm.transport = WinRmTransport::Https;
        p.winrm.port = 5985;
    }) << u"winrm.port"_s << false << u"Use port 5986"_s;
    QTest::newRow("http on 5986") << Mutation([](Profile &p) { p.winrm.port = 5986; })
                                  << u"winrm.port"_s << false << u"transport https"_s;
    QTest::newRow("user colon") << Mutation([](Profile &p) { p.winrm.userName = u"svc:pw"_s; })
                                << u"winrm.userName"_s << true << u"never stored"_s;
    QTest::newRow("user empty domain")
        << Mutation([](Profile &p) { p.winrm.userName = u"\\svc"_s; }) << u"winrm.userName"_s
        << true << u"DOMAIN\\user"_s;
    QTest::newRow("kerberos domain form")
        << Mutation([](Profile &p) { p.winrm.auth = WinRmAuth::Kerberos; }) << u"winrm.userName"_s
        << false << u"svc-aetherv@CORP"_s;
    QTest::newRow("spn empty") << Mutation([](Profile &p) { p.winrm.spnService.clear(); })
                               << u"winrm.spnService"_s << true << u"normally HTTP"_s;
    QTest::newRow("spn target") << Mutation(
        [](Profile &p) { p.winrm.spnTargetOverride = u"bad name"_s; })
                                << u"winrm.spnTargetOverride"_s << true << u"SPN target"_s;
    QTest::newRow("delegation ntlm") << Mutation([](Profile &p) {
        p.winrm.auth = WinRmAuth::Ntlm;
        p.winrm.kerberosDelegation = true;
    }) << u"winrm.kerberosDelegation"_s
                                     << false << u"no effect"_s;
    QTest::newRow("ca file http") << Mutation([](Profile &p) { p.winrm.caFile = u"/ca.pem"_s; })
                                  << u"winrm.caFile"_s << false << u"not used"_s;
    QTest::newRow("ignore tls https") << Mutation([](Profile &p) {
        p.winrm.transport = WinRmTransport::Https;
        p.winrm.ignoreTlsErrors = true;
    }) << u"winrm.ignoreTlsErrors"_s << false
                                      << u"impersonate"_s;
    QTest::newRow("ignore tls http") << Mutation([](Profile &p) { p.winrm.ignoreTlsErrors = true; })
                                     << u"winrm.ignoreTlsErrors"_s << false << u"no effect"_s;
    QTest::newRow("basic over http")
        << Mutation([](Profile &p) { p.winrm.auth = WinRmAuth::Basic; }) << u"winrm.auth"_s << true
        << u"Use https (WINRM_TRANSPORT=https) or negotiate"_s;
    QTest::newRow("basic over http allowed") << Mutation([](Profile &p) {
        p.winrm.auth = WinRmAuth::Basic;
        p.winrm.allowBasicOverHttp = true;
    }) << u"winrm.allowBasicOverHttp"_s << false
                                             << u"clear text"_s;
    QTest::newRow("operation timeout")
        << Mutation([](Profile &p) { p.winrm.operationTimeoutSeconds = 0; })
        << u"winrm.operationTimeoutSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("connect timeout")
        << Mutation([](Profile &p) { p.winrm.connectTimeoutSeconds = -5; })
        << u"winrm.connectTimeoutSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("command deadline")
        << Mutation([](Profile &p) { p.winrm.commandDeadlineSeconds = 0; })
        << u"winrm.commandDeadlineSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("command beyond deploy")
        << Mutation([](Profile &p) { p.winrm.commandDeadlineSeconds = 1000; })
        << u"winrm.commandDeadlineSeconds"_s << false << u"longer than the deploy"_s;
    QTest::newRow("listen address")
        << Mutation([](Profile &p) { p.artifactServer.listenAddress = u"console"_s; })
        << u"artifactServer.listenAddress"_s << true << u"not an IP address"_s;
    QTest::newRow("server port") << Mutation([](Profile &p) { p.artifactServer.port = 0; })
                                 << u"artifactServer.port"_s << true << u"from 1 to 65535"_s;
    QTest::newRow("cert without key")
        << Mutation([](Profile &p) { p.artifactServer.certificateFile = u"/c.pem"_s; })
        << u"artifactServer.privateKeyFile"_s << true << u"both"_s;
    QTest::newRow("max connections")
        << Mutation([](Profile &p) { p.artifactServer.maxConnections = 0; })
        << u"artifactServer.maxConnections"_s << true << u"at least 1"_s;
    QTest::newRow("idle timeout") << Mutation([](Profile &p) {
        p.artifactServer.idleTimeoutSeconds = 0;
    }) << u"artifactServer.idleTimeoutSeconds"_s
                                  << true << u"at least 1"_s;
    QTest::newRow("deploy concurrency")
        << Mutation([](Profile &p) { p.taskRunner.deploymentConcurrency = 0; })
        << u"taskRunner.deploymentConcurrency"_s << true << u"at least 1"_s;
    QTest::newRow("inventory concurrency")
        << Mutation([](Profile &p) { p.taskRunner.inventoryConcurrency = 0; })
        << u"taskRunner.inventoryConcurrency"_s << true << u"at least 1"_s;
    QTest::newRow("diagnostics concurrency")
        << Mutation([](Profile &p) { p.taskRunner.diagnosticsConcurrency = 0; })
        << u"taskRunner.diagnosticsConcurrency"_s << true << u"at least 1"_s;
    QTest::newRow("deploy deadline")
        << Mutation([](Profile &p) { p.taskRunner.deployDeadlineSeconds = 0; })
        << u"taskRunner.deployDeadlineSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("check deadline")
        << Mutation([](Profile &p) { p.taskRunner.checkDeadlineSeconds = 0; })
        << u"taskRunner.checkDeadlineSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("gate timeout") << Mutation([](Profile &p) { p.ingressGate.timeoutSeconds = 0; })
                                  << u"ingressGate.timeoutSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("gate interval")
        << Mutation([](Profile &p) { p.ingressGate.intervalSeconds = 0; })
        << u"ingressGate.intervalSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("gate interval long")
        << Mutation([](Profile &p) { p.ingressGate.intervalSeconds = 500; })
        << u"ingressGate.intervalSeconds"_s << false << u"polled only once"_s;
    QTest::newRow("cache ttl") << Mutation([](Profile &p) { p.verifiedCacheTtlSeconds = -1; })
                               << u"verifiedCacheTtlSeconds"_s << true << u"at least 0"_s;
    QTest::newRow("lock expiry") << Mutation([](Profile &p) { p.lockExpirySeconds = 0; })
                                 << u"lockExpirySeconds"_s << true << u"at least 1"_s;
    QTest::newRow("lock shorter than deploy")
        << Mutation([](Profile &p) { p.lockExpirySeconds = 600; }) << u"lockExpirySeconds"_s
        << false << u"longer than the deploy deadline"_s;
    QTest::newRow("backoff base") << Mutation([](Profile &p) { p.failureBackoffBaseSeconds = 0; })
                                  << u"failureBackoffBaseSeconds"_s << true << u"at least 1"_s;
    QTest::newRow("backoff max") << Mutation([](Profile &p) { p.failureBackoffMaxSeconds = 10; })
                                 << u"failureBackoffMaxSeconds"_s << true << u"at least 30"_s;
}

void tst_ProfileValidation::rules()
{
    QFETCH(Mutation, mutate);
    QFETCH(QString, field);
    QFETCH(bool, error);
    QFETCH(QString, fragment);
    Profile p = baseProfile();
    mutate(p);
    const QList<ValidationIssue> issues = p.validate();
    bool found = false;
    for (const ValidationIssue &i : issues)
        found = found || (i.field == field && i.isError() == error && i.message.contains(fragment));
    QVERIFY2(found, qPrintable(describe(issues)));
    QCOMPARE(hasErrors(issues), error);
}

void tst_ProfileValidation::errorsComeFirstAndCarryTheProfileId()
{
    Profile p = baseProfile();
    p.winrm.ignoreTlsErrors = true;     // warning
    p.downloadMaxAttempts = 0;          // error
    p.hosts.clear();                    // warning
    p.installDirectory = u"Aether-V"_s; // error
    const QList<ValidationIssue> issues = p.validate();
    QCOMPARE(issues.size(), 4);
    QVERIFY(issues.at(0).isError());
    QVERIFY(issues.at(1).isError());
    QCOMPARE(issues.at(0).field, u"installDirectory"_s);
    QCOMPARE(issues.at(1).field, u"downloadMaxAttempts"_s);
    QCOMPARE(issues.at(2).field, u"hosts"_s);
    QCOMPARE(issues.at(3).field, u"winrm.ignoreTlsErrors"_s);
    for (const ValidationIssue &i : issues)
        QCOMPARE(i.profileId, p.id);
}

void tst_ProfileValidation::normalizedPaths_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("case") << u"C:\\Program Files\\Aether-V"_s << u"c:\\PROGRAM FILES\\aether-v"_s
                          << true;
    QTest::newRow("slashes") << u"C:/Program Files/Aether-V"_s << u"C:\\Program Files\\Aether-V"_s
                             << true;
    QTest::newRow("trailing") << u"C:\\Aether-V\\"_s << u"C:\\Aether-V"_s << true;
    QTest::newRow("doubled") << u"C:\\\\Aether-V"_s << u"C:\\Aether-V"_s << true;
    QTest::newRow("unc") << u"\\\\fs\\share\\AV\\"_s << u"\\\\FS\\Share\\av"_s << true;
    QTest::newRow("devel") << u"C:\\Program Files\\Aether-V"_s
                           << u"C:\\Program Files\\Aether-V (Devel)"_s << false;
    QTest::newRow("drive") << u"C:\\Aether-V"_s << u"D:\\Aether-V"_s << false;
}

void tst_ProfileValidation::normalizedPaths()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(normalizedWindowsPath(a) == normalizedWindowsPath(b), same);
    QCOMPARE(normalizedWindowsPath(u"C:\\"_s), u"c:\\"_s);
    QCOMPARE(normalizedWindowsPath(u"\\\\fs\\share"_s), u"\\\\fs\\share"_s);
}

void tst_ProfileValidation::sharedHostSameDirectoryWarns()
{
    Profile prod = baseProfile();
    Profile test = Profile::create(u"Test"_s, EnvironmentTag::Test);
    test.hosts = {{u"hv09.corp.example.com"_s, 0}, {u"HV02.corp.example.com"_s, 5986}};
    test.installDirectory = u"c:/program files/aether-v/"_s; // same folder, written differently
    const QList<ValidationIssue> issues = validateProfiles({prod, test});
    QCOMPARE(issues.size(), 1);
    const ValidationIssue &w = issues.first();
    QVERIFY(!w.isError());
    QCOMPARE(w.field, u"installDirectory"_s);
    QCOMPARE(w.profileId, test.id);
    QVERIFY2(w.message.contains(u"'Production'"), qPrintable(w.message));
    QVERIFY2(w.message.contains(u"'Test'"), qPrintable(w.message));
    QVERIFY2(w.message.contains(u"host HV02.corp.example.com"), qPrintable(w.message));
    QVERIFY(!w.message.contains(u"hv09"));
    QVERIFY(w.message.contains(u"own install directory"));
}

void tst_ProfileValidation::sharedHostDifferentDirectoriesIsFine()
{
    Profile prod = baseProfile();
    Profile devel = Profile::create(u"Devel"_s, EnvironmentTag::Development);
    devel.hosts = prod.hosts;
    devel.installDirectory = u"C:\\Program Files\\Aether-V (Devel)"_s;
    Profile other = Profile::create(u"Other hosts"_s);
    other.hosts = {{u"hv77"_s, 0}}; // same directory, but no shared host
    QVERIFY(validateProfiles({prod, devel, other}).isEmpty());
}

void tst_ProfileValidation::sharedHostNestedDirectoriesWarns()
{
    Profile prod = baseProfile();
    Profile lab = Profile::create(u"Lab"_s);
    lab.hosts = {{u"hv01.corp.example.com"_s, 0}};
    lab.installDirectory = u"C:\\Program Files\\Aether-V\\Lab"_s;
    const QList<ValidationIssue> issues = validateProfiles({prod, lab});
    QCOMPARE(issues.size(), 1);
    QVERIFY(!issues.first().isError());
    QVERIFY2(issues.first().message.contains(u"inside one another"),
             qPrintable(issues.first().message));
    QVERIFY(issues.first().message.contains(u"hv01.corp.example.com"));
}

void tst_ProfileValidation::duplicateIdsAndNames()
{
    Profile a = baseProfile();
    Profile b = a; // a copied file keeps the id
    b.hosts = {{u"hv50"_s, 0}};
    const QList<ValidationIssue> issues = validateProfiles({a, b});
    QCOMPARE(issues.size(), 2);
    QVERIFY(issues.at(0).isError());
    QCOMPARE(issues.at(0).field, u"id"_s);
    QVERIFY(!issues.at(1).isError());
    QCOMPARE(issues.at(1).field, u"name"_s);
}

QTEST_GUILESS_MAIN(tst_ProfileValidation)
#include "tst_profilevalidation.moc"
