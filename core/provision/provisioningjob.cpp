#include "core/provision/provisioningjob.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

namespace aetherv::provision {

namespace {

JobIssue fromSchemaIssue(const SchemaIssue &i)
{
    QString field = i.path;
    if (field.startsWith(u"$."))
        field = field.mid(2);
    else if (field == u"$")
        field.clear();
    return {field, i.message};
}

QString memberString(const QJsonObject &o, const QString &key)
{
    return o.value(key).toString();
}

// The rules after the schema (Test-ProvisioningJob in AetherV.Agent.Job.ps1).
QList<JobIssue> crossFieldIssues(const QJsonObject &job)
{
    QList<JobIssue> issues;
    const QJsonObject memory = job.value(u"vm").toObject().value(u"memory").toObject();
    const bool dynamic = memory.value(u"dynamic").toBool(false);
    const qint64 startup = memory.value(u"startupMB").toInteger();
    const bool hasMin = memory.contains(u"minimumMB");
    const bool hasMax = memory.contains(u"maximumMB");
    if (dynamic) {
        if (hasMin && memory.value(u"minimumMB").toInteger() > startup)
            issues.append({QStringLiteral("vm.memory"),
                           QStringLiteral("minimumMB must not exceed startupMB")});
        if (hasMax && memory.value(u"maximumMB").toInteger() < startup)
            issues.append({QStringLiteral("vm.memory"),
                           QStringLiteral("maximumMB must not be below startupMB")});
    } else if (hasMin || hasMax) {
        issues.append({QStringLiteral("vm.memory"),
                       QStringLiteral("minimumMB/maximumMB apply only with \"dynamic\": true")});
    }
    const QJsonObject guest = job.value(u"guest").toObject();
    const QString hostName = memberString(guest, QStringLiteral("hostName"));
    if (guest.value(u"os").toString() == u"windows") {
        if (hostName.size() > 15)
            issues.append({QStringLiteral("guest.hostName"),
                           QStringLiteral("Windows host names have at most 15 characters")});
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        if (digits.match(hostName).hasMatch())
            issues.append({QStringLiteral("guest.hostName"),
                           QStringLiteral("Windows host names cannot be all digits")});
        if (guest.contains(u"adminUser") || guest.contains(u"sshAuthorizedKeys"))
            issues.append({QStringLiteral("guest"),
                           QStringLiteral("adminUser and sshAuthorizedKeys apply to Linux guests "
                                          "only")});
    } else {
        if (guest.contains(u"domain"))
            issues.append({QStringLiteral("guest.domain"),
                           QStringLiteral("domain join applies to Windows guests only")});
        if (guest.contains(u"sshAuthorizedKeys") && !guest.contains(u"adminUser"))
            issues.append(
                {QStringLiteral("guest.sshAuthorizedKeys"), QStringLiteral("needs adminUser")});
    }
    const QJsonObject network = guest.value(u"network").toObject();
    if (network.contains(u"gateway")) {
        const QHostAddress address(memberString(network, QStringLiteral("ipv4Address")));
        const QHostAddress gateway(memberString(network, QStringLiteral("gateway")));
        const int prefix = int(network.value(u"prefixLength").toInteger());
        if (!gateway.isInSubnet(address, prefix))
            issues.append({QStringLiteral("guest.network.gateway"),
                           QStringLiteral("not inside ipv4Address/prefixLength")});
    }
    return issues;
}

} // namespace

const JsonSchemaSubset &jobSchema()
{
    static const JsonSchemaSubset schema = [] {
        QFile f(QStringLiteral(":/schema/job.schema.json"));
        const QByteArray text = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        auto parsed = JsonSchemaSubset::fromJson(text);
        // The schema is part of this program; a build without it rejects every job.
        return parsed ? *parsed
                      : *JsonSchemaSubset::fromJson(
                          R"({"description":"job schema missing from this build","not":{}})");
    }();
    return schema;
}

QString newJobId()
{
    return u"av-" + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

QJsonObject withJobId(QJsonObject job)
{
    if (!job.contains(u"jobId"))
        job.insert(QStringLiteral("jobId"), newJobId());
    return job;
}

QJsonObject buildJob(const ProvisioningFields &f)
{
    QJsonObject memory{{QStringLiteral("startupMB"), f.memoryStartupMB}};
    if (f.dynamicMemory) {
        memory.insert(QStringLiteral("dynamic"), true);
        if (f.memoryMinimumMB > 0)
            memory.insert(QStringLiteral("minimumMB"), f.memoryMinimumMB);
        if (f.memoryMaximumMB > 0)
            memory.insert(QStringLiteral("maximumMB"), f.memoryMaximumMB);
    }
    QJsonObject network{{QStringLiteral("switchName"), f.switchName}};
    if (f.vlanId > 0)
        network.insert(QStringLiteral("vlanId"), f.vlanId);
    QJsonObject vm{{QStringLiteral("name"), f.vmName},
                   {QStringLiteral("generation"), f.generation},
                   {QStringLiteral("processorCount"), f.processorCount},
                   {QStringLiteral("memory"), memory},
                   {QStringLiteral("network"), network},
                   {QStringLiteral("start"), f.start}};
    if (!f.vmPath.trimmed().isEmpty())
        vm.insert(QStringLiteral("path"), f.vmPath.trimmed());
    QJsonObject image{{QStringLiteral("name"), f.imageName.trimmed()}};
    if (!f.imageDirectory.trimmed().isEmpty())
        image.insert(QStringLiteral("directory"), f.imageDirectory.trimmed());
    if (!f.imageSha256.trimmed().isEmpty())
        image.insert(QStringLiteral("sha256"), f.imageSha256.trimmed());
    QJsonObject guest{{QStringLiteral("os"), f.os},
                      {QStringLiteral("hostName"),
                       f.hostName.trimmed().isEmpty() ? f.vmName : f.hostName.trimmed()}};
    if (!f.data.isEmpty()) {
        QJsonObject data;
        for (const auto &[key, value] : f.data)
            data.insert(key, value);
        guest.insert(QStringLiteral("data"), data);
    }
    QJsonObject job{{QStringLiteral("schemaVersion"), 1},
                    {QStringLiteral("jobId"), f.jobId.isEmpty() ? newJobId() : f.jobId},
                    {QStringLiteral("vm"), vm},
                    {QStringLiteral("image"), image},
                    {QStringLiteral("guest"), guest}};
    if (f.waitTimeoutSeconds > 0 || f.waitPollSeconds > 0) {
        QJsonObject wait;
        if (f.waitTimeoutSeconds > 0)
            wait.insert(QStringLiteral("timeoutSeconds"), f.waitTimeoutSeconds);
        if (f.waitPollSeconds > 0)
            wait.insert(QStringLiteral("pollIntervalSeconds"), f.waitPollSeconds);
        job.insert(QStringLiteral("wait"), wait);
    }
    return job;
}

Result<QJsonObject> parseJob(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("the job is not valid JSON: %1 at offset %2")
                        .arg(error.errorString())
                        .arg(error.offset));
    if (!doc.isObject())
        return fail(
            ErrorCode::InvalidInput,
            QStringLiteral("the job must be a JSON object (see agent/schema/job.schema.json)"));
    return doc.object();
}

QList<JobIssue> validateJob(const QJsonObject &job)
{
    QList<JobIssue> issues;
    for (const SchemaIssue &i : jobSchema().validate(job))
        issues.append(fromSchemaIssue(i));
    if (!issues.isEmpty())
        return issues;
    return crossFieldIssues(job);
}

QString describeIssues(const QList<JobIssue> &issues)
{
    QStringList lines;
    for (const JobIssue &i : issues)
        lines << i.toString();
    return lines.join(u'\n');
}

} // namespace aetherv::provision
