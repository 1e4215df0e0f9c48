#include "clicommand.h"
#include "clisession.h"

#include "core/deploy/winrmscriptexecutor.h"
#include "core/provision/provisioningservice.h"
#include "core/tasks/remotetaskrunner.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace aetherv::cli {

using namespace aetherv::provision;

namespace {

QByteArray readJobText(const QString &source, QString *error)
{
    QFile f;
    const bool ok = source == u"-" ? f.open(stdin, QIODevice::ReadOnly)
                                   : (f.setFileName(source), f.open(QIODevice::ReadOnly));
    if (!ok) {
        *error = QStringLiteral("cannot read %1: %2").arg(source, f.errorString());
        return {};
    }
    return f.readAll();
}

QString profileHost(const config::Profile &profile, const QString &wanted)
{
    for (const config::HostEntry &h : profile.hosts) {
        if (h.toString().compare(wanted, Qt::CaseInsensitive) == 0
            || h.address.compare(wanted, Qt::CaseInsensitive) == 0)
            return h.toString();
    }
    return QString();
}

QJsonObject jobJson(const ProvisioningJob &job)
{
    QJsonObject o{{QStringLiteral("event"), QStringLiteral("job")},
                  {QStringLiteral("id"), job.id},
                  {QStringLiteral("host"), job.host},
                  {QStringLiteral("jobId"), job.jobId},
                  {QStringLiteral("vmName"), job.vmName},
                  {QStringLiteral("state"), jobStateName(job.state)},
                  {QStringLiteral("reason"), job.reason}};
    if (!job.errorCode.isEmpty())
        o.insert(QStringLiteral("code"), job.errorCode);
    if (!job.vmId.isEmpty())
        o.insert(QStringLiteral("vmId"), job.vmId);
    return o;
}

} // namespace

int runProvision(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Creates and provisions one VM on one host with the agent's Invoke-ProvisioningJob.ps1 "
        "from the host's install directory. The job (agent/schema/job.schema.json) is validated "
        "first; it runs only once the host's agent is the console's bundle (the host is checked "
        "and, when needed, deployed first, and the command waits for that). Prints each step as "
        "it ends. Exit code 0: the VM is provisioned; 1: a step failed or the host refused the "
        "job; 2: invalid job or usage; 3: the host cannot be reached."));
    p.addHelpOption();
    addCommonOptions(p);
    p.addOption({QStringLiteral("host"), QStringLiteral("The host."), QStringLiteral("host")});
    p.addOption({QStringLiteral("job"), QStringLiteral("The job file, or - for standard input."),
                 QStringLiteral("file")});
    p.process(arguments);
    QTextStream err(stderr);
    if (!p.isSet(QStringLiteral("host")) || !p.isSet(QStringLiteral("job"))) {
        err << "aetherv-deploy provision: give --host and --job FILE (or --job - for stdin)\n";
        return ExitUsage;
    }
    QString readError;
    const QByteArray text = readJobText(p.value(QStringLiteral("job")), &readError);
    if (!readError.isEmpty()) {
        err << "aetherv-deploy provision: " << readError << '\n';
        return ExitUsage;
    }
    auto parsed = parseJob(text);
    if (!parsed) {
        err << "aetherv-deploy provision: " << parsed.error().toString() << '\n';
        return ExitUsage;
    }
    const QJsonObject job = withJobId(*parsed);
    if (const QList<JobIssue> issues = validateJob(job); !issues.isEmpty()) {
        err << "aetherv-deploy provision: the job is invalid; nothing was sent to the host:\n";
        for (const JobIssue &i : issues)
            err << "  " << i.toString() << '\n';
        return ExitUsage;
    }

    CliSession s(p);
    if (const int rc = s.prepare(true); rc != ExitOk)
        return rc;
    const QString host = profileHost(s.profile(), p.value(QStringLiteral("host")));
    if (host.isEmpty()) {
        s.err() << "aetherv-deploy provision: " << p.value(QStringLiteral("host"))
                << " is not a host of profile '" << s.profile().name << "'\n";
        return ExitUsage;
    }

    // The gate's lines below carry the deployment service's messages for this host; the
    // session's per-host table of every profile host is not wanted here.
    QObject::disconnect(s.service(), &deploy::HostDeploymentService::hostsChanged, &s, nullptr);

    tasks::RemoteTaskRunner runner;
    runner.setConcurrency(tasks::Category::Diagnostics,
                          s.profile().taskRunner.diagnosticsConcurrency);
    ProvisioningService service(&runner, deploy::makeWinRmExecutor(s.profile(), s.credentials()),
                                s.service());
    service.setBundle(s.bundle());

    QString id;
    QString lastReason;
    JobState lastState = JobState::Queued;
    QEventLoop loop;
    QObject::connect(&service, &ProvisioningService::jobChanged, &loop, [&](const QString &jid) {
        if (jid != id)
            return;
        const ProvisioningJob j = service.job(jid);
        if ((j.state == lastState && j.reason == lastReason) || isFinal(j.state))
            return;
        lastState = j.state;
        lastReason = j.reason;
        if (s.json())
            s.emitJson(jobJson(j));
        else if (j.state == JobState::Waiting || j.state == JobState::Running)
            s.out() << host << "  " << jobStateLabel(j.state) << ": " << j.reason << '\n';
        s.out().flush();
    });
    QObject::connect(&service, &ProvisioningService::jobLine, &loop,
                     [&](const QString &, const QJsonObject &line, const QString &lineText) {
                         if (s.json()) {
                             s.emitJson(line);
                             return;
                         }
                         if (line.value(u"event").toString() != u"step" || lineText.isEmpty())
                             return;
                         s.out() << host << "  step " << lineText << '\n';
                         s.out().flush();
                     });
    QObject::connect(&service, &ProvisioningService::jobFinished, &loop, &QEventLoop::quit);
    quitOnTerminationSignals(); // SIGINT/SIGTERM end the loop below; the job is then cancelled

    auto submitted = service.submit(host, job);
    if (!submitted) {
        s.err() << "aetherv-deploy provision: " << submitted.error().toString() << '\n';
        return ExitUsage;
    }
    id = *submitted;
    if (!isFinal(service.job(id).state))
        loop.exec();
    // Interrupted: cancel; a running job finishes once the host command is stopped.
    if (!isFinal(service.job(id).state))
        service.cancel(id);
    while (!isFinal(service.job(id).state)) {
        QEventLoop wait;
        QObject::connect(&service, &ProvisioningService::jobFinished, &wait, &QEventLoop::quit);
        wait.exec();
    }

    const ProvisioningJob j = service.job(id);
    if (s.json()) {
        QJsonObject o = jobJson(j);
        o.insert(QStringLiteral("final"), true);
        s.emitJson(o);
    } else {
        s.out() << host << "  job " << j.jobId << " (VM " << j.vmName
                << "): " << jobStateLabel(j.state) << " — " << j.reason << '\n';
        s.out().flush();
    }
    if (j.state == JobState::Succeeded)
        return ExitOk;
    const deploy::HostState hostState = s.service()->status(host).state;
    if (j.errorCode == u"unreachable"
        || (j.state == JobState::Refused
            && (hostState == deploy::HostState::Unreachable
                || hostState == deploy::HostState::AuthFailed)))
        return ExitUnreachable;
    return ExitSomeFailed;
}

} // namespace aetherv::cli
