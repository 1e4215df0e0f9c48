#include "core/config/validation.h"
#include "ui/profiles/profileeditor.h"
#include "ui/profiles/profilesdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace aetherv;
using namespace aetherv::ui;
using config::Profile;

class tst_ProfilesDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editorRoundTripsEverySetting();
    void invalidInstallPathIsShownInline();
    void invalidUrlIsShownInline();
    void duplicateInstallDirsWarnAcrossProfiles();
    void pastedCsvBecomesTheHostList();
    void createDuplicateDelete();
    void importAndExportJson();
};

static Profile richProfile()
{
    Profile p = Profile::create(u"Production"_qs, config::EnvironmentTag::Production);
    p.hosts = {{u"hv01.corp.example"_qs, 0}, {u"2001:db8::7"_qs, 5986}};
    p.installDirectory = u"D:\\Aether-V (Prod)"_qs;
    p.downloadBaseUrl = u"https://console.corp.example:8443/agent"_qs;
    p.bundleDirectory = u"/srv/aetherv/agent"_qs;
    p.downloadMaxAttempts = 7;
    p.downloadRetryIntervalSeconds = 11;
    p.downloadParallelism = 3;
    p.winrm.transport = config::WinRmTransport::Https;
    p.winrm.port = 15986;
    p.winrm.auth = config::WinRmAuth::Kerberos;
    p.winrm.userName = u"svc@CORP.EXAMPLE"_qs;
    p.winrm.spnService = u"WSMAN"_qs;
    p.winrm.spnTargetOverride = u"hv-cluster.corp.example"_qs;
    p.winrm.kerberosDelegation = true;
    p.winrm.caFile = u"/etc/ssl/corp-ca.pem"_qs;
    p.winrm.operationTimeoutSeconds = 33;
    p.winrm.connectTimeoutSeconds = 9;
    p.winrm.commandDeadlineSeconds = 1200;
    p.artifactServer.listenAddress = u"10.0.0.5"_qs;
    p.artifactServer.port = 8443;
    p.artifactServer.certificateFile = u"/etc/aetherv/cert.pem"_qs;
    p.artifactServer.privateKeyFile = u"/etc/aetherv/key.pem"_qs;
    p.artifactServer.maxConnections = 256;
    p.artifactServer.idleTimeoutSeconds = 45;
    p.taskRunner.deploymentConcurrency = 12;
    p.taskRunner.inventoryConcurrency = 20;
    p.taskRunner.diagnosticsConcurrency = 2;
    p.taskRunner.deployDeadlineSeconds = 1800;
    p.taskRunner.checkDeadlineSeconds = 60;
    p.ingressGate.timeoutSeconds = 240;
    p.ingressGate.intervalSeconds = 5;
    p.startupDeployment = false;
    p.verifiedCacheTtlSeconds = 600;
    p.lockExpirySeconds = 3600;
    p.failureBackoffBaseSeconds = 60;
    p.failureBackoffMaxSeconds = 1800;
    return p;
}

void tst_ProfilesDialog::editorRoundTripsEverySetting()
{
    ProfileEditor editor;
    const Profile p = richProfile();
    editor.setProfile(p);
    QCOMPARE(editor.profile(), p);
    // Every field Profile::validate() can name has a widget.
    for (const char *f :
         {"name", "installDirectory", "downloadBaseUrl", "bundleDirectory", "downloadMaxAttempts",
          "winrm.port", "winrm.userName", "artifactServer.port", "taskRunner.deploymentConcurrency",
          "ingressGate.intervalSeconds", "failureBackoffMaxSeconds", "hosts"})
        QVERIFY2(editor.fieldWidget(QLatin1StringView(f)), f);
    // Editing a field changes exactly that setting.
    auto *attempts = qobject_cast<QSpinBox *>(editor.fieldWidget(u"downloadMaxAttempts"_qs));
    attempts->setValue(9);
    Profile expected = p;
    expected.downloadMaxAttempts = 9;
    QCOMPARE(editor.profile(), expected);
}

void tst_ProfilesDialog::invalidInstallPathIsShownInline()
{
    Profile p = richProfile();
    ProfilesDialog dlg({p}, p.id);
    auto *install = qobject_cast<QLineEdit *>(dlg.editor()->fieldWidget(u"installDirectory"_qs));
    install->selectAll();
    QTest::keyClicks(install, u"relative\\path"_qs);
    QVERIFY(dlg.hasErrors());
    const QString inline_ = dlg.editor()->issueText(u"installDirectory"_qs);
    QVERIFY2(!inline_.isEmpty(), "no inline message under the install directory");
    QVERIFY(!dlg.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    install->selectAll();
    QTest::keyClicks(install, u"C:\\Program Files\\Aether-V"_qs);
    QVERIFY(dlg.editor()->issueText(u"installDirectory"_qs).isEmpty());
    QVERIFY(dlg.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
}

void tst_ProfilesDialog::invalidUrlIsShownInline()
{
    Profile p = richProfile();
    ProfilesDialog dlg({p}, p.id);
    auto *url = qobject_cast<QLineEdit *>(dlg.editor()->fieldWidget(u"downloadBaseUrl"_qs));
    url->selectAll();
    QTest::keyClicks(url, u"ftp://x"_qs);
    QVERIFY(dlg.hasErrors());
    QVERIFY(dlg.editor()->issueText(u"downloadBaseUrl"_qs).contains(u"ftp://x"_qs));
}

void tst_ProfilesDialog::duplicateInstallDirsWarnAcrossProfiles()
{
    Profile a = richProfile();
    Profile b = Profile::create(u"Test"_qs, config::EnvironmentTag::Test);
    b.hosts = {{u"HV01.corp.example"_qs, 0}};
    b.installDirectory = u"d:\\aether-v (prod)\\"_qs; // same directory, other spelling
    ProfilesDialog dlg({a, b}, b.id);
    QStringList all;
    for (const config::ValidationIssue &i : dlg.issues())
        all << i.field + u": " + i.message;
    QVERIFY2(!dlg.hasErrors(), qPrintable(all.join(u'\n')));
    bool warned = false;
    for (const config::ValidationIssue &i : dlg.issues())
        warned = warned || (!i.isError() && i.message.contains(u"Production"_qs));
    QVERIFY(warned);
    QVERIFY2(!dlg.issuesText().isEmpty()
                 || !dlg.editor()->issueText(u"installDirectory"_qs).isEmpty(),
             "the warning must be visible");
}

void tst_ProfilesDialog::pastedCsvBecomesTheHostList()
{
    Profile p = richProfile();
    ProfilesDialog dlg({p}, p.id);
    dlg.editor()->setHostListText(u"host,port\nhv10,5985\nhv11,\n\"hv12\",5986\nbad_name!,1"_qs);
    QVERIFY(dlg.hasErrors());
    QVERIFY(dlg.editor()->issueText(u"hosts"_qs).contains(u"line 5"_qs));
    dlg.editor()->setHostListText(u"host,port\nhv10,5985\nhv11,\n\"hv12\",5986"_qs);
    QVERIFY(!dlg.hasErrors());
    const Profile edited = dlg.profiles().first();
    QCOMPARE(edited.hosts.size(), 3);
    QCOMPARE(edited.hosts.at(0), (config::HostEntry{u"hv10"_qs, 5985}));
    QCOMPARE(edited.hosts.at(2).port, 5986);
    QVERIFY(dlg.findChild<QLabel *>(u"hostSummary"_qs)->text().contains(u"3"_qs));
}

void tst_ProfilesDialog::createDuplicateDelete()
{
    Profile p = richProfile();
    ProfilesDialog dlg({p}, p.id);
    auto *list = dlg.findChild<QListWidget *>(u"profileList"_qs);
    QTest::mouseClick(dlg.findChild<QPushButton *>(u"duplicateProfile"_qs), Qt::LeftButton);
    QCOMPARE(dlg.profiles().size(), 2);
    QVERIFY(dlg.profiles().at(1).id != p.id);
    QCOMPARE(dlg.profiles().at(1).installDirectory, p.installDirectory);
    QCOMPARE(list->count(), 2);
    QTest::mouseClick(dlg.findChild<QPushButton *>(u"newProfile"_qs), Qt::LeftButton);
    QCOMPARE(dlg.profiles().size(), 3);
    QCOMPARE(dlg.currentIndex(), 2);
    auto *name = qobject_cast<QLineEdit *>(dlg.editor()->fieldWidget(u"name"_qs));
    name->selectAll();
    QTest::keyClicks(name, u"Sandbox"_qs);
    QCOMPARE(dlg.profiles().at(2).name, u"Sandbox"_qs);
    QVERIFY(list->item(2)->text().contains(u"Sandbox"_qs));
    dlg.selectProfile(1);
    QTest::mouseClick(dlg.findChild<QPushButton *>(u"deleteProfile"_qs), Qt::LeftButton);
    QCOMPARE(dlg.profiles().size(), 2);
    QCOMPARE(dlg.profiles().at(0).id, p.id);
    QCOMPARE(dlg.profiles().at(1).name, u"Sandbox"_qs);
}

void tst_ProfilesDialog::importAndExportJson()
{
    Profile p = richProfile();
    ProfilesDialog dlg({p}, p.id);
    const QByteArray exported = dlg.exportJson(false);
    const Result<QList<Profile>> back = config::importProfiles(exported);
    QVERIFY(back);
    QCOMPARE(back->size(), 1);
    QCOMPARE(back->first(), p);
    QVERIFY(!exported.contains("password"));

    Profile other = Profile::create(u"Imported"_qs, config::EnvironmentTag::Development);
    Profile changed = p;
    changed.installDirectory = u"E:\\Aether-V"_qs;
    QVERIFY(dlg.importJson(config::exportProfiles({other, changed})).isEmpty());
    QCOMPARE(dlg.profiles().size(), 2); // `changed` replaced p (same id)
    QCOMPARE(dlg.profiles().at(0).installDirectory, u"E:\\Aether-V"_qs);
    QVERIFY(!dlg.importJson("{ not json").isEmpty());
    QCOMPARE(dlg.profiles().size(), 2);
}

QTEST_MAIN(tst_ProfilesDialog)
#include "tst_profilesdialog.moc"
