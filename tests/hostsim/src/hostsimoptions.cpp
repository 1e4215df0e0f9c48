#include "hostsimoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {

QString findPwsh()
{
    const QString fromEnv = qEnvironmentVariable("AETHERV_PWSH");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString tool = QDir::homePath() + u"/.dotnet/tools/pwsh";
    if (QFileInfo(tool).isExecutable())
        return tool;
    return QStandardPaths::findExecutable(u"pwsh"_s);
}

Result<int> positive(const QCommandLineParser &parser, const QString &name, int minimum)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum)
        return fail(ErrorCode::InvalidInput,
                    u"--%1 needs a whole number of at least %2."_s.arg(name).arg(minimum),
                    parser.value(name));
    return value;
}

} // namespace

Result<HostSimOptions> parseHostSimOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Simulated Hyper-V hosts: one WinRM endpoint per host, real PowerShell behind it."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"hosts"_s, u"Number of hosts, named HV01, HV02, ..."_s, u"N"_s},
        {u"host-names"_s, u"Comma-separated host names instead of --hosts."_s, u"names"_s},
        {u"listen"_s, u"Listen address (default 127.0.0.1)."_s, u"address"_s, u"127.0.0.1"_s},
        {u"base-port"_s, u"First port; host i listens on P+i. 0 = ephemeral ports."_s, u"P"_s,
         u"0"_s},
        {u"root"_s, u"Directory holding every host's C: drive as <root>/<host>/C."_s, u"dir"_s},
        {u"users"_s, u"Users file, lines DOMAIN:user:password."_s, u"file"_s},
        {u"auth"_s, u"Enabled schemes: negotiate,kerberos,basic (default negotiate)."_s, u"list"_s,
         u"negotiate"_s},
        {u"https"_s, u"Serve HTTPS (needs --cert and --key)."_s},
        {u"cert"_s, u"PEM certificate for --https."_s, u"file"_s},
        {u"key"_s, u"PEM private key for --https."_s, u"file"_s},
        {u"allow-unencrypted"_s, u"Accept unencrypted SOAP and Basic over HTTP."_s},
        {u"keytab"_s, u"Kerberos keytab with the HTTP/<host> keys."_s, u"file"_s},
        {u"faults"_s, u"Faults file (JSON); reread on SIGHUP and when it changes."_s, u"file"_s},
        {u"max-envelope-kb"_s, u"MaxEnvelopeSizekb (default 500)."_s, u"kb"_s, u"500"_s},
        {u"max-shells-per-user"_s, u"MaxShellsPerUser (default 30)."_s, u"n"_s, u"30"_s},
        {u"max-timeout-ms"_s, u"MaxTimeoutms, the cap on OperationTimeout (default 60000)."_s,
         u"ms"_s, u"60000"_s},
        {u"workers"_s, u"Number of pwsh worker processes (default 2)."_s, u"n"_s, u"2"_s},
        {u"worker-assembly"_s, u"Path of hostsim-worker.dll."_s, u"file"_s},
        {u"pwsh"_s, u"Path of pwsh."_s, u"file"_s},
    });
    if (!parser.parse(arguments))
        return fail(ErrorCode::InvalidInput, parser.errorText());
    if (parser.isSet(u"help"_s))
        return fail(ErrorCode::InvalidInput, parser.helpText());

    HostSimOptions options;
    if (parser.isSet(u"host-names"_s)) {
        static const QRegularExpression valid(u"^[A-Za-z0-9][A-Za-z0-9-]{0,14}$"_s);
        for (const QString &name : parser.value(u"host-names"_s).split(u',', Qt::SkipEmptyParts)) {
            const QString trimmed = name.trimmed();
            if (!valid.match(trimmed).hasMatch())
                return fail(
                    ErrorCode::InvalidInput,
                    u"Host names must be NetBIOS names (letters, digits, '-', 1-15 characters)."_s,
                    trimmed);
            if (options.hostNames.contains(trimmed, Qt::CaseInsensitive))
                return fail(ErrorCode::InvalidInput, u"Host names must be unique."_s, trimmed);
            options.hostNames << trimmed;
        }
    } else if (parser.isSet(u"hosts"_s)) {
        const auto count = positive(parser, u"hosts"_s, 1);
        if (!count)
            return std::unexpected(count.error());
        const int width = std::max(2, int(QString::number(*count).size()));
        for (int i = 1; i <= *count; ++i)
            options.hostNames << u"HV"_s + QString::number(i).rightJustified(width, u'0');
    }
    if (options.hostNames.isEmpty())
        return fail(ErrorCode::InvalidInput, u"Give --hosts N or --host-names a,b,c."_s);

    if (!options.listenAddress.setAddress(parser.value(u"listen"_s)))
        return fail(ErrorCode::InvalidInput, u"--listen needs an IP address."_s,
                    parser.value(u"listen"_s));
    bool ok = false;
    const uint port = parser.value(u"base-port"_s).toUInt(&ok);
    if (!ok || port + options.hostNames.size() > 65536)
        return fail(ErrorCode::InvalidInput, u"--base-port leaves no room for every host."_s);
    options.basePort = quint16(port);

    if (!parser.isSet(u"root"_s))
        return fail(ErrorCode::InvalidInput, u"Give --root DIR for the hosts' C: drives."_s);
    options.root = QDir(parser.value(u"root"_s)).absolutePath();
    if (parser.isSet(u"users"_s))
        options.usersFile = QFileInfo(parser.value(u"users"_s)).absoluteFilePath();

    options.negotiate = false;
    for (const QString &scheme : parser.value(u"auth"_s).split(u',', Qt::SkipEmptyParts)) {
        const QString s = scheme.trimmed().toLower();
        if (s == u"negotiate")
            options.negotiate = true;
        else if (s == u"kerberos")
            options.kerberos = true;
        else if (s == u"basic")
            options.basic = true;
        else
            return fail(ErrorCode::InvalidInput, u"--auth knows negotiate, kerberos and basic."_s,
                        scheme);
    }
    if (!options.negotiate && !options.kerberos && !options.basic)
        return fail(ErrorCode::InvalidInput, u"--auth must enable at least one scheme."_s);

    options.https = parser.isSet(u"https"_s);
    options.certFile = parser.value(u"cert"_s);
    options.keyFile = parser.value(u"key"_s);
    if (options.https && (options.certFile.isEmpty() || options.keyFile.isEmpty()))
        return fail(ErrorCode::InvalidInput, u"--https needs --cert and --key."_s);
    options.allowUnencrypted = parser.isSet(u"allow-unencrypted"_s);
    if (parser.isSet(u"keytab"_s))
        options.keytab = QFileInfo(parser.value(u"keytab"_s)).absoluteFilePath();
    if (parser.isSet(u"faults"_s))
        options.faultsFile = QFileInfo(parser.value(u"faults"_s)).absoluteFilePath();
    if (options.basic && options.usersFile.isEmpty())
        return fail(ErrorCode::InvalidInput,
                    u"Basic needs --users FILE with DOMAIN:user:password lines."_s);
    if (options.negotiate && options.usersFile.isEmpty() && options.keytab.isEmpty())
        return fail(ErrorCode::InvalidInput,
                    u"Negotiate needs --users FILE (NTLM) or --keytab FILE (Kerberos)."_s);
    if (options.kerberos && options.keytab.isEmpty())
        return fail(ErrorCode::InvalidInput, u"--auth kerberos needs --keytab FILE."_s);

    const auto envelope = positive(parser, u"max-envelope-kb"_s, 8);
    const auto shells = positive(parser, u"max-shells-per-user"_s, 1);
    const auto timeout = positive(parser, u"max-timeout-ms"_s, 100);
    const auto workers = positive(parser, u"workers"_s, 1);
    for (const auto *r : {&envelope, &shells, &timeout, &workers})
        if (!*r)
            return std::unexpected(r->error());
    options.maxEnvelopeKb = *envelope;
    options.maxShellsPerUser = *shells;
    options.maxTimeoutMs = *timeout;
    options.workers = *workers;

    const QString appDir = QCoreApplication::applicationDirPath();
    options.workerAssembly = parser.isSet(u"worker-assembly"_s) ? parser.value(u"worker-assembly"_s)
                                                                : appDir + u"/hostsim-worker.dll";
    options.workerScript
        = QFileInfo(options.workerAssembly).absolutePath() + u"/hostsim-worker.ps1";
    options.quotaLibrary
        = QFileInfo(options.workerAssembly).absolutePath() + u"/libaetherv-hostsim-quota.so";
    options.pwsh = parser.isSet(u"pwsh"_s) ? parser.value(u"pwsh"_s) : findPwsh();
    if (options.pwsh.isEmpty())
        return fail(ErrorCode::Configuration,
                    u"pwsh was not found; run scripts/setup.sh or pass --pwsh."_s);
    return options;
}

} // namespace aetherv::hostsim
