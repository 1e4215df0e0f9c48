#pragma once

#include "core/common/result.h"
#include "core/config/validationissue.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace aetherv::config {

// The stage an environment profile serves. Shown in the console's title and colours; it does not
// change behaviour. JSON: "dev", "test", "prod", "other".
enum class EnvironmentTag { Development, Test, Production, Other };

// JSON and environment spelling: "http", "https".
enum class WinRmTransport { Http, Https };

// JSON and environment spelling: "negotiate", "ntlm", "kerberos", "basic".
enum class WinRmAuth { Negotiate, Ntlm, Kerberos, Basic };

QString environmentTagName(EnvironmentTag tag);
QString transportName(WinRmTransport transport);
QString authName(WinRmAuth auth);
Result<EnvironmentTag> parseEnvironmentTag(QStringView text); // case-insensitive
Result<WinRmTransport> parseTransport(QStringView text);      // case-insensitive
Result<WinRmAuth> parseAuth(QStringView text);                // case-insensitive

// One Hyper-V host of a profile.
struct HostEntry
{
    QString address; // DNS name, FQDN, IPv4 literal or IPv6 literal (without brackets)
    int port = 0;    // WinRM port for this host only; 0 = the profile's WinRM port

    // Parses "name", "name:port", "192.0.2.7:5986", "2001:db8::7" and "[2001:db8::7]:5986".
    // Checks the syntax of the port and the brackets only; validate() checks the name rules.
    static Result<HostEntry> parse(QStringView text);
    // The inverse of parse(): IPv6 literals are bracketed when a port follows.
    QString toString() const;

    friend bool operator==(const HostEntry &, const HostEntry &) = default;
};

// How the console talks WS-Management to the hosts. There is no password here, ever: the password
// comes from the keychain (console), an environment variable or a 0600 file (CLI) as Credentials.
struct WinRmSettings
{
    static constexpr int kDefaultHttpPort = 5985;
    static constexpr int kDefaultHttpsPort = 5986;

    WinRmTransport transport = WinRmTransport::Http;
    int port = 0; // 0 = 5985 for http, 5986 for https
    WinRmAuth auth = WinRmAuth::Negotiate;
    QString userName; // "DOMAIN\\user" or "user@REALM"; empty = ticket cache
    QString spnService = QStringLiteral("HTTP"); // service class of the host's SPN (HTTP/host)
    QString spnTargetOverride;        // host part of the SPN when it differs from the address
    bool kerberosDelegation = false;  // request a forwardable ticket (delegation)
    QString caFile;                   // PEM bundle trusted for https; empty = system store
    bool ignoreTlsErrors = false;     // accept any certificate (testing only)
    bool allowBasicOverHttp = false;  // explicit consent to send Basic in clear text
    int operationTimeoutSeconds = 20; // WS-Man OperationTimeout of one request
    int connectTimeoutSeconds = 15;   // TCP + TLS connect of one request
    int commandDeadlineSeconds = 600; // longest run of one remote command

    int effectivePort() const;

    friend bool operator==(const WinRmSettings &, const WinRmSettings &) = default;
};

// The embedded HTTP(S) server the hosts download the bundle from.
struct ArtifactServerSettings
{
    QString listenAddress = QStringLiteral("0.0.0.0"); // IPv4 or IPv6 literal to bind
    int port = 8080;
    QString certificateFile;     // PEM; together with privateKeyFile the server speaks HTTPS
    QString privateKeyFile;      // PEM
    int maxConnections = 512;    // beyond this a connection gets 503
    int idleTimeoutSeconds = 60; // keep-alive idle time and longest stall of a download

    friend bool operator==(const ArtifactServerSettings &, const ArtifactServerSettings &)
        = default;
};

// Bounds of the remote task runner: threads per category and deadline per task.
struct TaskRunnerSettings
{
    int deploymentConcurrency = 8;
    int inventoryConcurrency = 16;
    int diagnosticsConcurrency = 4;
    int deployDeadlineSeconds = 900; // one host's whole deployment
    int checkDeadlineSeconds = 120;  // one version/readiness check

    friend bool operator==(const TaskRunnerSettings &, const TaskRunnerSettings &) = default;
};

// Before any redeployment the service waits until the download endpoint answers ready.
struct IngressGateSettings
{
    int timeoutSeconds = 120; // give up waiting (log a warning) after this long
    int intervalSeconds = 3;  // between two polls

    friend bool operator==(const IngressGateSettings &, const IngressGateSettings &) = default;
};

// Every setting of one environment profile (e.g. "Production"). A value type: copy freely. The
// console and the CLI persist it with toJson()/fromJson(); core never reads QSettings.
struct Profile
{
    static constexpr int kSchemaVersion = 2;

    // Identity
    QString id; // stable; letters, digits, '-', '_', '.'; newId() makes a UUID
    QString name;
    EnvironmentTag environment = EnvironmentTag::Other;

    QList<HostEntry> hosts; // env HYPERV_HOSTS

    // Where the bundle lands on each host, and how the hosts fetch it.
    QString installDirectory
        = QStringLiteral("C:\\Program Files\\Aether-V"); // HOST_INSTALL_DIRECTORY
    QString downloadBaseUrl;              // AGENT_DOWNLOAD_BASE_URL; empty = artifact server URL
    int downloadMaxAttempts = 3;          // AGENT_DOWNLOAD_MAX_ATTEMPTS, per file
    int downloadRetryIntervalSeconds = 5; // AGENT_DOWNLOAD_RETRY_INTERVAL, between attempts
    int downloadParallelism = 4;          // files downloaded at once on one host
    QString bundleDirectory;              // console-side bundle folder; empty = the built-in one

    WinRmSettings winrm;
    ArtifactServerSettings artifactServer;
    TaskRunnerSettings taskRunner;
    IngressGateSettings ingressGate;

    // Deployment policy
    bool startupDeployment = true;      // check (and if needed deploy) every host at start
    int verifiedCacheTtlSeconds = 300;  // trust a verified host version this long; 0 = never
    int lockExpirySeconds = 1800;       // host-side deployment lock lifetime
    int failureBackoffBaseSeconds = 30; // first retry delay after a failed deployment
    int failureBackoffMaxSeconds = 900; // the delay doubles per failure up to this

    // A fresh profile with a new id and every default above.
    static Profile create(const QString &name, EnvironmentTag environment = EnvironmentTag::Other);
    static QString newId();

    // JSON with "schemaVersion": 2. fromJson() migrates older schemas (see migrateProfileJson),
    // rejects values of the wrong type naming the key, keeps out-of-range numbers for validate(),
    // ignores unknown keys, and gives a document without "id" a new id.
    QJsonObject toJsonObject() const;
    QByteArray toJson(QJsonDocument::JsonFormat format = QJsonDocument::Indented) const;
    static Result<Profile> fromJsonObject(const QJsonObject &object);
    static Result<Profile> fromJson(QByteArrayView json);

    // Applies the seed's environment variables on top of this profile (environmentVariables() in
    // environment.h lists each variable, its field and accepted form; values are trimmed, an empty
    // value counts as unset; retry interval and operation timeout take whole seconds, "5" or "5s").
    // Either all present variables apply or, when any value is malformed, none does and the error
    // names every malformed variable and its expected form.
    struct Override
    {
        QString variable; // e.g. "WINRM_PORT"
        QString field;    // e.g. "winrm.port"
        QString value;    // the value as applied, for display

        friend bool operator==(const Override &, const Override &) = default;
    };
    Result<QList<Override>> applyEnvironment(const QProcessEnvironment &environment);

    // Every rule a profile must meet (validation.cpp), errors before warnings. Pure: no file or
    // network access. Cross-profile rules are in validateProfiles() (validation.h).
    QList<ValidationIssue> validate() const;

    // The URL the hosts download from: downloadBaseUrl when set, else serverUrl (normally
    // ArtifactServer::baseUrl(), ".../agent"). A trailing '/' is removed. Fails when the result is
    // not an http(s) URL with a host the hosts could reach (not empty, not 0.0.0.0 or ::).
    Result<QUrl> effectiveDownloadBaseUrl(const QUrl &serverUrl) const;

    // http(s)://host:port/wsman for a host; IPv6 literals come out bracketed.
    QUrl winrmEndpoint(const HostEntry &host) const;
    int winrmPort(const HostEntry &host) const;

    friend bool operator==(const Profile &, const Profile &) = default;
};

// Upgrades a profile JSON object of any older schema to the current one, one step at a time.
// Schema 1 (no "schemaVersion" key, or 1) differs from 2 in: "hostInstallDirectory" is now
// "installDirectory"; "hosts" was a list of "name[:port]" strings and is now a list of
// {"address","port"} objects; "winrm.useHttps" (bool) is now "winrm.transport" ("http"/"https");
// "winrm.authMethod" is now "winrm.auth". A schema newer than this build is an error.
Result<QJsonObject> migrateProfileJson(QJsonObject object);

// A file with several profiles: {"schemaVersion": 2, "profiles": [ ... ]}. A single profile object
// is accepted by importProfiles() too.
QByteArray exportProfiles(const QList<Profile> &profiles);
Result<QList<Profile>> importProfiles(QByteArrayView json);

} // namespace aetherv::config
