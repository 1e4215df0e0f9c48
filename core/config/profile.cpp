#include "core/config/profile.h"

#include "core/config/hostaddress.h"

#include <QStringList>
#include <QUuid>

namespace aetherv::config {

namespace {

template<typename E, std::size_t N>
Result<E> parseName(QStringView text, const std::pair<E, QStringView> (&names)[N], QStringView what)
{
    const QStringView t = text.trimmed();
    QStringList accepted;
    for (const auto &[value, name] : names) {
        if (t.compare(name, Qt::CaseInsensitive) == 0)
            return value;
        accepted.append(name.toString());
    }
    return fail(ErrorCode::InvalidInput, u"'" + text.toString() + u"' is not a known " + what
                                             + u". Use one of: " + accepted.join(u", ") + u'.');
}

template<typename E, std::size_t N>
QString nameOf(E value, const std::pair<E, QStringView> (&names)[N])
{
    for (const auto &[v, name] : names) {
        if (v == value)
            return name.toString();
    }
    return QString();
}

constexpr std::pair<EnvironmentTag, QStringView> kEnvironmentNames[] = {
    {EnvironmentTag::Development, u"dev"},
    {EnvironmentTag::Test, u"test"},
    {EnvironmentTag::Production, u"prod"},
    {EnvironmentTag::Other, u"other"},
};

constexpr std::pair<WinRmTransport, QStringView> kTransportNames[] = {
    {WinRmTransport::Http, u"http"},
    {WinRmTransport::Https, u"https"},
};

constexpr std::pair<WinRmAuth, QStringView> kAuthNames[] = {
    {WinRmAuth::Negotiate, u"negotiate"},
    {WinRmAuth::Ntlm, u"ntlm"},
    {WinRmAuth::Kerberos, u"kerberos"},
    {WinRmAuth::Basic, u"basic"},
};

Result<int> parsePort(QStringView text, QStringView whole)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    bool digitsOnly = !text.isEmpty();
    for (QChar c : text)
        digitsOnly = digitsOnly && c >= u'0' && c <= u'9';
    if (!ok || !digitsOnly || port < 1 || port > 65535) {
        return fail(ErrorCode::InvalidInput,
                    u"The port in '" + whole.toString()
                        + u"' is not a number from 1 to 65535. Write the host as name, name:port "
                          u"or [IPv6]:port.");
    }
    return port;
}

} // namespace

QString environmentTagName(EnvironmentTag tag)
{
    return nameOf(tag, kEnvironmentNames);
}

QString transportName(WinRmTransport transport)
{
    return nameOf(transport, kTransportNames);
}

QString authName(WinRmAuth auth)
{
    return nameOf(auth, kAuthNames);
}

Result<EnvironmentTag> parseEnvironmentTag(QStringView text)
{
    return parseName(text, kEnvironmentNames, u"environment");
}

Result<WinRmTransport> parseTransport(QStringView text)
{
    return parseName(text, kTransportNames, u"WinRM transport");
}

Result<WinRmAuth> parseAuth(QStringView text)
{
    return parseName(text, kAuthNames, u"WinRM authentication mechanism");
}

Result<HostEntry> HostEntry::parse(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.isEmpty())
        return fail(ErrorCode::InvalidInput, QStringLiteral("The host entry is empty."));
    if (t.startsWith(u'[')) {
        const qsizetype close = t.indexOf(u']');
        if (close < 0) {
            return fail(ErrorCode::InvalidInput,
                        u"The host entry '" + t.toString()
                            + u"' opens '[' without closing it. Write [IPv6]:port.");
        }
        HostEntry entry{t.mid(1, close - 1).toString(), 0};
        const QStringView rest = t.mid(close + 1);
        if (rest.isEmpty())
            return entry;
        if (!rest.startsWith(u':')) {
            return fail(ErrorCode::InvalidInput,
                        u"The host entry '" + t.toString()
                            + u"' has text after ']'. Write [IPv6] or [IPv6]:port.");
        }
        const auto port = parsePort(rest.mid(1), t);
        if (!port)
            return std::unexpected(port.error());
        entry.port = *port;
        return entry;
    }
    if (t.count(u':') == 1) {
        const qsizetype colon = t.indexOf(u':');
        const auto port = parsePort(t.mid(colon + 1), t);
        if (!port)
            return std::unexpected(port.error());
        return HostEntry{t.left(colon).toString(), *port};
    }
    return HostEntry{t.toString(), 0}; // a name, IPv4 or an IPv6 literal without port
}

QString HostEntry::toString() const
{
    if (port == 0)
        return address;
    if (address.contains(u':'))
        return u'[' + address + u"]:" + QString::number(port);
    return address + u':' + QString::number(port);
}

int WinRmSettings::effectivePort() const
{
    if (port != 0)
        return port;
    return transport == WinRmTransport::Https ? kDefaultHttpsPort : kDefaultHttpPort;
}

QString Profile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Profile Profile::create(const QString &name, EnvironmentTag environment)
{
    Profile profile;
    profile.id = newId();
    profile.name = name;
    profile.environment = environment;
    return profile;
}

Result<QUrl> Profile::effectiveDownloadBaseUrl(const QUrl &serverUrl) const
{
    const bool configured = !downloadBaseUrl.trimmed().isEmpty();
    QUrl url = configured ? QUrl(downloadBaseUrl.trimmed(), QUrl::StrictMode) : serverUrl;
    const QString origin = configured
                               ? QStringLiteral("The download base URL (AGENT_DOWNLOAD_BASE_URL)")
                               : QStringLiteral("The artifact server URL");
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()) {
        return fail(ErrorCode::Configuration,
                    origin + u" '" + url.toString()
                        + u"' is not an http:// or https:// URL with a host. Set "
                          u"AGENT_DOWNLOAD_BASE_URL to the console's /agent URL as the hosts "
                          u"reach it, e.g. http://console.example.com:8080/agent.");
    }
    if (isUnspecifiedHost(url.host())) {
        return fail(ErrorCode::Configuration,
                    origin + u" '" + url.toString()
                        + u"' names the listen-on-all address, which hosts cannot connect to. "
                          u"Set AGENT_DOWNLOAD_BASE_URL to an address the hosts can reach, e.g. "
                          u"http://console.example.com:8080/agent.");
    }
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

int Profile::winrmPort(const HostEntry &host) const
{
    return host.port != 0 ? host.port : winrm.effectivePort();
}

QUrl Profile::winrmEndpoint(const HostEntry &host) const
{
    QUrl url;
    url.setScheme(transportName(winrm.transport));
    QString address = host.address;
    if (address.startsWith(u'[') && address.endsWith(u']'))
        address = address.mid(1, address.size() - 2);
    url.setHost(address); // QUrl brackets IPv6 literals itself
    url.setPort(winrmPort(host));
    url.setPath(QStringLiteral("/wsman"));
    return url;
}

} // namespace aetherv::config
