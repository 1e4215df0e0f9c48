#include "core/provision/provisioningjobstatus.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace aetherv::provision {

QString jobStateName(JobState s)
{
    switch (s) {
    case JobState::Queued:
        return QStringLiteral("queued");
    case JobState::Waiting:
        return QStringLiteral("waiting");
    case JobState::Running:
        return QStringLiteral("running");
    case JobState::Succeeded:
        return QStringLiteral("succeeded");
    case JobState::Failed:
        return QStringLiteral("failed");
    case JobState::Refused:
        return QStringLiteral("refused");
    case JobState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString jobStateLabel(JobState s)
{
    switch (s) {
    case JobState::Queued:
        return QCoreApplication::translate("JobState", "queued");
    case JobState::Waiting:
        return QCoreApplication::translate("JobState", "waiting for the agent");
    case JobState::Running:
        return QCoreApplication::translate("JobState", "running");
    case JobState::Succeeded:
        return QCoreApplication::translate("JobState", "succeeded");
    case JobState::Failed:
        return QCoreApplication::translate("JobState", "failed");
    case JobState::Refused:
        return QCoreApplication::translate("JobState", "refused");
    case JobState::Cancelled:
        return QCoreApplication::translate("JobState", "cancelled");
    }
    return QString();
}

bool isFinal(JobState s)
{
    return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Refused
           || s == JobState::Cancelled;
}

const QStringList &provisioningStepNames()
{
    static const QStringList names{QStringLiteral("copyImage"),
                                   QStringLiteral("copyProvisioningIso"),
                                   QStringLiteral("registerVM"),
                                   QStringLiteral("publishProvisioningData"),
                                   QStringLiteral("waitForProvisioningKey"),
                                   QStringLiteral("removeSensitiveData")};
    return names;
}

namespace {

JobStep &stepNamed(ProvisioningJob &job, const QString &name)
{
    for (JobStep &s : job.steps) {
        if (s.name == name)
            return s;
    }
    job.steps.append(JobStep{name, QStringLiteral("pending"), QString()});
    return job.steps.last();
}

// The helper script a progress line comes from names its step.
QString stepOfScript(const QString &script)
{
    if (script == u"Provisioning.CopyImage")
        return QStringLiteral("copyImage");
    if (script == u"Provisioning.CopyProvisioningISO")
        return QStringLiteral("copyProvisioningIso");
    if (script == u"Provisioning.RegisterVM")
        return QStringLiteral("registerVM");
    if (script == u"Provisioning.PublishProvisioningData")
        return QStringLiteral("publishProvisioningData");
    if (script == u"Provisioning.WaitForProvisioningKey")
        return QStringLiteral("waitForProvisioningKey");
    return QString();
}

// What a succeeded step produced, in a few words (the agent's data; never a KVP value).
QString successText(const QString &step, const QJsonObject &data)
{
    if (step == u"copyImage" || step == u"copyProvisioningIso")
        return QStringLiteral("%1 bytes, SHA-256 %2")
            .arg(data.value(u"sizeBytes").toInteger())
            .arg(data.value(u"sha256").toString().left(12));
    if (step == u"registerVM")
        return QStringLiteral("VM id %1, %2")
            .arg(data.value(u"vmId").toString(), data.value(u"started").toBool()
                                                     ? QStringLiteral("started")
                                                     : QStringLiteral("not started"));
    if (step == u"publishProvisioningData")
        return QStringLiteral("%1 key(s) published")
            .arg(data.value(u"added").toArray().size() + data.value(u"modified").toArray().size());
    if (step == u"waitForProvisioningKey")
        return data.value(u"message").toString();
    return QString();
}

QString errorText(const QJsonObject &error)
{
    const QString code = error.value(u"code").toString();
    const QString message = error.value(u"message").toString();
    return code.isEmpty() ? message : QStringLiteral("[%1] %2").arg(code, message);
}

} // namespace

QString applyJobLine(ProvisioningJob &job, const QJsonObject &line)
{
    const QString event = line.value(u"event").toString();
    if (event == u"step") {
        const QString name = line.value(u"step").toString();
        JobStep &step = stepNamed(job, name);
        step.status = line.value(u"status").toString();
        if (step.status == u"failed")
            step.message = errorText(line.value(u"error").toObject());
        else if (step.status == u"skipped")
            step.message = line.value(u"reason").toString();
        else
            step.message = successText(name, line.value(u"data").toObject());
        if (name == u"registerVM") {
            const QString vmId = line.value(u"data").toObject().value(u"vmId").toString();
            if (!vmId.isEmpty())
                job.vmId = vmId;
        }
        return step.message.isEmpty()
                   ? QStringLiteral("%1: %2").arg(name, step.status)
                   : QStringLiteral("%1: %2 (%3)").arg(name, step.status, step.message);
    }
    if (event == u"progress") {
        const QString message = line.value(u"message").toString();
        const QString name = stepOfScript(line.value(u"script").toString());
        if (!name.isEmpty()) {
            JobStep &step = stepNamed(job, name);
            if (step.status == u"pending")
                step.status = QStringLiteral("running");
            step.message = message;
        }
        return message.isEmpty() ? QString() : (name.isEmpty() ? message : name + u": " + message);
    }
    return QString();
}

void applyJobResult(ProvisioningJob &job, const QJsonObject &result)
{
    const QJsonObject data = result.value(u"data").toObject();
    if (!data.value(u"vmId").toString().isEmpty())
        job.vmId = data.value(u"vmId").toString();
    for (const QJsonValue &v : data.value(u"steps").toArray()) {
        const QJsonObject o = v.toObject();
        JobStep &step = stepNamed(job, o.value(u"name").toString());
        step.status = o.value(u"status").toString(step.status);
        if (o.contains(u"error"))
            step.message = errorText(o.value(u"error").toObject());
        else if (o.contains(u"reason"))
            step.message = o.value(u"reason").toString();
    }
    if (result.value(u"ok").toBool()) {
        job.state = JobState::Succeeded;
        job.errorCode.clear();
        job.reason = QCoreApplication::translate("ProvisioningJob", "VM %1 is provisioned (id %2)")
                         .arg(job.vmName, job.vmId);
        return;
    }
    const QJsonObject error = result.value(u"error").toObject();
    job.state = JobState::Failed;
    job.errorCode = error.value(u"code").toString();
    job.reason = errorText(error);
}

} // namespace aetherv::provision
