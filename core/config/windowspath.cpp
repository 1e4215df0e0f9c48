#include "core/config/windowspath.h"

#include <QStringList>

namespace aetherv::config {

namespace {

constexpr QStringView kForbidden = u"<>:\"|?*";

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isReservedDeviceName(QStringView component)
{
    // Windows reserves these names with any extension ("NUL.txt") and trailing spaces.
    QStringView base = component;
    const qsizetype dot = base.indexOf(u'.');
    if (dot >= 0)
        base = base.left(dot);
    base = base.trimmed();
    static const QStringList fixed{QStringLiteral("CON"), QStringLiteral("PRN"),
                                   QStringLiteral("AUX"), QStringLiteral("NUL")};
    for (const QString &name : fixed) {
        if (base.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    if (base.size() == 4 && base.at(3) >= u'1' && base.at(3) <= u'9') {
        const QStringView stem = base.left(3);
        return stem.compare(u"COM", Qt::CaseInsensitive) == 0
               || stem.compare(u"LPT", Qt::CaseInsensitive) == 0;
    }
    return false;
}

QString describeChar(QChar c)
{
    if (c.unicode() < 0x20)
        return QStringLiteral("control character 0x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
    return u"'" + QString(c) + u"'";
}

class Checker
{
public:
    Checker(const QString &path, const QString &field)
        : m_path(path)
        , m_field(field)
    {}

    void error(const QString &message)
    {
        m_issues.append({ValidationIssue::Severity::Error, m_field, message, {}});
    }
    void warning(const QString &message)
    {
        m_issues.append({ValidationIssue::Severity::Warning, m_field, message, {}});
    }
    QString quoted() const { return u"'" + m_path + u"'"; }

    // Component rules shared by folders, the server and the share name.
    void checkComponent(QStringView component, QStringView what)
    {
        if (component == u"." || component == u"..") {
            error(u"The install directory " + quoted() + u" contains a '" + component
                  + u"' segment. Write the full path without '.' or '..' segments.");
            return;
        }
        QString bad;
        for (QChar c : component) {
            if ((c.unicode() < 0x20 || kForbidden.contains(c)) && !bad.contains(c))
                bad.append(c);
        }
        if (!bad.isEmpty()) {
            QStringList names;
            for (QChar c : std::as_const(bad))
                names.append(describeChar(c));
            error(u"The " + what + u" '" + component + u"' in " + quoted() + u" contains "
                  + names.join(u", ")
                  + u", which Windows does not allow in file names. Remove or replace it.");
            return;
        }
        if (component.endsWith(u'.') || component.endsWith(u' ')) {
            error(u"The " + what + u" '" + component + u"' in " + quoted()
                  + u" ends with a dot or a space, which Windows silently removes. Remove the "
                    u"trailing dot or space.");
        }
        if (isReservedDeviceName(component)) {
            error(u"The " + what + u" '" + component + u"' in " + quoted()
                  + u" is a reserved Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9). "
                    u"Choose another name.");
        }
        if (component.size() > 255) {
            error(u"The " + what + u" '" + component.left(20) + u"...' in " + quoted()
                  + u" is longer than 255 characters. Use a shorter name.");
        }
    }

    void checkFolders(QStringList folders)
    {
        if (!folders.isEmpty() && folders.last().isEmpty())
            folders.removeLast(); // one trailing backslash is fine
        for (const QString &folder : std::as_const(folders)) {
            if (folder.isEmpty()) {
                error(u"The install directory " + quoted()
                      + u" contains an empty folder name (two backslashes in a row). Remove the "
                        u"extra backslash.");
                return;
            }
        }
        for (const QString &folder : std::as_const(folders))
            checkComponent(folder, u"folder name");
    }

    QList<ValidationIssue> run();

private:
    void checkDrivePath();
    void checkUncPath();
    void checkLength();

    const QString &m_path;
    const QString &m_field;
    QList<ValidationIssue> m_issues;
};

QList<ValidationIssue> Checker::run()
{
    if (m_path.trimmed().isEmpty()) {
        error(QStringLiteral("The install directory is empty. Enter an absolute Windows path such "
                             "as C:\\Program Files\\Aether-V or a share such as "
                             "\\\\server\\share\\Aether-V."));
        return m_issues;
    }
    if (m_path.startsWith(u"\\\\?\\") || m_path.startsWith(u"\\\\.\\") || m_path.startsWith(u"//?/")
        || m_path.startsWith(u"//./")) {
        error(u"The install directory " + quoted()
              + u" uses a \\\\?\\ or \\\\.\\ prefix. Write the plain path (C:\\... or "
                u"\\\\server\\share\\...).");
        return m_issues;
    }
    if (m_path.contains(u'/')) {
        if (m_path.contains(u'\\')) {
            error(u"The install directory " + quoted()
                  + u" mixes '/' and '\\'. Use backslashes only, for example "
                    u"C:\\Program Files\\Aether-V.");
        } else {
            error(u"The install directory " + quoted()
                  + u" uses forward slashes. Write it with backslashes as Windows does, for "
                    u"example C:\\Program Files\\Aether-V.");
        }
        return m_issues;
    }
    if (m_path.startsWith(u"\\\\")) {
        checkUncPath();
    } else if (m_path.size() >= 2 && isAsciiLetter(m_path.at(0)) && m_path.at(1) == u':') {
        if (m_path.size() == 2 || m_path.at(2) != u'\\') {
            error(u"The install directory " + quoted()
                  + u" is relative to the current folder of drive " + m_path.left(2)
                  + u". Add a backslash after the colon, for example " + m_path.left(2)
                  + u"\\Program Files\\Aether-V.");
            return m_issues;
        }
        checkDrivePath();
    } else if (m_path.startsWith(u'\\')) {
        error(u"The install directory " + quoted()
              + u" has no drive letter. Start it with a drive (C:\\...) or a share "
                u"(\\\\server\\share\\...).");
        return m_issues;
    } else {
        error(u"The install directory " + quoted()
              + u" is a relative path. Use an absolute path such as C:\\Program Files\\Aether-V "
                u"or \\\\server\\share\\Aether-V.");
        return m_issues;
    }
    checkLength();
    return m_issues;
}

void Checker::checkDrivePath()
{
    QStringList folders = m_path.mid(3).split(u'\\');
    if (folders.size() == 1 && folders.first().isEmpty()) {
        error(u"The install directory " + quoted()
              + u" is a drive root. Deployment removes every file of the install directory that "
                u"is not part of the bundle, so use a dedicated folder such as "
              + m_path.left(3) + u"Program Files\\Aether-V.");
        return;
    }
    checkFolders(folders);
    static const QStringList systemFolders{
        QStringLiteral("windows"),       QStringLiteral("windows\\system32"),
        QStringLiteral("program files"), QStringLiteral("program files (x86)"),
        QStringLiteral("programdata"),   QStringLiteral("users")};
    const QString rest = normalizedWindowsPath(m_path).mid(3);
    if (systemFolders.contains(rest)) {
        error(u"The install directory " + quoted()
              + u" is a Windows system folder. Deployment removes every file of the install "
                u"directory that is not part of the bundle, so use a dedicated subfolder such as "
              + m_path.left(3) + u"Program Files\\Aether-V.");
    }
}

void Checker::checkUncPath()
{
    const QStringList parts = m_path.mid(2).split(u'\\');
    const QString server = parts.value(0);
    const QString share = parts.value(1);
    if (server.isEmpty() || share.isEmpty()) {
        error(u"The install directory " + quoted()
              + u" is not a complete share path. Write it as \\\\server\\share\\folder.");
        return;
    }
    checkComponent(server, u"server name");
    checkComponent(share, u"share name");
    const QStringList folders = parts.mid(2);
    if (folders.isEmpty() || (folders.size() == 1 && folders.first().isEmpty())) {
        error(u"The install directory " + quoted()
              + u" is the root of a share. Deployment removes every file of the install "
                u"directory that is not part of the bundle, so use a dedicated folder such as "
              + u"\\\\" + server + u'\\' + share + u"\\Aether-V.");
        return;
    }
    checkFolders(folders);
}

void Checker::checkLength()
{
    QString path = m_path;
    if (path.endsWith(u'\\'))
        path.chop(1);
    if (path.size() + kBundleFileNameReserve >= kWindowsMaxPath) {
        warning(QStringLiteral("The install directory is %1 characters long. With a bundle file "
                               "name appended (up to %2 characters) file paths reach the Windows "
                               "limit of %3 characters. Choose a shorter path, or make sure long "
                               "paths are enabled on every host.")
                    .arg(path.size())
                    .arg(kBundleFileNameReserve)
                    .arg(kWindowsMaxPath));
    }
}

} // namespace

QList<ValidationIssue> checkInstallDirectory(const QString &path, const QString &field)
{
    return Checker(path, field).run();
}

QString normalizedWindowsPath(QStringView path)
{
    QString in = path.toString();
    in.replace(u'/', u'\\');
    QString out;
    out.reserve(in.size());
    qsizetype i = 0;
    if (in.startsWith(u"\\\\")) {
        out.append(u"\\\\");
        i = 2;
    }
    for (; i < in.size(); ++i) {
        const QChar c = in.at(i);
        if (c == u'\\' && out.endsWith(u'\\'))
            continue;
        out.append(c);
    }
    const bool driveRoot = out.size() == 3 && out.at(1) == u':';
    if (out.endsWith(u'\\') && !driveRoot && out != u"\\\\")
        out.chop(1);
    return out.toCaseFolded();
}

bool isSameOrInsideWindowsPath(QStringView inner, QStringView outer)
{
    const QString in = normalizedWindowsPath(inner);
    QString out = normalizedWindowsPath(outer);
    if (in == out)
        return true;
    if (!out.endsWith(u'\\'))
        out.append(u'\\');
    return in.startsWith(out);
}

} // namespace aetherv::config
