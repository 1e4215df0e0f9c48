#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace aetherv::provision {

enum class JobState {
    Queued,    // behind another job on the same host
    Waiting,   // at the gate: the host's agent is being checked or deployed
    Running,   // Invoke-ProvisioningJob.ps1 runs on the host
    Succeeded, // every step succeeded (or was skipped by the job's own choice)
    Failed,    // a step failed, or the job could not be run (reason says which)
    Refused,   // the gate refused the host (deployment failed, newer agent, ...)
    Cancelled, // the operator cancelled it
};
QString jobStateName(JobState s);  // stable machine word (JSON, CLI)
QString jobStateLabel(JobState s); // translated text for people
bool isFinal(JobState s);

struct JobStep
{
    QString name;
    QString status = QStringLiteral("pending"); // pending | running | succeeded | failed | skipped
    QString message;                            // last progress text, error or skip reason
};

// One provisioning job as the console tracks it.
struct ProvisioningJob
{
    QString id; // the console's id ("P1", ...)
    QString host;
    QString jobId; // the job document's jobId
    QString vmName;
    JobState state = JobState::Queued;
    QString reason;    // why it waits, was refused or failed; the outcome when it succeeded
    QString errorCode; // agent or console code of a failure ("StepFailed", "unreachable", ...)
    QList<JobStep> steps;
    QString vmId;
    QDateTime submitted;
    QDateTime started;
    QDateTime finished;
};

// The steps of Invoke-ProvisioningJob.ps1, in order.
const QStringList &provisioningStepNames();

// Applies one line of Invoke-ProvisioningJob.ps1's output ({"event":"step"} or
// {"event":"progress"}) to the job's step list; returns a one-line text for logs and terminals
// (empty for lines that carry nothing to show).
QString applyJobLine(ProvisioningJob &job, const QJsonObject &line);

// Applies the agent's result line ({"event":"result","ok":...}): state, reason, code, vmId.
void applyJobResult(ProvisioningJob &job, const QJsonObject &result);

} // namespace aetherv::provision

Q_DECLARE_METATYPE(aetherv::provision::ProvisioningJob)
