#include "core/provision/provisioningjob.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace aetherv;
using namespace aetherv::provision;

// The console's job builder and validation: what the dialog and the CLI produce is valid against
// agent/schema/job.schema.json, and an invalid job is refused with the field and the reason the
// agent itself would give.
class tst_ProvisioningJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtJobIsValid();
    void optionalFieldsAreLeftOut();
    void agentExampleIsValid();
    void invalidJobs_data();
    void invalidJobs();
    void parseJobRejectsText();
    void jobIdAddedOnce();
    void unsupportedSchemaKeywordIsReported();

private:
    static QJsonObject validJob();
};

QJsonObject tst_ProvisioningJob::validJob()
{
    ProvisioningFields f;
    f.jobId = u"job-1"_qs;
    f.vmName = u"web-01"_qs;
    f.imageName = u"win2022.vhdx"_qs;
    f.switchName = u"LAN"_qs;
    f.vlanId = 120;
    f.processorCount = 4;
    f.memoryStartupMB = 4096;
    f.data = {{u"role"_qs, u"web"_qs}};
    return buildJob(f);
}

void tst_ProvisioningJob::builtJobIsValid()
{
    const QJsonObject job = validJob();
    QVERIFY2(validateJob(job).isEmpty(), qPrintable(describeIssues(validateJob(job))));
    QCOMPARE(job.value(u"schemaVersion").toInt(), 1);
    QCOMPARE(job.value(u"jobId").toString(), u"job-1"_qs);
    const QJsonObject vm = job.value(u"vm").toObject();
    QCOMPARE(vm.value(u"name").toString(), u"web-01"_qs);
    QCOMPARE(vm.value(u"processorCount").toInt(), 4);
    QCOMPARE(vm.value(u"network").toObject().value(u"vlanId").toInt(), 120);
    QCOMPARE(job.value(u"guest").toObject().value(u"hostName").toString(), u"web-01"_qs);
    QCOMPARE(job.value(u"guest").toObject().value(u"data").toObject().value(u"role").toString(),
             u"web"_qs);
}

void tst_ProvisioningJob::optionalFieldsAreLeftOut()
{
    ProvisioningFields f;
    f.vmName = u"db 02"_qs;
    f.hostName = u"db02"_qs;
    f.imageName = u"ubuntu.vhdx"_qs;
    f.switchName = u"LAN"_qs;
    f.os = u"linux"_qs;
    f.dynamicMemory = true;
    f.memoryStartupMB = 2048;
    f.memoryMinimumMB = 1024;
    f.memoryMaximumMB = 8192;
    const QJsonObject job = buildJob(f);
    QVERIFY2(validateJob(job).isEmpty(), qPrintable(describeIssues(validateJob(job))));
    QVERIFY(job.value(u"jobId").toString().startsWith(u"av-"));
    QVERIFY(!job.value(u"vm").toObject().value(u"network").toObject().contains(u"vlanId"));
    QVERIFY(!job.value(u"vm").toObject().contains(u"path"));
    QVERIFY(!job.value(u"image").toObject().contains(u"directory"));
    QVERIFY(!job.contains(u"wait"));
    QCOMPARE(job.value(u"vm").toObject().value(u"memory").toObject().value(u"maximumMB").toInt(),
             8192);
}

void tst_ProvisioningJob::agentExampleIsValid()
{
    QFile f(qEnvironmentVariable("AETHERV_SOURCE_DIR") + u"/agent/schema/job.example.json"_qs);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    const auto job = parseJob(f.readAll());
    QVERIFY(job);
    QVERIFY2(validateJob(*job).isEmpty(), qPrintable(describeIssues(validateJob(*job))));
}

void tst_ProvisioningJob::invalidJobs_data()
{
    QTest::addColumn<QString>("path");     // "vm.processorCount" or "vm/memory" style edits
    QTest::addColumn<QJsonValue>("value"); // Undefined removes the member
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reason");

    QTest::newRow("no VM name") << u"vm.name"_qs << QJsonValue(QJsonValue::Undefined) << u"vm"_qs
                                << u"missing required property 'name'"_qs;
    QTest::newRow("zero CPUs") << u"vm.processorCount"_qs << QJsonValue(0)
                               << u"vm.processorCount"_qs << u"less than 1"_qs;
    QTest::newRow("CPUs as text") << u"vm.processorCount"_qs << QJsonValue(u"4"_qs)
                                  << u"vm.processorCount"_qs << u"expected integer, got string"_qs;
    QTest::newRow("generation 3") << u"vm.generation"_qs << QJsonValue(3) << u"vm.generation"_qs
                                  << u"must be one of 1, 2"_qs;
    QTest::newRow("tiny memory") << u"vm.memory.startupMB"_qs << QJsonValue(16)
                                 << u"vm.memory.startupMB"_qs << u"less than 32"_qs;
    QTest::newRow("VLAN 4095") << u"vm.network.vlanId"_qs << QJsonValue(4095)
                               << u"vm.network.vlanId"_qs << u"greater than 4094"_qs;
    QTest::newRow("image with folder")
        << u"image.name"_qs << QJsonValue(u"..\\evil.vhdx"_qs) << u"image.name"_qs
        << u"does not match ^[A-Za-z0-9][A-Za-z0-9 ._-]{0,150}\\.[Vv][Hh][Dd][Xx]$"_qs;
    QTest::newRow("name ends in newline")
        << u"vm.name"_qs << QJsonValue(u"web-01\n"_qs) << u"vm.name"_qs
        << u"does not match ^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$"_qs;
    QTest::newRow("unknown OS") << u"guest.os"_qs << QJsonValue(u"bsd"_qs) << u"guest.os"_qs
                                << u"must be one of \"windows\", \"linux\""_qs;
    QTest::newRow("unknown member") << u"vm.colour"_qs << QJsonValue(u"blue"_qs) << u"vm"_qs
                                    << u"property 'colour' is not allowed"_qs;
    QTest::newRow("long Windows name")
        << u"guest.hostName"_qs << QJsonValue(u"web-01-production"_qs) << u"guest.hostName"_qs
        << u"Windows host names have at most 15 characters"_qs;
    QTest::newRow("numeric Windows name")
        << u"guest.hostName"_qs << QJsonValue(u"12345"_qs) << u"guest.hostName"_qs
        << u"Windows host names cannot be all digits"_qs;
    QTest::newRow("limits without dynamic")
        << u"vm.memory.minimumMB"_qs << QJsonValue(1024) << u"vm.memory"_qs
        << u"minimumMB/maximumMB apply only with \"dynamic\": true"_qs;
    QTest::newRow("data key with space")
        << u"guest.data.bad key"_qs << QJsonValue(u"x"_qs) << u"guest.data.bad key (name)"_qs
        << u"does not match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"_qs;
    QTest::newRow("admin user on Windows")
        << u"guest.adminUser"_qs << QJsonValue(u"ops"_qs) << u"guest"_qs
        << u"adminUser and sshAuthorizedKeys apply to Linux guests only"_qs;
}

static QJsonObject edited(QJsonObject o, QStringList keys, const QJsonValue &value)
{
    const QString key = keys.takeFirst();
    if (keys.isEmpty()) {
        if (value.isUndefined())
            o.remove(key);
        else
            o.insert(key, value);
        return o;
    }
    o.insert(key, edited(o.value(key).toObject(), keys, value));
    return o;
}

void tst_ProvisioningJob::invalidJobs()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, field);
    QFETCH(QString, reason);
    const QStringList keys = path.startsWith(u"guest.data.")
                                 ? QStringList{u"guest"_qs, u"data"_qs, path.mid(11)}
                                 : path.split(u'.');
    const QJsonObject job = edited(validJob(), keys, value);
    const QList<JobIssue> issues = validateJob(job);
    QVERIFY2(issues.contains(JobIssue{field, reason}), qPrintable(describeIssues(issues)));
}

void tst_ProvisioningJob::parseJobRejectsText()
{
    QCOMPARE(parseJob("{\"schemaVersion\": 1,").error().code, ErrorCode::InvalidInput);
    QCOMPARE(parseJob("[1, 2]").error().code, ErrorCode::InvalidInput);
    QVERIFY(parseJob("{}"));
    const QList<JobIssue> issues = validateJob(*parseJob("{}"));
    QVERIFY(issues.contains(JobIssue{QString(), u"missing required property 'vm'"_qs}));
}

void tst_ProvisioningJob::jobIdAddedOnce()
{
    QJsonObject job = validJob();
    job.remove(u"jobId"_qs);
    const QJsonObject once = withJobId(job);
    QVERIFY(once.value(u"jobId").toString().startsWith(u"av-"));
    QCOMPARE(withJobId(once), once);
    QVERIFY(validateJob(once).isEmpty());
}

void tst_ProvisioningJob::unsupportedSchemaKeywordIsReported()
{
    const auto schema = JsonSchemaSubset::fromJson(R"({"type":"object","oneOf":[]})");
    QVERIFY(schema);
    const QList<SchemaIssue> issues = schema->validate(QJsonObject());
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().message, u"schema keyword 'oneOf' is not supported"_qs);
}

QTEST_GUILESS_MAIN(tst_ProvisioningJob)
#include "tst_provisioningjob.moc"
