#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>

namespace aetherv::ui {

struct LogEntry
{
    QDateTime when; // UTC
    QString level;  // "info", "warning", "error"
    QString text;   // already redacted

    // "2026-11-29 15:04:05.123  warning  text", local time.
    QString format() const;
};

// The operator event log behind the log pane: per host (and one console-wide list under the empty
// host name), timestamped, bounded. Every line is redacted before it is stored, so nothing that
// looks like a password, token or Authorization header ever reaches the screen or the clipboard.
class HostLogBook : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxPerHost = 2000;

    explicit HostLogBook(QObject *parent = nullptr);

    void append(const QString &host, const QDateTime &when, const QString &level,
                const QString &text);
    QList<LogEntry> entries(const QString &host) const;
    // The text a "copy" puts on the clipboard: one formatted line per entry.
    QString text(const QString &host) const;
    void clear();

    // Exact strings (e.g. the profile's password) that are masked wherever they appear.
    void setSecrets(const QStringList &secrets);
    QString redact(const QString &text) const;

Q_SIGNALS:
    void appended(const QString &host, const aetherv::ui::LogEntry &entry);
    void cleared();

private:
    QHash<QString, QList<LogEntry>> m_entries;
    QStringList m_secrets;
    QList<QRegularExpression> m_patterns;
};

} // namespace aetherv::ui
