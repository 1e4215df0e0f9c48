#include "core/config/validation.h"

#include "core/config/hostaddress.h"
#include "core/config/windowspath.h"

#include <QDir>
#include <QHostAddress>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <algorithm>

namespace aetherv::config {

namespace {

using Severity = ValidationIssue::Severity;

class Issues
{
public:
    void error(const QString &field, const QString &message)
    {
        m_list.append({Severity::Error, field, message, {}});
    }
    void warning(const QString &field, const QString &message)
    {
        m_list.append({Severity::Warning, field, message, {}});
    }
    void append(const QList<ValidationIssue> &issues) { m_list.append(issues); }

    void atLeast(const QString &field, int value, int minimum, QStringView what)
    {
        if (value < minimum) {
            error(field, QStringLiteral("%1 is %2; it must be at least %3. Enter %4 or more.")
                             .arg(what.toString())
                             .arg(value)
                             .arg(minimum)
                             .arg(minimum));
        }
    }
    void port(const QString &field, int value, QStringView what, bool zeroAllowed)
    {
        if ((value == 0 && zeroAllowed) || (value >= 1 && value <= 65535))
            return;
        error(field, QStringLiteral("%1 %2 is not a port number. Use a number from 1 to 65535%3.")
                         .arg(what.toString())
                         .arg(value)
                         .arg(zeroAllowed ? QStringLiteral(", or 0 for the default") : QString()));
    }

    QList<ValidationIssue> take(const QString &profileId)
    {
        for (ValidationIssue &issue : m_list)
            issue.profileId = profileId;
        std::stable_sort(m_list.begin(), m_list.end(),
                         [](const ValidationIssue &a, const ValidationIssue &b) {
                             return a.isError() && !b.isError();
                         });
        return std::move(m_list);
    }

private:
    QList<ValidationIssue> m_list;
};

bool isIdChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
           || c == u'-' || c == u'_' || c == u'.';
}

bool anyRemoteHost(const QList<HostEntry> &hosts)
{
    return std::any_of(hosts.begin(), hosts.end(),
                       [](const HostEntry &h) { return !isLoopbackHost(h.address); });
}

void checkIdentity(const Profile &p, Issues &out)
{
    if (p.id.isEmpty()) {
        out.error(QStringLiteral("id"), QStringLiteral("The profile has no id. Create profiles "
                                                       "with Profile::create() or import them "
                                                       "from a file, which assigns one."));
    } else if (!std::all_of(p.id.begin(), p.id.end(), isIdChar)) {
        out.error(QStringLiteral("id"),
                  u"The profile id '" + p.id
                      + u"' may contain only letters, digits, '-', '_' and '.'. Give it a new id.");
    }
    if (p.name.trimmed().isEmpty()) {
        out.error(QStringLiteral("name"),
                  QStringLiteral("The profile has no name. Name it after its environment, e.g. "
                                 "Production."));
    }
}

void checkHosts(const Profile &p, Issues &out)
{
    if (p.hosts.isEmpty()) {
        out.warning(QStringLiteral("hosts"),
                    QStringLiteral("The profile has no hosts. Add the Hyper-V hosts it manages "
                                   "(or set HYPERV_HOSTS)."));
    }
    QHash<QString, qsizetype> seen;
    for (qsizetype i = 0; i < p.hosts.size(); ++i) {
        const HostEntry &host = p.hosts.at(i);
        const QString field = QStringLiteral("hosts[%1]").arg(i);
        const auto kind = classifyHostAddress(host.address);
        if (!kind)
            out.error(field, kind.error().message);
        out.port(field + u".port", host.port, u"The WinRM port of host", true);
        // One WinRM endpoint per entry: the same address on another port is another listener
        // (several hosts behind one NAT address, or simulated hosts on loopback).
        const QString address = normalizedHostAddress(host.address);
        if (address.isEmpty())
            continue;
        const QString key = address + u'#' + QString::number(p.winrmPort(host));
        if (seen.contains(key)) {
            out.error(field, u"The host '" + host.address + u"' is listed twice (also as hosts["
                                 + QString::number(seen.value(key))
                                 + u"]). Remove one of the entries.");
        } else {
            seen.insert(key, i);
        }
    }
}

void checkDownloads(const Profile &p, Issues &out)
{
    out.append(checkInstallDirectory(p.installDirectory, QStringLiteral("installDirectory")));

    const QString field = QStringLiteral("downloadBaseUrl");
    const QString text = p.downloadBaseUrl.trimmed();
    if (!text.isEmpty()) {
        const QUrl url(text, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        const QString example = QStringLiteral("http://console.example.com:8080/agent");
        if (!url.isValid() || (scheme != u"http" && scheme != u"https")) {
            out.error(field, u"The download base URL '" + text
                                 + u"' is not an http:// or https:// URL. Enter the console's "
                                   u"/agent URL as the hosts reach it, e.g. "
                                 + example + u'.');
        } else if (url.host().isEmpty()) {
            out.error(field, u"The download base URL '" + text + u"' has no host. Enter e.g. "
                                 + example + u'.');
        } else if (!url.userInfo().isEmpty()) {
            out.error(field, QStringLiteral("The download base URL contains a user name or "
                                            "password. Remove it: hosts download the bundle "
                                            "without credentials."));
        } else if (url.hasQuery() || url.hasFragment()) {
            out.error(field, u"The download base URL '" + text
                                 + u"' has a query (?...) or fragment (#...). Remove it: file "
                                   u"names are appended to the URL's path.");
        } else if (isUnspecifiedHost(url.host())) {
            out.error(field, u"The download base URL '" + text
                                 + u"' uses a listen-on-all address no host can connect to. Use "
                                   u"the console's name or IP address as the hosts see it.");
        } else if (isLoopbackHost(url.host()) && anyRemoteHost(p.hosts)) {
            out.warning(field, u"The download base URL '" + text
                                   + u"' points at localhost, but the hosts are remote: each host "
                                     u"would try to download from itself. Use the console's name "
                                     u"or IP address as the hosts see it.");
        }
    } else if (isLoopbackHost(p.artifactServer.listenAddress) && anyRemoteHost(p.hosts)) {
        out.warning(QStringLiteral("artifactServer.listenAddress"),
                    u"The artifact server listens on " + p.artifactServer.listenAddress
                        + u" only and no download base URL is set, so remote hosts cannot "
                          u"download the bundle. Listen on 0.0.0.0 or a reachable address, or set "
                          u"AGENT_DOWNLOAD_BASE_URL.");
    }

    out.atLeast(QStringLiteral("downloadMaxAttempts"), p.downloadMaxAttempts, 1,
                u"The number of download attempts");
    out.atLeast(QStringLiteral("downloadRetryIntervalSeconds"), p.downloadRetryIntervalSeconds, 0,
                u"The download retry interval (seconds)");
    out.atLeast(QStringLiteral("downloadParallelism"), p.downloadParallelism, 1,
                u"The number of parallel downloads per host");
    if (!p.bundleDirectory.isEmpty() && QDir::isRelativePath(p.bundleDirectory)) {
        out.warning(QStringLiteral("bundleDirectory"),
                    u"The bundle directory '" + p.bundleDirectory
                        + u"' is relative and depends on the folder the console starts in. Use "
                          u"an absolute path.");
    }
}

void checkUserName(const WinRmSettings &w, Issues &out)
{
    const QString field = QStringLiteral("winrm.userName");
    const QString &user = w.userName;
    if (user.isEmpty())
        return;
    if (user.contains(u':')) {
        out.error(field, QStringLiteral("The WinRM user name contains ':'. Enter only the user "
                                        "name (DOMAIN\\user or user@REALM); passwords are never "
                                        "stored in a profile."));
        return;
    }
    const bool control
        = std::any_of(user.begin(), user.end(), [](QChar c) { return c.unicode() < 0x20; });
    const qsizetype slash = user.indexOf(u'\\');
    const qsizetype at = user.lastIndexOf(u'@');
    const bool badSlash
        = slash >= 0 && (slash == 0 || slash == user.size() - 1 || user.count(u'\\') > 1);
    const bool badAt = slash < 0 && at >= 0 && (at == 0 || at == user.size() - 1);
    if (control || badSlash || badAt || user.contains(u'/')) {
        out.error(field, u"The WinRM user name '" + user
                             + u"' is not of the form user, DOMAIN\\user or user@REALM. Correct "
                               u"it.");
        return;
    }
    if (w.auth == WinRmAuth::Kerberos && slash >= 0) {
        out.warning(field, u"Kerberos needs the realm of the user; write '" + user.mid(slash + 1)
                               + u"@" + user.left(slash).toUpper()
                               + u".<DNS domain>' (user@REALM) instead of DOMAIN\\user.");
    }
}

void checkWinRm(const Profile &p, Issues &out)
{
    const WinRmSettings &w = p.winrm;
    const bool https = w.transport == WinRmTransport::Https;
    out.port(QStringLiteral("winrm.port"), w.port, u"The WinRM port", true);
    if (https && w.port == WinRmSettings::kDefaultHttpPort) {
        out.warning(QStringLiteral("winrm.port"),
                    QStringLiteral("The WinRM port is 5985 (the HTTP listener) but the transport "
                                   "is https. Use port 5986, or transport http."));
    } else if (!https && w.port == WinRmSettings::kDefaultHttpsPort) {
        out.warning(QStringLiteral("winrm.port"),
                    QStringLiteral("The WinRM port is 5986 (the HTTPS listener) but the transport "
                                   "is http. Use transport https, or port 5985."));
    }
    checkUserName(w, out);

    const bool spnOk = !w.spnService.isEmpty()
                       && std::all_of(w.spnService.begin(), w.spnService.end(), [](QChar c) {
                              return (c.unicode() < 0x80 && c.isLetterOrNumber()) || c == u'-';
                          });
    if (!spnOk) {
        out.error(QStringLiteral("winrm.spnService"),
                  u"The SPN service class '" + w.spnService
                      + u"' is not valid. Use letters, digits and '-', normally HTTP (or WSMAN).");
    }
    if (!w.spnTargetOverride.isEmpty()) {
        const auto kind = classifyHostAddress(w.spnTargetOverride);
        if (!kind) {
            out.error(QStringLiteral("winrm.spnTargetOverride"),
                      u"The SPN target name: " + kind.error().message);
        }
    }
    if (w.kerberosDelegation && (w.auth == WinRmAuth::Ntlm || w.auth == WinRmAuth::Basic)) {
        out.warning(QStringLiteral("winrm.kerberosDelegation"),
                    u"Kerberos delegation has no effect with " + authName(w.auth)
                        + u" authentication. Use negotiate or kerberos, or turn delegation off.");
    }
    if (!w.caFile.isEmpty() && !https) {
        out.warning(QStringLiteral("winrm.caFile"),
                    QStringLiteral("A CA file is set but the transport is http, so it is not "
                                   "used. Switch the transport to https or clear the CA file."));
    }
    if (w.ignoreTlsErrors) {
        out.warning(QStringLiteral("winrm.ignoreTlsErrors"),
                    https ? QStringLiteral("TLS certificate checks are off: anyone on the network "
                                           "path can impersonate a host. Trust the hosts' CA with "
                                           "a CA file instead.")
                          : QStringLiteral("Ignoring TLS errors has no effect over http. Turn it "
                                           "off, or switch the transport to https."));
    }
    if (w.auth == WinRmAuth::Basic && !https) {
        if (!w.allowBasicOverHttp) {
            out.error(QStringLiteral("winrm.auth"),
                      QStringLiteral("Basic authentication over http sends the password in clear "
                                     "text. Use https (WINRM_TRANSPORT=https) or negotiate "
                                     "authentication; only on an isolated network allow Basic "
                                     "over HTTP explicitly."));
        } else {
            out.warning(QStringLiteral("winrm.allowBasicOverHttp"),
                        QStringLiteral("Basic authentication over http is allowed: passwords and "
                                       "commands cross the network in clear text, and the hosts "
                                       "must allow unencrypted WinRM. Prefer https or "
                                       "negotiate."));
        }
    }
    out.atLeast(QStringLiteral("winrm.operationTimeoutSeconds"), w.operationTimeoutSeconds, 1,
                u"The WinRM operation timeout (seconds)");
    out.atLeast(QStringLiteral("winrm.connectTimeoutSeconds"), w.connectTimeoutSeconds, 1,
                u"The WinRM connect timeout (seconds)");
    out.atLeast(QStringLiteral("winrm.commandDeadlineSeconds"), w.commandDeadlineSeconds, 1,
                u"The WinRM command deadline (seconds)");
    if (w.commandDeadlineSeconds > p.taskRunner.deployDeadlineSeconds
        && p.taskRunner.deployDeadlineSeconds >= 1) {
        out.warning(QStringLiteral("winrm.commandDeadlineSeconds"),
                    QStringLiteral("The command deadline (%1 s) is longer than the deploy "
                                   "deadline (%2 s), which ends a deployment first. Make the "
                                   "command deadline shorter or the deploy deadline longer.")
                        .arg(w.commandDeadlineSeconds)
                        .arg(p.taskRunner.deployDeadlineSeconds));
    }
}

void checkServerAndRunner(const Profile &p, Issues &out)
{
    const ArtifactServerSettings &s = p.artifactServer;
    QHostAddress listen;
    if (!listen.setAddress(s.listenAddress)) {
        out.error(QStringLiteral("artifactServer.listenAddress"),
                  u"The artifact server listen address '" + s.listenAddress
                      + u"' is not an IP address. Use 0.0.0.0 (all IPv4), :: (all) or one of "
                        u"this machine's addresses.");
    }
    out.port(QStringLiteral("artifactServer.port"), s.port, u"The artifact server port", false);
    if (s.certificateFile.isEmpty() != s.privateKeyFile.isEmpty()) {
        out.error(s.certificateFile.isEmpty() ? QStringLiteral("artifactServer.certificateFile")
                                              : QStringLiteral("artifactServer.privateKeyFile"),
                  QStringLiteral("HTTPS needs both a certificate file and a private key file. "
                                 "Set both, or clear both to serve plain HTTP."));
    }
    out.atLeast(QStringLiteral("artifactServer.maxConnections"), s.maxConnections, 1,
                u"The artifact server's connection limit");
    out.atLeast(QStringLiteral("artifactServer.idleTimeoutSeconds"), s.idleTimeoutSeconds, 1,
                u"The artifact server's idle timeout (seconds)");

    const TaskRunnerSettings &t = p.taskRunner;
    out.atLeast(QStringLiteral("taskRunner.deploymentConcurrency"), t.deploymentConcurrency, 1,
                u"The deployment concurrency");
    out.atLeast(QStringLiteral("taskRunner.inventoryConcurrency"), t.inventoryConcurrency, 1,
                u"The inventory concurrency");
    out.atLeast(QStringLiteral("taskRunner.diagnosticsConcurrency"), t.diagnosticsConcurrency, 1,
                u"The diagnostics concurrency");
    out.atLeast(QStringLiteral("taskRunner.deployDeadlineSeconds"), t.deployDeadlineSeconds, 1,
                u"The deploy deadline (seconds)");
    out.atLeast(QStringLiteral("taskRunner.checkDeadlineSeconds"), t.checkDeadlineSeconds, 1,
                u"The check deadline (seconds)");

    const IngressGateSettings &g = p.ingressGate;
    out.atLeast(QStringLiteral("ingressGate.timeoutSeconds"), g.timeoutSeconds, 1,
                u"The ingress wait timeout (seconds)");
    out.atLeast(QStringLiteral("ingressGate.intervalSeconds"), g.intervalSeconds, 1,
                u"The ingress poll interval (seconds)");
    if (g.intervalSeconds > g.timeoutSeconds && g.timeoutSeconds >= 1) {
        out.warning(QStringLiteral("ingressGate.intervalSeconds"),
                    QStringLiteral("The ingress poll interval (%1 s) is longer than the wait "
                                   "timeout (%2 s), so the endpoint is polled only once. Shorten "
                                   "the interval.")
                        .arg(g.intervalSeconds)
                        .arg(g.timeoutSeconds));
    }
}

void checkPolicy(const Profile &p, Issues &out)
{
    out.atLeast(QStringLiteral("verifiedCacheTtlSeconds"), p.verifiedCacheTtlSeconds, 0,
                u"The verified-version cache lifetime (seconds)");
    out.atLeast(QStringLiteral("lockExpirySeconds"), p.lockExpirySeconds, 1,
                u"The host lock expiry (seconds)");
    if (p.lockExpirySeconds >= 1 && p.lockExpirySeconds < p.taskRunner.deployDeadlineSeconds) {
        out.warning(QStringLiteral("lockExpirySeconds"),
                    QStringLiteral("The host lock expires after %1 s but a deployment may run %2 "
                                   "s, so another console could take the lock mid-deployment. "
                                   "Make the lock expiry longer than the deploy deadline.")
                        .arg(p.lockExpirySeconds)
                        .arg(p.taskRunner.deployDeadlineSeconds));
    }
    out.atLeast(QStringLiteral("failureBackoffBaseSeconds"), p.failureBackoffBaseSeconds, 1,
                u"The first retry delay after a failure (seconds)");
    if (p.failureBackoffMaxSeconds < p.failureBackoffBaseSeconds) {
        out.error(QStringLiteral("failureBackoffMaxSeconds"),
                  QStringLiteral("The longest retry delay (%1 s) is shorter than the first one "
                                 "(%2 s). Make it at least %2.")
                      .arg(p.failureBackoffMaxSeconds)
                      .arg(p.failureBackoffBaseSeconds));
    }
}

QString profileLabel(const Profile &p)
{
    return u"'" + (p.name.isEmpty() ? p.id : p.name) + u"'";
}

} // namespace

QList<ValidationIssue> Profile::validate() const
{
    Issues out;
    checkIdentity(*this, out);
    checkHosts(*this, out);
    checkDownloads(*this, out);
    checkWinRm(*this, out);
    checkServerAndRunner(*this, out);
    checkPolicy(*this, out);
    return out.take(id);
}

QList<ValidationIssue> validateProfiles(const QList<Profile> &profiles)
{
    QList<ValidationIssue> issues;
    const auto add = [&issues](Severity severity, const Profile &p, const QString &field,
                               const QString &message) {
        issues.append({severity, field, message, p.id});
    };
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        for (qsizetype j = i + 1; j < profiles.size(); ++j) {
            const Profile &a = profiles.at(i);
            const Profile &b = profiles.at(j);
            if (!a.id.isEmpty() && a.id == b.id) {
                add(Severity::Error, b, QStringLiteral("id"),
                    u"The profiles " + profileLabel(a) + u" and " + profileLabel(b)
                        + u" have the same id. Give one of them a new id (duplicate it instead "
                          u"of copying its file).");
            }
            if (!a.name.trimmed().isEmpty()
                && a.name.trimmed().compare(b.name.trimmed(), Qt::CaseInsensitive) == 0) {
                add(Severity::Warning, b, QStringLiteral("name"),
                    u"Two profiles are named " + profileLabel(b) + u". Rename one of them.");
            }
            QSet<QString> hostsOfA;
            for (const HostEntry &h : a.hosts)
                hostsOfA.insert(normalizedHostAddress(h.address));
            QStringList shared;
            for (const HostEntry &h : b.hosts) {
                if (hostsOfA.contains(normalizedHostAddress(h.address))
                    && !shared.contains(h.address))
                    shared.append(h.address);
            }
            if (shared.isEmpty())
                continue;
            const QString hostText
                = (shared.size() == 1 ? u"host " : u"hosts ") + shared.join(u", ");
            if (normalizedWindowsPath(a.installDirectory)
                == normalizedWindowsPath(b.installDirectory)) {
                add(Severity::Warning, b, QStringLiteral("installDirectory"),
                    u"The profiles " + profileLabel(a) + u" and " + profileLabel(b)
                        + u" both deploy to '" + b.installDirectory + u"' on " + hostText
                        + u", so each overwrites the other's bundle and version file. Give each "
                          u"environment its own install directory, e.g. "
                          u"C:\\Program Files\\Aether-V (Test).");
            } else if (isSameOrInsideWindowsPath(a.installDirectory, b.installDirectory)
                       || isSameOrInsideWindowsPath(b.installDirectory, a.installDirectory)) {
                add(Severity::Warning, b, QStringLiteral("installDirectory"),
                    u"The install directories of " + profileLabel(a) + u" ('" + a.installDirectory
                        + u"') and " + profileLabel(b) + u" ('" + b.installDirectory + u"') on "
                        + hostText
                        + u" lie inside one another. Use separate folders side by side, e.g. "
                          u"C:\\Program Files\\Aether-V (Test).");
            }
        }
    }
    return issues;
}

} // namespace aetherv::config
