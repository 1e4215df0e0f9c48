#include "core/config/environment.h"
#include "core/config/profile.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace aetherv;
using namespace aetherv::config;
using namespace Qt::StringLiterals;

// Profile::applyEnvironment(): every variable with good and malformed values.
class tst_ProfileEnvironment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goodValues_data();
    void goodValues();
    void malformedValues_data();
    void malformedValues();
    void everyVariableIsListedAndTested();
    void noVariablesChangesNothing();
    void emptyValueIsNotSet();
    void severalOverridesApplyInTableOrder();
    void oneMalformedValueAppliesNone();
    void userValueWithColonIsNeverEchoed();
};

// The value at "a.b" of a profile's JSON.
static QJsonValue jsonAt(const Profile &p, const QString &path)
{
    QJsonValue v = p.toJsonObject();
    const QStringList parts = path.split(u'.');
    for (const QString &part : parts)
        v = v.toObject().value(part);
    return v;
}

static QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> vars)
{
    QProcessEnvironment e;
    for (const auto &[name, value] : vars)
        e.insert(name, value);
    return e;
}

static QJsonArray hostsJson(std::initializer_list<std::pair<QString, int>> hosts)
{
    QJsonArray a;
    for (const auto &[address, port] : hosts) {
        QJsonObject h{{u"address"_s, address}};
        if (port != 0)
            h.insert(u"port", port);
        a.append(h);
    }
    return a;
}

void tst_ProfileEnvironment::goodValues_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("expected"); // the field's JSON value afterwards
    QTest::addColumn<QString>("shown");       // Override::value

    QTest::newRow("install default")
        << u"HOST_INSTALL_DIRECTORY"_s << u"C:\\Program Files\\Aether-V"_s << u"installDirectory"_s
        << QJsonValue(u"C:\\Program Files\\Aether-V"_s) << u"C:\\Program Files\\Aether-V"_s;
    QTest::newRow("install devel")
        << u"HOST_INSTALL_DIRECTORY"_s << u"C:\\Program Files\\Aether-V (Devel)"_s
        << u"installDirectory"_s << QJsonValue(u"C:\\Program Files\\Aether-V (Devel)"_s)
        << u"C:\\Program Files\\Aether-V (Devel)"_s;
    QTest::newRow("install share")
        << u"HOST_INSTALL_DIRECTORY"_s << u"\\\\FileServer\\Share\\AetherV"_s
        << u"installDirectory"_s << QJsonValue(u"\\\\FileServer\\Share\\AetherV"_s)
        << u"\\\\FileServer\\Share\\AetherV"_s;
    QTest::newRow("install quoted")
        << u"HOST_INSTALL_DIRECTORY"_s << u"\"D:\\Aether V\""_s << u"installDirectory"_s
        << QJsonValue(u"D:\\Aether V"_s) << u"D:\\Aether V"_s;
    QTest::newRow("url") << u"AGENT_DOWNLOAD_BASE_URL"_s << u" http://10.1.2.3:8080/agent "_s
                         << u"downloadBaseUrl"_s << QJsonValue(u"http://10.1.2.3:8080/agent"_s)
                         << u"http://10.1.2.3:8080/agent"_s;
    QTest::newRow("url https ipv6")
        << u"AGENT_DOWNLOAD_BASE_URL"_s << u"https://[2001:db8::5]/agent"_s << u"downloadBaseUrl"_s
        << QJsonValue(u"https://[2001:db8::5]/agent"_s) << u"https://[2001:db8::5]/agent"_s;
    QTest::newRow("attempts") << u"AGENT_DOWNLOAD_MAX_ATTEMPTS"_s << u"5"_s
                              << u"downloadMaxAttempts"_s << QJsonValue(5) << u"5"_s;
    QTest::newRow("interval plain")
        << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"10"_s << u"downloadRetryIntervalSeconds"_s
        << QJsonValue(10) << u"10 s"_s;
    QTest::newRow("interval s") << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"7s"_s
                                << u"downloadRetryIntervalSeconds"_s << QJsonValue(7) << u"7 s"_s;
    QTest::newRow("interval zero")
        << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"0"_s << u"downloadRetryIntervalSeconds"_s
        << QJsonValue(0) << u"0 s"_s;
    QTest::newRow("hosts commas") << u"HYPERV_HOSTS"_s << u"hv01,hv02.corp.example"_s << u"hosts"_s
                                  << QJsonValue(
                                         hostsJson({{u"hv01"_s, 0}, {u"hv02.corp.example"_s, 0}}))
                                  << u"hv01, hv02.corp.example"_s;
    QTest::newRow("hosts mixed separators")
        << u"HYPERV_HOSTS"_s << u" hv01 ; 192.0.2.9:5986,\n[2001:db8::9]:15985\t2001:db8::a "_s
        << u"hosts"_s
        << QJsonValue(hostsJson({{u"hv01"_s, 0},
                                 {u"192.0.2.9"_s, 5986},
                                 {u"2001:db8::9"_s, 15985},
                                 {u"2001:db8::a"_s, 0}}))
        << u"hv01, 192.0.2.9:5986, [2001:db8::9]:15985, 2001:db8::a"_s;
    QTest::newRow("transport") << u"WINRM_TRANSPORT"_s << u"HTTPS"_s << u"winrm.transport"_s
                               << QJsonValue(u"https"_s) << u"https"_s;
    QTest::newRow("port") << u"WINRM_PORT"_s << u"5986"_s << u"winrm.port"_s << QJsonValue(5986)
                          << u"5986"_s;
    QTest::newRow("auth kerberos") << u"WINRM_AUTH"_s << u"Kerberos"_s << u"winrm.auth"_s
                                   << QJsonValue(u"kerberos"_s) << u"kerberos"_s;
    QTest::newRow("auth ntlm") << u"WINRM_AUTH"_s << u"ntlm"_s << u"winrm.auth"_s
                               << QJsonValue(u"ntlm"_s) << u"ntlm"_s;
    QTest::newRow("user domain") << u"WINRM_USER"_s << u"CORP\\svc-aetherv"_s << u"winrm.userName"_s
                                 << QJsonValue(u"CORP\\svc-aetherv"_s) << u"CORP\\svc-aetherv"_s;
    QTest::newRow("user upn") << u"WINRM_USER"_s << u"svc@CORP.EXAMPLE"_s << u"winrm.userName"_s
                              << QJsonValue(u"svc@CORP.EXAMPLE"_s) << u"svc@CORP.EXAMPLE"_s;
    QTest::newRow("spn") << u"WINRM_SPN_SERVICE"_s << u"WSMAN"_s << u"winrm.spnService"_s
                         << QJsonValue(u"WSMAN"_s) << u"WSMAN"_s;
    QTest::newRow("ca file") << u"WINRM_CA_FILE"_s << u"/etc/ssl/corp ca.pem"_s << u"winrm.caFile"_s
                             << QJsonValue(u"/etc/ssl/corp ca.pem"_s) << u"/etc/ssl/corp ca.pem"_s;
    QTest::newRow("ignore tls 1") << u"WINRM_IGNORE_TLS_ERRORS"_s << u"1"_s
                                  << u"winrm.ignoreTlsErrors"_s << QJsonValue(true) << u"true"_s;
    QTest::newRow("ignore tls yes") << u"WINRM_IGNORE_TLS_ERRORS"_s << u"Yes"_s
                                    << u"winrm.ignoreTlsErrors"_s << QJsonValue(true) << u"true"_s;
    QTest::newRow("ignore tls on") << u"WINRM_IGNORE_TLS_ERRORS"_s << u"on"_s
                                   << u"winrm.ignoreTlsErrors"_s << QJsonValue(true) << u"true"_s;
    QTest::newRow("ignore tls false")
        << u"WINRM_IGNORE_TLS_ERRORS"_s << u"FALSE"_s << u"winrm.ignoreTlsErrors"_s
        << QJsonValue(false) << u"false"_s;
    QTest::newRow("ignore tls off")
        << u"WINRM_IGNORE_TLS_ERRORS"_s << u"off"_s << u"winrm.ignoreTlsErrors"_s
        << QJsonValue(false) << u"false"_s;
    QTest::newRow("op timeout") << u"WINRM_OPERATION_TIMEOUT"_s << u"60"_s
                                << u"winrm.operationTimeoutSeconds"_s << QJsonValue(60)
                                << u"60 s"_s;
    QTest::newRow("op timeout s") << u"WINRM_OPERATION_TIMEOUT"_s << u"30S"_s
                                  << u"winrm.operationTimeoutSeconds"_s << QJsonValue(30)
                                  << u"30 s"_s;
}

void tst_ProfileEnvironment::goodValues()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, field);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, shown);

    Profile p = Profile::create(u"Env"_s);
    if (variable == u"WINRM_IGNORE_TLS_ERRORS")
        p.winrm.ignoreTlsErrors = !expected.toBool(); // so that the override visibly changes it
    const auto applied = p.applyEnvironment(env({{variable, value}}));
    QVERIFY2(applied.has_value(), qPrintable(applied ? QString() : applied.error().message));
    QCOMPARE(applied->size(), 1);
    QCOMPARE(applied->first().variable, variable);
    QCOMPARE(applied->first().field, field);
    QCOMPARE(applied->first().value, shown);
    QCOMPARE(jsonAt(p, field), expected);
}

void tst_ProfileEnvironment::malformedValues_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("form"); // part of the expected-form text in the message

    QTest::newRow("install only quotes")
        << u"HOST_INSTALL_DIRECTORY"_s << u"\"\""_s << u"absolute Windows path"_s;
    QTest::newRow("url no scheme")
        << u"AGENT_DOWNLOAD_BASE_URL"_s << u"console:8080/agent"_s << u"http:// or https:// URL"_s;
    QTest::newRow("url ftp") << u"AGENT_DOWNLOAD_BASE_URL"_s << u"ftp://console/agent"_s
                             << u"http:// or https:// URL"_s;
    QTest::newRow("url query") << u"AGENT_DOWNLOAD_BASE_URL"_s << u"http://console/agent?x=1"_s
                               << u"no query"_s;
    QTest::newRow("url credentials") << u"AGENT_DOWNLOAD_BASE_URL"_s
                                     << u"http://u:p@console/agent"_s << u"http:// or https://"_s;
    QTest::newRow("attempts zero") << u"AGENT_DOWNLOAD_MAX_ATTEMPTS"_s << u"0"_s << u"1 or more"_s;
    QTest::newRow("attempts text")
        << u"AGENT_DOWNLOAD_MAX_ATTEMPTS"_s << u"three"_s << u"1 or more"_s;
    QTest::newRow("attempts negative")
        << u"AGENT_DOWNLOAD_MAX_ATTEMPTS"_s << u"-2"_s << u"1 or more"_s;
    QTest::newRow("interval ms") << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"500ms"_s
                                 << u"whole seconds"_s;
    QTest::newRow("interval fraction")
        << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"2.5"_s << u"whole seconds"_s;
    QTest::newRow("interval minutes")
        << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"1m"_s << u"whole seconds"_s;
    QTest::newRow("interval negative")
        << u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s << u"-1"_s << u"whole seconds"_s;
    QTest::newRow("hosts bad port")
        << u"HYPERV_HOSTS"_s << u"hv01,hv02:winrm"_s << u"separated by commas"_s;
    QTest::newRow("hosts unclosed")
        << u"HYPERV_HOSTS"_s << u"[2001:db8::1"_s << u"separated by commas"_s;
    QTest::newRow("hosts only separators")
        << u"HYPERV_HOSTS"_s << u",;,"_s << u"separated by commas"_s;
    QTest::newRow("transport") << u"WINRM_TRANSPORT"_s << u"tcp"_s << u"http or https"_s;
    QTest::newRow("port zero") << u"WINRM_PORT"_s << u"0"_s << u"from 1 to 65535"_s;
    QTest::newRow("port big") << u"WINRM_PORT"_s << u"65536"_s << u"from 1 to 65535"_s;
    QTest::newRow("port text") << u"WINRM_PORT"_s << u"https"_s << u"from 1 to 65535"_s;
    QTest::newRow("auth credssp") << u"WINRM_AUTH"_s << u"credssp"_s
                                  << u"negotiate, ntlm, kerberos or basic"_s;
    QTest::newRow("user two slashes") << u"WINRM_USER"_s << u"A\\B\\c"_s << u"user name only"_s;
    QTest::newRow("spn slash") << u"WINRM_SPN_SERVICE"_s << u"HTTP/host"_s
                               << u"SPN service class"_s;
    QTest::newRow("ignore tls maybe")
        << u"WINRM_IGNORE_TLS_ERRORS"_s << u"maybe"_s << u"true/false"_s;
    QTest::newRow("ignore tls 2") << u"WINRM_IGNORE_TLS_ERRORS"_s << u"2"_s << u"true/false"_s;
    QTest::newRow("op timeout zero") << u"WINRM_OPERATION_TIMEOUT"_s << u"0"_s << u"1 or more"_s;
    QTest::newRow("op timeout unit")
        << u"WINRM_OPERATION_TIMEOUT"_s << u"20 sec"_s << u"whole seconds"_s;
}

void tst_ProfileEnvironment::malformedValues()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, form);

    Profile p = Profile::create(u"Env"_s);
    const Profile before = p;
    const auto applied = p.applyEnvironment(env({{variable, value}}));
    QVERIFY(!applied.has_value());
    QCOMPARE(applied.error().code, ErrorCode::Configuration);
    const QString message = applied.error().message;
    QVERIFY2(message.contains(variable + u'='), qPrintable(message));
    QVERIFY2(message.contains(u"expected"), qPrintable(message));
    QVERIFY2(message.contains(form), qPrintable(message));
    QCOMPARE(p, before);
}

void tst_ProfileEnvironment::everyVariableIsListedAndTested()
{
    const QStringList required{u"HOST_INSTALL_DIRECTORY"_s,
                               u"AGENT_DOWNLOAD_BASE_URL"_s,
                               u"AGENT_DOWNLOAD_MAX_ATTEMPTS"_s,
                               u"AGENT_DOWNLOAD_RETRY_INTERVAL"_s,
                               u"HYPERV_HOSTS"_s,
                               u"WINRM_TRANSPORT"_s,
                               u"WINRM_PORT"_s,
                               u"WINRM_AUTH"_s,
                               u"WINRM_USER"_s,
                               u"WINRM_SPN_SERVICE"_s,
                               u"WINRM_CA_FILE"_s,
                               u"WINRM_IGNORE_TLS_ERRORS"_s,
                               u"WINRM_OPERATION_TIMEOUT"_s};
    QStringList listed;
    for (const EnvironmentVariable &v : environmentVariables()) {
        listed.append(v.name);
        QVERIFY(!v.field.isEmpty());
        QVERIFY(!v.expectedForm.isEmpty());
        // The documented field exists in the profile's JSON.
        QVERIFY2(!jsonAt(Profile(), v.field).isUndefined(), qPrintable(v.field));
    }
    QCOMPARE(listed, required);
}

void tst_ProfileEnvironment::noVariablesChangesNothing()
{
    QProcessEnvironment unrelated;
    unrelated.insert(u"PATH"_s, u"/usr/bin"_s);
    unrelated.insert(u"WINRM_PASSWORD"_s, u"secret"_s); // not a profile setting
    Profile p = Profile::create(u"Env"_s);
    const Profile before = p;
    const auto applied = p.applyEnvironment(unrelated);
    QVERIFY(applied.has_value());
    QVERIFY(applied->isEmpty());
    QCOMPARE(p, before);
}

void tst_ProfileEnvironment::emptyValueIsNotSet()
{
    Profile p = Profile::create(u"Env"_s);
    p.downloadBaseUrl = u"http://console:8080/agent"_s;
    const Profile before = p;
    const auto applied = p.applyEnvironment(
        env({{u"AGENT_DOWNLOAD_BASE_URL"_s, QString()}, {u"WINRM_PORT"_s, u"  "_s}}));
    QVERIFY(applied.has_value());
    QVERIFY(applied->isEmpty());
    QCOMPARE(p, before);
}

void tst_ProfileEnvironment::severalOverridesApplyInTableOrder()
{
    Profile p = Profile::create(u"Env"_s);
    const auto applied = p.applyEnvironment(env({{u"WINRM_TRANSPORT"_s, u"https"_s},
                                                 {u"HYPERV_HOSTS"_s, u"hv01 hv02"_s},
                                                 {u"HOST_INSTALL_DIRECTORY"_s, u"E:\\AV"_s}}));
    QVERIFY(applied.has_value());
    const QList<Profile::Override> expected{
        {u"HOST_INSTALL_DIRECTORY"_s, u"installDirectory"_s, u"E:\\AV"_s},
        {u"HYPERV_HOSTS"_s, u"hosts"_s, u"hv01, hv02"_s},
        {u"WINRM_TRANSPORT"_s, u"winrm.transport"_s, u"https"_s},
    };
    QCOMPARE(*applied, expected);
    // The port follows the transport when no port was configured.
    QCOMPARE(p.winrmEndpoint(p.hosts.first()).toString(), u"https://hv01:5986/wsman"_s);
}

void tst_ProfileEnvironment::oneMalformedValueAppliesNone()
{
    Profile p = Profile::create(u"Env"_s);
    const Profile before = p;
    const auto applied = p.applyEnvironment(env({{u"HOST_INSTALL_DIRECTORY"_s, u"E:\\AV"_s},
                                                 {u"WINRM_PORT"_s, u"99999"_s},
                                                 {u"WINRM_AUTH"_s, u"digest"_s}}));
    QVERIFY(!applied.has_value());
    const QString message = applied.error().message;
    QVERIFY2(message.contains(u"WINRM_PORT=\"99999\""), qPrintable(message));
    QVERIFY2(message.contains(u"WINRM_AUTH=\"digest\""), qPrintable(message));
    QVERIFY(!message.contains(u"HOST_INSTALL_DIRECTORY"));
    QCOMPARE(p, before);
}

void tst_ProfileEnvironment::userValueWithColonIsNeverEchoed()
{
    Profile p = Profile::create(u"Env"_s);
    const auto applied = p.applyEnvironment(env({{u"WINRM_USER"_s, u"CORP\\svc:Hunter2!"_s}}));
    QVERIFY(!applied.has_value());
    QVERIFY(applied.error().message.contains(u"WINRM_USER=(value hidden)"));
    QVERIFY(applied.error().message.contains(u"never a password"));
    QVERIFY(!applied.error().message.contains(u"Hunter2"));
    QVERIFY(!applied.error().detail.contains(u"Hunter2"));
    QVERIFY(p.winrm.userName.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ProfileEnvironment)
#include "tst_profileenvironment.moc"
