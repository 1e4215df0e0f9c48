#include "core/config/environment.h"

#include "core/config/profile.h"

#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

namespace aetherv::config {

namespace {

// Applies one value to the profile; returns the value as applied for display, or a message that
// completes "NAME=value is not valid: <message>".
using Apply = Result<QString> (*)(Profile &, const QString &);

struct Variable
{
    QStringView name;
    QStringView field;
    QStringView form;
    Apply apply;
};

std::unexpected<Error> expected(QStringView form)
{
    return fail(ErrorCode::Configuration, u"expected " + form.toString());
}

bool allDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

// A whole number >= minimum, optionally followed by "s" (seconds). No fractions, no other units:
// the hosts' PowerShell sleeps whole seconds, and silently rounding "500ms" would hide a mistake.
Result<int> parseSeconds(QStringView text, int minimum, QStringView form)
{
    QStringView t = text;
    if (t.endsWith(u's', Qt::CaseInsensitive) && !t.endsWith(u"ms", Qt::CaseInsensitive))
        t.chop(1);
    t = t.trimmed();
    bool ok = false;
    const int value = t.toInt(&ok);
    if (!allDigits(t) || !ok || value < minimum)
        return expected(form);
    return value;
}

Result<int> parseNumber(QStringView text, int minimum, int maximum, QStringView form)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!allDigits(text) || !ok || value < minimum || value > maximum)
        return expected(form);
    return value;
}

Result<bool> parseBool(QStringView text, QStringView form)
{
    static const QStringList yes{QStringLiteral("1"), QStringLiteral("true"), QStringLiteral("yes"),
                                 QStringLiteral("on")};
    static const QStringList no{QStringLiteral("0"), QStringLiteral("false"), QStringLiteral("no"),
                                QStringLiteral("off")};
    const QString lower = text.toString().toLower();
    if (yes.contains(lower))
        return true;
    if (no.contains(lower))
        return false;
    return expected(form);
}

constexpr QStringView kDirectoryForm = u"an absolute Windows path such as C:\\Program "
                                       u"Files\\Aether-V or \\\\server\\share\\Aether-V";
constexpr QStringView kUrlForm = u"an http:// or https:// URL with a host and no query, such as "
                                 u"http://console.example.com:8080/agent";
constexpr QStringView kAttemptsForm = u"a whole number of attempts, 1 or more";
constexpr QStringView kIntervalForm = u"whole seconds, 0 or more, written as \"5\" or \"5s\"";
constexpr QStringView kHostsForm = u"host names or addresses separated by commas, semicolons or "
                                   u"spaces, each optionally with :port ([IPv6]:port)";
constexpr QStringView kTransportForm = u"http or https";
constexpr QStringView kPortForm = u"a port number from 1 to 65535";
constexpr QStringView kAuthForm = u"negotiate, ntlm, kerberos or basic";
constexpr QStringView kUserForm = u"a user name only, DOMAIN\\user or user@REALM (never a "
                                  u"password)";
constexpr QStringView kSpnForm = u"an SPN service class of letters, digits and '-', such as HTTP";
constexpr QStringView kFileForm = u"the path of a PEM file";
constexpr QStringView kBoolForm = u"1/0, true/false, yes/no or on/off";
constexpr QStringView kTimeoutForm = u"whole seconds, 1 or more, written as \"20\" or \"20s\"";

const Variable kVariables[] = {
    {u"HOST_INSTALL_DIRECTORY", u"installDirectory", kDirectoryForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         QString dir = v;
         // A quote is not a valid path character, so a matched pair is unambiguous quoting
         // (docker --env-file and systemd keep quotes literally).
         if (dir.size() >= 2 && dir.startsWith(u'"') && dir.endsWith(u'"'))
             dir = dir.mid(1, dir.size() - 2);
         if (dir.trimmed().isEmpty())
             return expected(kDirectoryForm);
         p.installDirectory = dir;
         return dir;
     }},
    {u"AGENT_DOWNLOAD_BASE_URL", u"downloadBaseUrl", kUrlForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const QUrl url(v, QUrl::StrictMode);
         const QString scheme = url.scheme().toLower();
         if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()
             || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
             return expected(kUrlForm);
         }
         p.downloadBaseUrl = v;
         return v;
     }},
    {u"AGENT_DOWNLOAD_MAX_ATTEMPTS", u"downloadMaxAttempts", kAttemptsForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto n = parseNumber(v, 1, 1000, kAttemptsForm);
         if (!n)
             return std::unexpected(n.error());
         p.downloadMaxAttempts = *n;
         return QString::number(*n);
     }},
    {u"AGENT_DOWNLOAD_RETRY_INTERVAL", u"downloadRetryIntervalSeconds", kIntervalForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto n = parseSeconds(v, 0, kIntervalForm);
         if (!n)
             return std::unexpected(n.error());
         p.downloadRetryIntervalSeconds = *n;
         return QString::number(*n) + u" s";
     }},
    {u"HYPERV_HOSTS", u"hosts", kHostsForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         QList<HostEntry> hosts;
         QStringList shown;
         static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
         const QStringList items = v.split(separators, Qt::SkipEmptyParts);
         for (const QString &item : items) {
             const auto entry = HostEntry::parse(item);
             if (!entry) {
                 return fail(ErrorCode::Configuration,
                             entry.error().message + u" (expected " + kHostsForm + u')');
             }
             hosts.append(*entry);
             shown.append(entry->toString());
         }
         if (hosts.isEmpty())
             return expected(kHostsForm);
         p.hosts = hosts;
         return shown.join(u", ");
     }},
    {u"WINRM_TRANSPORT", u"winrm.transport", kTransportForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto t = parseTransport(v);
         if (!t)
             return expected(kTransportForm);
         p.winrm.transport = *t;
         return transportName(*t);
     }},
    {u"WINRM_PORT", u"winrm.port", kPortForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto n = parseNumber(v, 1, 65535, kPortForm);
         if (!n)
             return std::unexpected(n.error());
         p.winrm.port = *n;
         return QString::number(*n);
     }},
    {u"WINRM_AUTH", u"winrm.auth", kAuthForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto a = parseAuth(v);
         if (!a)
             return expected(kAuthForm);
         p.winrm.auth = *a;
         return authName(*a);
     }},
    {u"WINRM_USER", u"winrm.userName", kUserForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         // "user:secret" would put a password into the profile and on screen.
         if (v.contains(u':') || v.contains(u'/') || v.count(u'\\') > 1)
             return expected(kUserForm);
         p.winrm.userName = v;
         return v;
     }},
    {u"WINRM_SPN_SERVICE", u"winrm.spnService", kSpnForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         for (QChar c : v) {
             if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != u'-')
                 return expected(kSpnForm);
         }
         p.winrm.spnService = v;
         return v;
     }},
    {u"WINRM_CA_FILE", u"winrm.caFile", kFileForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         p.winrm.caFile = v;
         return v;
     }},
    {u"WINRM_IGNORE_TLS_ERRORS", u"winrm.ignoreTlsErrors", kBoolForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto b = parseBool(v, kBoolForm);
         if (!b)
             return std::unexpected(b.error());
         p.winrm.ignoreTlsErrors = *b;
         return *b ? QStringLiteral("true") : QStringLiteral("false");
     }},
    {u"WINRM_OPERATION_TIMEOUT", u"winrm.operationTimeoutSeconds", kTimeoutForm,
     [](Profile &p, const QString &v) -> Result<QString> {
         const auto n = parseSeconds(v, 1, kTimeoutForm);
         if (!n)
             return std::unexpected(n.error());
         p.winrm.operationTimeoutSeconds = *n;
         return QString::number(*n) + u" s";
     }},
};

} // namespace

QList<EnvironmentVariable> environmentVariables()
{
    QList<EnvironmentVariable> list;
    for (const Variable &v : kVariables)
        list.append({v.name.toString(), v.field.toString(), v.form.toString()});
    return list;
}

Result<QList<Profile::Override>> Profile::applyEnvironment(const QProcessEnvironment &environment)
{
    Profile updated = *this;
    QList<Override> applied;
    QStringList problems;
    for (const Variable &v : kVariables) {
        const QString name = v.name.toString();
        if (!environment.contains(name))
            continue;
        const QString value = environment.value(name).trimmed();
        if (value.isEmpty())
            continue;
        const Result<QString> shown = v.apply(updated, value);
        if (!shown) {
            // WINRM_USER may hold "user:password" by mistake: never echo that value.
            const QString echoed
                = name == u"WINRM_USER" ? QStringLiteral("(value hidden)") : u'"' + value + u'"';
            problems.append(name + u'=' + echoed + u" is not valid: " + shown.error().message);
            continue;
        }
        applied.append({name, v.field.toString(), *shown});
    }
    if (!problems.isEmpty()) {
        return fail(ErrorCode::Configuration,
                    u"Fix or unset these environment variables: " + problems.join(u"; ") + u'.');
    }
    *this = std::move(updated);
    return applied;
}

} // namespace aetherv::config
