#include "ui/profiles/hostlistparser.h"

#include "core/config/hostaddress.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace aetherv::ui {

namespace {

// Splits one CSV record; doubled quotes inside a quoted field stand for one quote.
QStringList splitCsv(const QString &line, QChar sep)
{
    QStringList cells;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                cell += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == u'"' && cell.trimmed().isEmpty()) {
            cell.clear();
            quoted = true;
        } else if (c == sep) {
            cells << cell.trimmed();
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells << cell.trimmed();
    return cells;
}

QChar separatorOf(const QString &line)
{
    for (QChar c : {u'\t', u';', u','}) {
        if (line.contains(c))
            return c;
    }
    return QChar();
}

bool isHostHeader(const QString &cell)
{
    static const QSet<QString> names{QStringLiteral("host"),         QStringLiteral("hostname"),
                                     QStringLiteral("address"),      QStringLiteral("name"),
                                     QStringLiteral("computername"), QStringLiteral("fqdn"),
                                     QStringLiteral("server")};
    return names.contains(cell.toLower());
}

} // namespace

HostListParse parseHostList(const QString &text)
{
    HostListParse out;
    QSet<QString> seen;
    int hostColumn = 0;
    int portColumn = -1;
    const QStringList lines = text.split(u'\n');
    static const QRegularExpression blanks(QStringLiteral("\\s+"));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = lines.at(n);
        if (const qsizetype hash = line.indexOf(u'#'); hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const QString where = QCoreApplication::translate("HostListParser", "line %1").arg(n + 1);
        QList<std::pair<QString, QString>> entries; // address text, port text
        const QChar sep = separatorOf(line);
        if (!sep.isNull()) {
            const QStringList cells = splitCsv(line, sep);
            if (std::ranges::any_of(cells, isHostHeader)) {
                portColumn = -1;
                for (int i = 0; i < cells.size(); ++i) {
                    if (isHostHeader(cells.at(i)))
                        hostColumn = i;
                    else if (cells.at(i).compare(u"port", Qt::CaseInsensitive) == 0)
                        portColumn = i;
                }
                continue;
            }
            if (hostColumn >= cells.size() || cells.at(hostColumn).isEmpty()) {
                out.errors << where + u": "
                                  + QCoreApplication::translate("HostListParser",
                                                                "no host in the host column");
                continue;
            }
            QString port;
            if (portColumn >= 0 && portColumn < cells.size())
                port = cells.at(portColumn);
            else if (portColumn < 0 && hostColumn == 0 && cells.size() > 1 && !cells.at(1).isEmpty()
                     && std::ranges::all_of(cells.at(1), [](QChar c) { return c.isDigit(); }))
                port = cells.at(1);
            entries.append({cells.at(hostColumn), port});
        } else {
            for (const QString &token : line.split(blanks, Qt::SkipEmptyParts))
                entries.append({token, QString()});
        }
        for (const auto &[address, port] : std::as_const(entries)) {
            QString spec = address;
            if (!port.isEmpty()) {
                bool ok = false;
                const int p = port.toInt(&ok);
                if (!ok || p < 1 || p > 65535) {
                    out.errors << where + u": "
                                      + QCoreApplication::translate("HostListParser",
                                                                    "\"%1\" is not a port number")
                                            .arg(port);
                    continue;
                }
                spec = (address.contains(u':') && !address.startsWith(u'[') ? u'[' + address + u']'
                                                                            : address)
                       + u':' + QString::number(p);
            }
            Result<config::HostEntry> entry = config::HostEntry::parse(spec);
            if (!entry) {
                out.errors << where + u": " + entry.error().message;
                continue;
            }
            if (const Result<config::HostAddressKind> kind
                = config::classifyHostAddress(entry->address);
                !kind) {
                out.errors << where + u": " + kind.error().message;
                continue;
            }
            const QString key = config::normalizedHostAddress(entry->address);
            if (seen.contains(key)) {
                ++out.duplicates;
                continue;
            }
            seen.insert(key);
            out.hosts << *entry;
        }
    }
    return out;
}

QString formatHostList(const QList<config::HostEntry> &hosts)
{
    QStringList lines;
    lines.reserve(hosts.size());
    for (const config::HostEntry &h : hosts)
        lines << h.toString();
    return lines.join(u'\n');
}

} // namespace aetherv::ui
