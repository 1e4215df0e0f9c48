#include "powershellcommandline.h"

#include <QByteArray>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

// powershell.exe's switch matching: a prefix of the full name, at least as long as the
// shortest unambiguous form.
bool matches(const QString &key, QStringView full, QStringView shortest)
{
    return full.startsWith(key) && key.size() >= shortest.size();
}

PowerShellInvocation badArguments(const QString &message)
{
    PowerShellInvocation inv;
    inv.kind = PowerShellInvocation::Kind::BadArguments;
    inv.errorText = message + u"\r\n"_s;
    inv.exitCode = 64;
    return inv;
}

QString quoteForPowerShell(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\'', u"''"_s);
    return u'\'' + escaped + u'\'';
}

} // namespace

QStringList splitWindowsCommandLine(const QString &line)
{
    QStringList args;
    QString current;
    bool inQuotes = false;
    bool hasToken = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == u'\\') {
            qsizetype slashes = 0;
            while (i < line.size() && line.at(i) == u'\\') {
                ++slashes;
                ++i;
            }
            if (i < line.size() && line.at(i) == u'"') {
                current += QString(slashes / 2, u'\\');
                if (slashes % 2) {
                    current += u'"';
                } else {
                    --i; // the quote is processed by the next iteration
                }
            } else {
                current += QString(slashes, u'\\');
                --i;
            }
            hasToken = true;
        } else if (c == u'"') {
            if (inQuotes && i + 1 < line.size() && line.at(i + 1) == u'"') {
                current += u'"';
                ++i;
            } else {
                inQuotes = !inQuotes;
            }
            hasToken = true;
        } else if ((c == u' ' || c == u'\t') && !inQuotes) {
            if (hasToken)
                args << current;
            current.clear();
            hasToken = false;
        } else {
            current += c;
            hasToken = true;
        }
    }
    if (hasToken)
        args << current;
    return args;
}

PowerShellInvocation parsePowerShellCommandLine(const QString &command,
                                                const QStringList &arguments)
{
    QStringList argv = splitWindowsCommandLine(command);
    for (const QString &a : arguments)
        argv += splitWindowsCommandLine(a);
    if (argv.isEmpty())
        return badArguments(u"The command line is empty."_s);

    const QString exe = argv.takeFirst();
    QString base = exe.section(u'\\', -1).section(u'/', -1).toLower();
    if (base.endsWith(u".exe"))
        base.chop(4);
    if (base != u"powershell" && base != u"pwsh") {
        PowerShellInvocation inv;
        inv.errorText = u"'%1' is not recognized as an internal or external command,\r\n"
                        u"operable program or batch file.\r\n"_s.arg(exe);
        inv.exitCode = 1;
        return inv;
    }

    PowerShellInvocation inv;
    inv.kind = PowerShellInvocation::Kind::Script;
    bool encoded = false;
    QString outputFormat;
    for (qsizetype i = 0; i < argv.size(); ++i) {
        const QString arg = argv.at(i);
        if (arg == u"-") {
            inv.kind = PowerShellInvocation::Kind::Stdin;
            break;
        }
        if (!arg.startsWith(u'-') && !arg.startsWith(u'/')) {
            // A bare argument starts the command text, as -Command does.
            inv.script = argv.mid(i).join(u' ');
            break;
        }
        const QString key = arg.mid(1).toLower();
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= argv.size())
                return std::nullopt;
            return argv.at(++i);
        };
        if (matches(key, u"noprofile", u"nop") || matches(key, u"noninteractive", u"noni")
            || matches(key, u"nologo", u"nol") || matches(key, u"noexit", u"noe") || key == u"sta"
            || key == u"mta") {
            continue;
        }
        if (matches(key, u"encodedcommand", u"e") || key == u"ec") {
            const auto text = value();
            if (!text)
                return badArguments(
                    u"Cannot process the command because -EncodedCommand requires an argument."_s);
            auto bytes = QByteArray::fromBase64Encoding(text->toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
            if (!bytes || bytes.decoded.size() % 2)
                return badArguments(u"Cannot process the command because the value specified with "
                                    u"-EncodedCommand is not properly encoded. The value must be "
                                    u"Base64 encoded."_s);
            inv.script
                = QString::fromUtf16(reinterpret_cast<const char16_t *>(bytes.decoded.constData()),
                                     bytes.decoded.size() / 2);
            encoded = true;
            continue;
        }
        if (matches(key, u"executionpolicy", u"ex") || key == u"ep"
            || matches(key, u"windowstyle", u"w") || matches(key, u"inputformat", u"in")
            || key == u"if" || matches(key, u"version", u"v")
            || matches(key, u"configurationname", u"config")) {
            if (!value())
                return badArguments(u"Missing an argument for parameter '%1'."_s.arg(arg));
            continue;
        }
        if (matches(key, u"outputformat", u"o") || key == u"of") {
            const auto format = value();
            if (!format)
                return badArguments(u"Missing an argument for parameter '%1'."_s.arg(arg));
            outputFormat = format->toLower();
            continue;
        }
        if (matches(key, u"command", u"c")) {
            const QStringList rest = argv.mid(i + 1);
            if (rest.size() == 1 && rest.first() == u"-")
                inv.kind = PowerShellInvocation::Kind::Stdin;
            else
                inv.script = rest.join(u' ');
            break;
        }
        if (matches(key, u"file", u"f")) {
            const auto path = value();
            if (!path)
                return badArguments(u"Missing an argument for parameter '%1'."_s.arg(arg));
            QStringList quoted;
            for (const QString &a : argv.mid(i + 1))
                quoted << quoteForPowerShell(a);
            inv.script = u"& "_s + quoteForPowerShell(*path)
                         + (quoted.isEmpty() ? QString() : u' ' + quoted.join(u' '))
                         + u"\nexit $LASTEXITCODE"_s;
            break;
        }
        return badArguments(u"The argument '%1' is not recognized as the name of a script file. "
                            u"Check the spelling of the name, or if a path was included, verify "
                            u"that the path is correct and try again."_s.arg(arg));
    }
    inv.clixmlErrors = outputFormat == u"xml" || (encoded && outputFormat != u"text");
    return inv;
}

} // namespace aetherv::hostsim
