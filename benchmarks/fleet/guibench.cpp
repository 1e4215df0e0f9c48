// Console responsiveness under a fleet rollout (a benchmark, not a ctest test): the real window,
// offscreen, with the real WinRM executor against aetherv-hostsim (real PowerShell). It runs
// Check, then Deploy outdated, on N cold hosts, while a 10 ms precise timer records how late
// each of its ticks fires: lateness is the time the event loop was busy elsewhere. Prints the
// stall distribution (p50/p99/max), the rollout's wall time, failures, and this process's peak
// RSS and CPU time.
//   aetherv-fleet-guibench --hosts 200 --concurrency 32 --bundle DIR --root DIR [--workers 2]
//                          [--auth ntlm|negotiate]

#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/winrmscriptexecutor.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/main/mainwindow.h"
#include "ui/session/consolesession.h"

#include "consolefixture.h"
#include "support/hostsimprocess.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace aetherv;
using namespace aetherv::ui;

namespace {

constexpr int kTickMs = 10;

// Records how late each tick of a precise timer fires.
class StallProbe : public QObject
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_lateMs.push_back(double(now - m_last) / 1e6 - kTickMs);
            m_last = now;
        });
    }
    void start()
    {
        m_lateMs.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double percentile(double p) const
    {
        if (m_lateMs.empty())
            return 0;
        std::vector<double> v = m_lateMs;
        std::sort(v.begin(), v.end());
        const auto i = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())));
        return std::max(0.0, v[i]);
    }
    size_t ticks() const { return m_lateMs.size(); }
    size_t over(double ms) const
    {
        return size_t(
            std::count_if(m_lateMs.begin(), m_lateMs.end(), [ms](double x) { return x > ms; }));
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_lateMs;
};

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return 0;
}

int fail(const QString &why)
{
    QTextStream(stderr) << "aetherv-fleet-guibench: " << why << '\n';
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("hosts"), QStringLiteral("Simulated hosts."), QStringLiteral("n"),
                 QStringLiteral("200")});
    p.addOption({QStringLiteral("concurrency"), QStringLiteral("Deployment and check concurrency."),
                 QStringLiteral("n"), QStringLiteral("32")});
    p.addOption(
        {QStringLiteral("bundle"), QStringLiteral("Agent bundle folder."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("root"), QStringLiteral("Folder for the hosts' C: drives."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("workers"), QStringLiteral("Simulator pwsh workers."),
                 QStringLiteral("n"), QStringLiteral("2")});
    p.addOption({QStringLiteral("auth"), QStringLiteral("WinRM authentication."),
                 QStringLiteral("ntlm|negotiate"), QStringLiteral("ntlm")});
    p.process(app);
    const auto auth = config::parseAuth(p.value(QStringLiteral("auth")));
    if (!auth)
        return fail(auth.error().message);
    const int hosts = p.value(QStringLiteral("hosts")).toInt();
    const int concurrency = p.value(QStringLiteral("concurrency")).toInt();
    if (hosts < 1 || concurrency < 1 || !p.isSet(QStringLiteral("bundle"))
        || !p.isSet(QStringLiteral("root")))
        return fail(QStringLiteral("--hosts, --concurrency, --bundle and --root are required"));

    QTemporaryDir tmp;
    const QString password = QStringLiteral("Gui-Bench-Pa55");
    {
        QFile users(tmp.filePath(QStringLiteral("users")));
        if (!users.open(QIODevice::WriteOnly) || users.write("LAB:operator:Gui-Bench-Pa55\n") < 0)
            return fail(QStringLiteral("cannot write the users file"));
    }
    testsupport::HostSimProcess sim;
    if (!sim.start({QStringLiteral("--hosts"), QString::number(hosts), QStringLiteral("--root"),
                    p.value(QStringLiteral("root")), QStringLiteral("--users"),
                    tmp.filePath(QStringLiteral("users")), QStringLiteral("--workers"),
                    p.value(QStringLiteral("workers"))},
                   600000))
        return fail(sim.errorString());

    QStringList addresses;
    for (const auto &h : sim.hosts())
        addresses << QStringLiteral("127.0.0.1:") + QString::number(h.url.port());
    config::Profile profile = testProfile(QStringLiteral("Fleet"), {},
                                          QDir(p.value(QStringLiteral("bundle"))).absolutePath());
    for (const QString &h : std::as_const(addresses))
        profile.hosts << *config::HostEntry::parse(h);
    profile.winrm.userName = QStringLiteral("LAB\\operator");
    profile.winrm.auth = *auth;
    profile.ingressGate.timeoutSeconds = 60;
    profile.taskRunner.deploymentConcurrency = concurrency;
    profile.taskRunner.inventoryConcurrency = concurrency;
    profile.taskRunner.deployDeadlineSeconds = 3600;
    profile.taskRunner.checkDeadlineSeconds = 600;
    MemoryProfileStore profiles;
    profiles.stored = {profile};
    MemorySecretStore secrets;
    secrets.secrets.insert(profile.id + QStringLiteral("|LAB\\operator"), password);
    ConsoleContext ctx;
    ctx.profiles = &profiles;
    ctx.secrets = &secrets;
    ctx.executorFactory
        = [](const config::Profile &pr,
             const Credentials &c) -> Result<std::shared_ptr<deploy::RemoteScriptExecutor>> {
        return deploy::makeWinRmExecutor(pr, c);
    };
    MainWindow window(ctx);
    window.resize(1280, 800);
    window.show();
    window.loadProfiles();
    if (!QTest::qWaitFor(
            [&] { return window.action(MainWindow::Action::DeployOutdated)->isEnabled(); }, 60000))
        return fail(QStringLiteral("the profile did not load"));

    auto *service = window.session()->service();
    auto waitIdle = [&](int timeoutMs) {
        (void)QTest::qWaitFor([&] { return service->isRunning(); }, 10000);
        return QTest::qWaitFor([&] { return !service->isRunning(); }, timeoutMs);
    };
    StallProbe probe;
    const double cpu0 = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    probe.start();
    window.action(MainWindow::Action::Check)->trigger();
    if (!waitIdle(1800000))
        return fail(QStringLiteral("the check did not finish"));
    const qint64 checkMs = wall.elapsed();
    window.action(MainWindow::Action::DeployOutdated)->trigger();
    if (!waitIdle(3600000))
        return fail(QStringLiteral("the rollout did not finish"));
    probe.stop();
    const qint64 totalMs = wall.elapsed();
    const double cpu = cpuSeconds() - cpu0;

    int current = 0;
    QStringList failed;
    for (int row = 0; row < window.hostModel()->rowCount(); ++row) {
        const auto s = window.hostModel()->statusAt(row);
        if (s.state == deploy::HostState::Current)
            ++current;
        else if (failed.size() < 3)
            failed << s.host + QStringLiteral(": ") + s.message;
    }
    std::printf("  check %.1f s, check+rollout %.1f s, %d/%d current\n", double(checkMs) / 1000,
                double(totalMs) / 1000, current, hosts);
    for (const QString &f : std::as_const(failed))
        std::printf("    not current: %s\n", qPrintable(f));
    std::printf("  event-loop lateness over %zu ticks of %d ms: p50 %.1f ms, p99 %.1f ms, max %.1f "
                "ms; %zu ticks > 50 ms (targets p99 <= 50, max <= 200)\n",
                probe.ticks(), kTickMs, probe.percentile(50), probe.percentile(99),
                probe.percentile(100), probe.over(50));
    std::printf("  console process: CPU %.2f s (%.1f ms/host), peak RSS %.1f MB\n", cpu,
                cpu * 1000 / hosts, double(peakRssKb()) / 1024);
    window.close();
    sim.stop();
    return current == hosts ? 0 : 2;
}
