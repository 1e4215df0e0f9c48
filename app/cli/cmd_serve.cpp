#include "clicommand.h"

#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace aetherv::cli {

using namespace aetherv::artifacts;

namespace {

void addBundleOption(QCommandLineParser &p)
{
    p.addOption(
        {QStringLiteral("bundle"),
         QStringLiteral("Agent bundle folder (default: %1).").arg(AgentBundle::defaultDirectory()),
         QStringLiteral("dir")});
}

QString bundleDir(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("bundle")) ? p.value(QStringLiteral("bundle"))
                                             : AgentBundle::defaultDirectory();
}

} // namespace

int runManifest(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Prints the agent bundle's manifest.json."));
    p.addHelpOption();
    addBundleOption(p);
    p.process(arguments);
    QTextStream out(stdout), err(stderr);
    const auto snap = AgentBundle::scan(bundleDir(p));
    if (!snap) {
        err << "aetherv-deploy: " << snap.error().toString() << '\n';
        return ExitUsage;
    }
    out << snap->manifest.toJson();
    return ExitOk;
}

int runServe(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Serves the agent bundle (GET|HEAD /agent/<file>, /agent/manifest.json, "
                       "/healthz, /readyz, /metrics) until interrupted."));
    p.addHelpOption();
    addBundleOption(p);
    p.addOption({QStringLiteral("listen"), QStringLiteral("Address to bind (default 127.0.0.1)."),
                 QStringLiteral("address"), QStringLiteral("127.0.0.1")});
    p.addOption({QStringLiteral("port"), QStringLiteral("Port (default 8080; 0 = any free)."),
                 QStringLiteral("port"), QStringLiteral("8080")});
    p.addOption({QStringLiteral("cert"), QStringLiteral("PEM certificate: serve HTTPS."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("key"), QStringLiteral("PEM private key for --cert."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("max-connections"),
                 QStringLiteral("Concurrent connection cap (default 512)."), QStringLiteral("n"),
                 QStringLiteral("512")});
    p.addOption({QStringLiteral("idle-timeout"),
                 QStringLiteral("Keep-alive idle timeout in seconds (default 60)."),
                 QStringLiteral("s"), QStringLiteral("60")});
    p.addOption({QStringLiteral("no-zero-copy"),
                 QStringLiteral("Copy through user space instead of sendfile(2).")});
    p.process(arguments);

    QTextStream out(stdout), err(stderr);
    ArtifactServerConfig config;
    config.address = QHostAddress(p.value(QStringLiteral("listen")));
    bool ok = !config.address.isNull();
    if (!ok) {
        err << "aetherv-deploy: --listen needs an IP address\n";
        return ExitUsage;
    }
    const uint port = p.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535) {
        err << "aetherv-deploy: --port needs a number from 0 to 65535\n";
        return ExitUsage;
    }
    config.port = quint16(port);
    config.certificateFile = p.value(QStringLiteral("cert"));
    config.privateKeyFile = p.value(QStringLiteral("key"));
    config.maxConnections = p.value(QStringLiteral("max-connections")).toInt(&ok);
    if (!ok || config.maxConnections < 1) {
        err << "aetherv-deploy: --max-connections needs a positive number\n";
        return ExitUsage;
    }
    config.idleTimeoutMs = p.value(QStringLiteral("idle-timeout")).toInt(&ok) * 1000;
    if (!ok || config.idleTimeoutMs < 1000) {
        err << "aetherv-deploy: --idle-timeout needs at least 1 second\n";
        return ExitUsage;
    }
    config.zeroCopy = !p.isSet(QStringLiteral("no-zero-copy"));

    ArtifactServer server(config);
    const auto started = server.start();
    if (!started) {
        err << "aetherv-deploy: " << started.error().toString() << '\n';
        return ExitUsage;
    }
    quitOnTerminationSignals();

    const QString dir = bundleDir(p);
    int exitCode = ExitOk;
    QFutureWatcher<Result<BundleSnapshot>> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &server, [&] {
        const Result<BundleSnapshot> snap = watcher.result();
        if (!snap) {
            err << "aetherv-deploy: " << snap.error().toString() << '\n';
            err.flush();
            exitCode = ExitUsage;
            QCoreApplication::exit(ExitUsage);
            return;
        }
        server.setBundle(std::make_shared<const BundleSnapshot>(*snap));
        const QJsonObject ready{
            {QStringLiteral("event"), QStringLiteral("ready")},
            {QStringLiteral("url"), server.baseUrl().toString()},
            {QStringLiteral("version"), snap->version},
            {QStringLiteral("digest"), QString::fromLatin1(snap->manifest.digest())},
            {QStringLiteral("files"), int(snap->files.size())}};
        out << QJsonDocument(ready).toJson(QJsonDocument::Compact) << '\n';
        out.flush();
    });
    watcher.setFuture(AgentBundle::scanAsync(dir, std::make_shared<HashCache>()));
    const int rc = QCoreApplication::exec();
    server.stop();
    return exitCode != ExitOk ? exitCode : rc;
}

} // namespace aetherv::cli
