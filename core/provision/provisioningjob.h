#pragma once

#include "core/common/result.h"
#include "core/provision/jsonschemasubset.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace aetherv::provision {

// What the "Provision VM" dialog and the CLI ask for. Empty/zero optional fields are left out
// of the job, so the agent's defaults apply (host's default paths, generation 2, start, wait).
struct ProvisioningFields
{
    QString jobId; // generated when empty
    QString vmName;
    QString imageName;      // golden image file name (.vhdx)
    QString imageDirectory; // optional; default: the host's VirtualHardDiskPath
    QString imageSha256;    // optional
    int generation = 2;
    int processorCount = 2;
    qint64 memoryStartupMB = 4096;
    bool dynamicMemory = false;
    qint64 memoryMinimumMB = 0; // only with dynamicMemory
    qint64 memoryMaximumMB = 0;
    QString vmPath; // optional; default: the host's VirtualMachinePath
    QString switchName;
    int vlanId = 0; // 0: untagged
    bool start = true;
    QString os = QStringLiteral("windows"); // windows | linux
    QString hostName;                       // default: the VM name
    QList<QPair<QString, QString>> data;    // published as AetherV.Data.<key>
    int waitTimeoutSeconds = 0;             // 0: the agent's default (1800)
    int waitPollSeconds = 0;                // 0: the agent's default (5)
};

// A problem with a job: the field (a JSON path below the job, e.g. "vm.memory.startupMB", or
// "" for the whole document) and the reason, in the agent's words.
struct JobIssue
{
    QString field;
    QString reason;
    QString toString() const { return field.isEmpty() ? reason : field + u": " + reason; }
    friend bool operator==(const JobIssue &, const JobIssue &) = default;
};

// The job document (schemaVersion 1) for the fields.
QJsonObject buildJob(const ProvisioningFields &fields);

// "av-" and 12 hex digits: a jobId the schema accepts.
QString newJobId();

// Parses job text (a file or stdin); InvalidInput with the parser's reason when it is not a
// JSON object.
Result<QJsonObject> parseJob(const QByteArray &text);

// Every problem of a job: the schema (agent/schema/job.schema.json, compiled in) first, then the
// rules a schema cannot express, as Invoke-ProvisioningJob.ps1 checks them. Empty when valid.
QList<JobIssue> validateJob(const QJsonObject &job);

// The compiled-in job schema (":/schema/job.schema.json").
const JsonSchemaSubset &jobSchema();

// The job with a jobId (generated when absent).
QJsonObject withJobId(QJsonObject job);

// One line per issue, for messages and the CLI.
QString describeIssues(const QList<JobIssue> &issues);

} // namespace aetherv::provision
