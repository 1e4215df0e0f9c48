#include "ui/logs/hostlogbook.h"

namespace aetherv::ui {

namespace {
const QString kMask = QStringLiteral("••••••");
}

QString LogEntry::format() const
{
    return when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + u"  "
           + level.leftJustified(7) + u"  " + text;
}

HostLogBook::HostLogBook(QObject *parent)
    : QObject(parent)
{
    // key=value / key: value pairs whose key names a secret; HTTP auth headers; NTLM/Negotiate
    // tokens; PowerShell's ConvertTo-SecureString -AsPlainText "...".
    const auto ci = QRegularExpression::CaseInsensitiveOption;
    m_patterns << QRegularExpression(
        QStringLiteral(
            R"re(((?:password|passwd|pwd|secret|token|apikey|api_key)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+))re"),
        ci);
    m_patterns << QRegularExpression(
        QStringLiteral(R"re((authorization\s*:\s*)(\S+(?:\s+[A-Za-z0-9+/=._~-]+)?))re"), ci);
    m_patterns << QRegularExpression(
        QStringLiteral(
            R"re(\b((?:NTLM|Negotiate|Kerberos|Basic|Bearer)\s+)([A-Za-z0-9+/=]{16,}))re"),
        ci);
    m_patterns << QRegularExpression(
        QStringLiteral(R"re((ConvertTo-SecureString\s+(?:-String\s+)?)("[^"]*"|'[^']*'|\S+))re"),
        ci);
}

void HostLogBook::setSecrets(const QStringList &secrets)
{
    m_secrets.clear();
    for (const QString &s : secrets) {
        if (s.size() >= 3) // shorter strings would mask ordinary words
            m_secrets << s;
    }
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

QString HostLogBook::redact(const QString &text) const
{
    QString out = text;
    for (const QString &s : m_secrets)
        out.replace(s, kMask);
    for (const QRegularExpression &re : m_patterns)
        out.replace(re, QStringLiteral("\\1") + kMask);
    return out;
}

void HostLogBook::append(const QString &host, const QDateTime &when, const QString &level,
                         const QString &text)
{
    LogEntry e{when.isValid() ? when.toUTC() : QDateTime::currentDateTimeUtc(), level,
               redact(text)};
    QList<LogEntry> &list = m_entries[host];
    list.append(e);
    if (list.size() > kMaxPerHost)
        list.remove(0, list.size() - kMaxPerHost);
    Q_EMIT appended(host, e);
}

QList<LogEntry> HostLogBook::entries(const QString &host) const
{
    return m_entries.value(host);
}

QString HostLogBook::text(const QString &host) const
{
    QStringList lines;
    for (const LogEntry &e : m_entries.value(host))
        lines << e.format();
    return lines.join(u'\n');
}

void HostLogBook::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
}

} // namespace aetherv::ui
