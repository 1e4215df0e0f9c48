// Small driver around PowerShellRunner for the benchmark and for manual checks against
// aetherv-hostsim: runs a PowerShell command N times, prints the output of the last run and one
// JSON line with the client CPU time. The password comes from AETHERV_WINRM_PASSWORD.
#include "core/winrm/powershellrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QUrl>

#include <sys/resource.h>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
           + usage.ru_stime.tv_usec / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("url"),
                 QStringLiteral("Endpoint, e.g. http://127.0.0.1:5985/wsman"),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("user"), QStringLiteral("DOMAIN\\user"), QStringLiteral("user")});
    p.addOption({QStringLiteral("auth"), QStringLiteral("negotiate|ntlm|kerberos|basic"),
                 QStringLiteral("auth"), QStringLiteral("ntlm")});
    p.addOption(
        {QStringLiteral("command"), QStringLiteral("PowerShell text"), QStringLiteral("text")});
    p.addOption(
        {QStringLiteral("script"), QStringLiteral("PowerShell file"), QStringLiteral("file")});
    p.addOption({QStringLiteral("count"), QStringLiteral("Runs"), QStringLiteral("n"),
                 QStringLiteral("1")});
    p.addOption({QStringLiteral("ca-file"), QStringLiteral("CA bundle"), QStringLiteral("file")});
    p.addOption({QStringLiteral("insecure"), QStringLiteral("Ignore TLS errors")});
    p.addOption({QStringLiteral("quiet"), QStringLiteral("Do not print output")});
    p.process(app);

    const QUrl url(p.value(QStringLiteral("url")));
    ConnectionSettings settings;
    settings.host = url.host();
    settings.https = url.scheme() == u"https";
    settings.port = url.port(settings.https ? 5986 : 5985);
    settings.path = url.path().isEmpty() ? QStringLiteral("/wsman") : url.path();
    settings.caFile = p.value(QStringLiteral("ca-file"));
    settings.ignoreTlsErrors = p.isSet(QStringLiteral("insecure"));
    const QString auth = p.value(QStringLiteral("auth"));
    settings.auth = auth == u"basic"       ? AuthMechanism::Basic
                    : auth == u"kerberos"  ? AuthMechanism::Kerberos
                    : auth == u"negotiate" ? AuthMechanism::Negotiate
                                           : AuthMechanism::Ntlm;
    Credentials credentials{p.value(QStringLiteral("user")),
                            qEnvironmentVariable("AETHERV_WINRM_PASSWORD")};
    QString script = p.value(QStringLiteral("command"));
    if (p.isSet(QStringLiteral("script"))) {
        QFile f(p.value(QStringLiteral("script")));
        if (!f.open(QIODevice::ReadOnly)) {
            QTextStream(stderr) << "cannot read " << f.fileName() << "\n";
            return 2;
        }
        script = QString::fromUtf8(f.readAll());
    }
    const int count = p.value(QStringLiteral("count")).toInt();
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    int done = 0;
    int failures = 0;
    int exitCode = 0;
    int nonZeroExits = 0;
    const double cpuStart = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    std::function<void()> runOne = [&] {
        auto *runner = new PowerShellRunner(settings, credentials, script, {}, &app);
        QObject::connect(runner, &PowerShellRunner::finished, &app,
                         [&, runner](const CommandResult &r) {
                             ++done;
                             if (r.outcome != JobOutcome::Succeeded) {
                                 ++failures;
                                 QTextStream(stderr) << "error: " << r.error.toString() << "\n";
                             }
                             exitCode = static_cast<int>(r.exitCode.value_or(-1));
                             if (r.outcome == JobOutcome::Succeeded && exitCode != 0)
                                 ++nonZeroExits;
                             if (done == count && !quiet) {
                                 QTextStream(stdout) << r.stdoutText;
                                 QTextStream(stderr) << r.stderrText;
                             }
                             runner->deleteLater();
                             if (done < count)
                                 runOne();
                             else
                                 app.quit();
                         });
        runner->start();
    };
    runOne();
    app.exec();
    const double cpu = cpuSeconds() - cpuStart;
    QTextStream(stderr) << QJsonDocument(
                               QJsonObject{{QStringLiteral("client"), QStringLiteral("aetherv")},
                                           {QStringLiteral("runs"), count},
                                           {QStringLiteral("failures"), failures},
                                           {QStringLiteral("cpu_s"), cpu},
                                           {QStringLiteral("cpu_ms_per_run"), cpu * 1000 / count},
                                           {QStringLiteral("wall_s"),
                                            static_cast<double>(wall.elapsed()) / 1000.0},
                                           {QStringLiteral("exit_code"), exitCode},
                                           {QStringLiteral("nonzero_exits"), nonZeroExits}})
                               .toJson(QJsonDocument::Compact)
                        << "\n";
    return failures ? 1 : 0;
}
