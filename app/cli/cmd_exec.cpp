#include "clicommand.h"
#include "clisession.h"

#include "core/deploy/winrmscriptexecutor.h"
#include "core/tasks/remotetaskrunner.h"
#include "core/winrm/powershellrunner.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace aetherv::cli {

using namespace aetherv::deploy;

namespace {

int hostArgument(CliSession &s, const QString &wanted, QString &host)
{
    for (const config::HostEntry &h : s.profile().hosts) {
        if (h.toString().compare(wanted, Qt::CaseInsensitive) == 0
            || h.address.compare(wanted, Qt::CaseInsensitive) == 0) {
            host = h.toString();
            return ExitOk;
        }
    }
    s.err() << "aetherv-deploy: " << wanted << " is not a host of profile '" << s.profile().name
            << "'\n";
    return ExitUsage;
}

} // namespace

int runExec(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Runs PowerShell on one host of the profile with the profile's connection "
                       "settings and prints its stdout, stderr and exit code. The exit code of "
                       "aetherv-deploy is 0 when the remote exit code is 0, 1 when it is not, 3 "
                       "when the host cannot be reached."));
    p.addHelpOption();
    addCommonOptions(p);
    p.addOption({QStringLiteral("host"), QStringLiteral("The host."), QStringLiteral("host")});
    p.addOption({QStringLiteral("script"), QStringLiteral("A .ps1 file to run (any length)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("command"), QStringLiteral("PowerShell text to run."),
                 QStringLiteral("text")});
    p.process(arguments);
    QTextStream err(stderr);
    if (!p.isSet(QStringLiteral("host"))
        || p.isSet(QStringLiteral("script")) == p.isSet(QStringLiteral("command"))) {
        err << "aetherv-deploy exec: give --host and exactly one of --script or --command\n";
        return ExitUsage;
    }
    CliSession s(p);
    if (const int rc = s.prepareConnection(); rc != ExitOk)
        return rc;
    QString host;
    if (const int rc = hostArgument(s, p.value(QStringLiteral("host")), host); rc != ExitOk)
        return rc;
    QString script = p.value(QStringLiteral("command"));
    if (p.isSet(QStringLiteral("script"))) {
        QFile f(p.value(QStringLiteral("script")));
        if (!f.open(QIODevice::ReadOnly)) {
            err << "aetherv-deploy exec: cannot read " << f.fileName() << ": " << f.errorString()
                << '\n';
            return ExitUsage;
        }
        script = QString::fromUtf8(f.readAll());
    }
    winrm::PowerShellRunner runner(connectionSettingsFor(s.profile(), host), s.credentials(),
                                   script);
    runner.setLineCallback([&s](winrm::OutputStream stream, const QString &line) {
        if (s.json()) {
            s.emitJson({{QStringLiteral("event"), QStringLiteral("output")},
                        {QStringLiteral("stream"), stream == winrm::OutputStream::Stdout
                                                       ? QStringLiteral("stdout")
                                                       : QStringLiteral("stderr")},
                        {QStringLiteral("line"), line}});
            return;
        }
        (stream == winrm::OutputStream::Stdout ? s.out() : s.err()) << line << '\n';
        (stream == winrm::OutputStream::Stdout ? s.out() : s.err()).flush();
    });
    QEventLoop loop;
    QObject::connect(&runner, &winrm::PowerShellRunner::finished, &loop, &QEventLoop::quit);
    quitOnTerminationSignals();
    QObject::connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, &runner,
                     &winrm::PowerShellRunner::cancel);
    runner.start();
    if (!runner.isFinished())
        loop.exec();
    const winrm::CommandResult &r = runner.result();
    if (r.outcome != winrm::JobOutcome::Succeeded) {
        if (s.json())
            s.emitJson({{QStringLiteral("event"), QStringLiteral("result")},
                        {QStringLiteral("error"), r.error.toString()}});
        else
            s.err() << "aetherv-deploy exec: " << r.error.toString() << '\n';
        return (r.error.code == ErrorCode::Network || r.error.code == ErrorCode::Tls
                || r.error.code == ErrorCode::CredentialsRejected)
                   ? ExitUnreachable
                   : ExitSomeFailed;
    }
    if (s.json()) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("result")}};
        if (r.exitCode)
            o.insert(QStringLiteral("exitCode"), *r.exitCode);
        s.emitJson(o);
    } else {
        s.err() << "exit code: "
                << (r.exitCode ? QString::number(*r.exitCode) : QStringLiteral("unknown")) << '\n';
    }
    return r.exitCode && *r.exitCode == 0 ? ExitOk : ExitSomeFailed;
}

int runSmoke(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Smoke test of one host: the install directory exists, every file of the "
                       "bundle is there with the right size and SHA-256, and the version file "
                       "holds the bundle's version. Exit code 0 when healthy, 1 otherwise."));
    p.addHelpOption();
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("host"), QStringLiteral("The host to test."));
    p.process(arguments);
    QTextStream err(stderr);
    if (p.positionalArguments().size() != 1) {
        err << "aetherv-deploy smoke: give exactly one host\n";
        return ExitUsage;
    }
    CliSession s(p);
    if (const int rc = s.prepare(false); rc != ExitOk)
        return rc;
    QString host;
    if (const int rc = hostArgument(s, p.positionalArguments().at(0), host); rc != ExitOk)
        return rc;

    tasks::RemoteTaskRunner runner;
    auto executor = makeWinRmExecutor(s.profile(), s.credentials());
    const QJsonObject params{{QStringLiteral("installDirectory"), s.profile().installDirectory}};
    auto *task = runner.submit(
        tasks::Category::Diagnostics, QStringLiteral("smoke test of %1").arg(host),
        qint64(s.profile().taskRunner.checkDeadlineSeconds) * 1000,
        [executor, host, params](tasks::TaskContext &ctx) -> Result<QVariant> {
            auto r = executor->run(host, QStringLiteral("Test-AgentInstall.ps1"), params, {}, ctx);
            if (!r)
                return std::unexpected(r.error());
            return QVariant(*r);
        });
    tasks::TaskResult result;
    QEventLoop loop;
    QObject::connect(task, &tasks::TaskHandle::finished, &loop, [&](const tasks::TaskResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    delete task;
    if (result.outcome != tasks::TaskOutcome::Succeeded) {
        s.err() << "aetherv-deploy smoke: " << host << ": " << result.error.toString() << '\n';
        return result.error.code == ErrorCode::Network ? ExitUnreachable : ExitSomeFailed;
    }
    const QJsonObject r = result.value.toJsonObject();
    if (s.json()) {
        s.emitJson(r);
        return r.value(QStringLiteral("healthy")).toBool() ? ExitOk : ExitSomeFailed;
    }
    if (r.value(QStringLiteral("outcome")).toString() != u"ok") {
        s.err() << host << ": " << r.value(QStringLiteral("error")).toString() << '\n';
        return ExitSomeFailed;
    }
    QTextStream &out = s.out();
    out << host << ": " << s.profile().installDirectory
        << (r.value(QStringLiteral("exists")).toBool() ? QStringLiteral(" exists")
                                                       : QStringLiteral(" does not exist"))
        << '\n';
    bool healthy = r.value(QStringLiteral("exists")).toBool();
    const auto bundle = s.bundle();
    for (const QJsonValue &v : r.value(QStringLiteral("files")).toArray()) {
        const QJsonObject f = v.toObject();
        const QString name = f.value(QStringLiteral("name")).toString();
        const qint64 size = f.value(QStringLiteral("size")).toInteger();
        const QByteArray sha = f.value(QStringLiteral("sha256")).toString().toLatin1();
        QString verdict = QStringLiteral("not in the bundle");
        if (bundle && name == u"manifest.json") {
            const bool same = r.value(QStringLiteral("manifestDigest")).toString().toLatin1()
                              == bundle->manifest.digest();
            verdict = same ? QStringLiteral("manifest ok") : QStringLiteral("MANIFEST DIFFERS");
            healthy = healthy && same;
        } else if (bundle) {
            if (const auto *e = bundle->manifest.find(name)) {
                verdict = (e->size == size && e->sha256 == sha) ? QStringLiteral("ok")
                                                                : QStringLiteral("DIFFERS");
                healthy = healthy && verdict == u"ok";
            }
        }
        out << "  " << verdict.leftJustified(18) << ' ' << name.leftJustified(44) << ' '
            << QString::number(size).rightJustified(12) << "  " << sha.left(16) << "…\n";
    }
    if (bundle) {
        QSet<QString> present;
        for (const QJsonValue &v : r.value(QStringLiteral("files")).toArray())
            present.insert(v.toObject().value(QStringLiteral("name")).toString());
        for (const auto &e : bundle->manifest.files()) {
            if (!present.contains(e.name)) {
                out << "  " << QStringLiteral("MISSING").leftJustified(18) << ' ' << e.name << '\n';
                healthy = false;
            }
        }
    }
    const QString version = r.value(QStringLiteral("version")).toString();
    out << "  version file: " << (version.isEmpty() ? QStringLiteral("(none)") : version);
    if (bundle) {
        out << (version == bundle->version
                    ? QStringLiteral(" (matches the bundle)")
                    : QStringLiteral(" (bundle is %1)").arg(bundle->version));
        healthy = healthy && version == bundle->version;
    }
    out << "\n  " << (healthy ? "healthy" : "NOT healthy") << '\n';
    out.flush();
    return healthy ? ExitOk : ExitSomeFailed;
}

} // namespace aetherv::cli
