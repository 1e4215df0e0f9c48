// The remote scripts compiled into aetherv_core are the ASSEMBLED ones (the shared helpers spliced
// in at build time by cmake/AssembleRemoteScript.cmake), under :/powershell/<name>.ps1, and no
// include file or marker reaches the resource.
#include <QDir>
#include <QFile>
#include <QTest>

namespace {

const QString kResourceDir = QStringLiteral(":/powershell");
const QByteArray kMarker = QByteArrayLiteral("#AETHERV-INCLUDE");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QStringList scriptNames(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.ps1")}, QDir::Files, QDir::Name);
}

} // namespace

class tst_RemoteScriptResources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void resourceListsEveryScript();
    void resourceHoldsTheAssembledText_data();
    void resourceHoldsTheAssembledText();
    void includeIsNotAResource();

private:
    QString m_sourceDir;
    QString m_assembledDir;
};

void tst_RemoteScriptResources::initTestCase()
{
    m_sourceDir
        = qEnvironmentVariable("AETHERV_SOURCE_DIR") + QStringLiteral("/resources/powershell");
    m_assembledDir = qEnvironmentVariable("AETHERV_REMOTE_SCRIPTS_DIR");
    QVERIFY2(QDir(m_sourceDir).exists(), qPrintable(m_sourceDir));
    QVERIFY2(
        !m_assembledDir.isEmpty() && QDir(m_assembledDir).exists(),
        "AETHERV_REMOTE_SCRIPTS_DIR must name the assembled scripts folder (run through ctest)");
}

void tst_RemoteScriptResources::resourceListsEveryScript()
{
    const QStringList sources = scriptNames(m_sourceDir);
    QVERIFY(sources.size() >= 3); // deployment's three, provisioning's, and what comes later
    QCOMPARE(scriptNames(kResourceDir), sources);
    QVERIFY(QFile::exists(QStringLiteral(":/powershell/Read-AgentState.ps1")));
    QVERIFY(QFile::exists(QStringLiteral(":/powershell/Deploy-AgentBundle.ps1")));
    QVERIFY(QFile::exists(QStringLiteral(":/powershell/Test-AgentInstall.ps1")));
    QVERIFY(QFile::exists(QStringLiteral(":/powershell/Invoke-DeployedProvisioningJob.ps1")));
}

void tst_RemoteScriptResources::resourceHoldsTheAssembledText_data()
{
    QTest::addColumn<QString>("name");
    const QStringList names = scriptNames(m_sourceDir);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void tst_RemoteScriptResources::resourceHoldsTheAssembledText()
{
    QFETCH(QString, name);
    const QByteArray resource = readAll(kResourceDir + u'/' + name);
    const QByteArray assembled = readAll(m_assembledDir + u'/' + name);
    const QByteArray source = readAll(m_sourceDir + u'/' + name);
    const QByteArray include = readAll(m_sourceDir + QStringLiteral("/include/AvRemoteCommon.ps1"));
    QVERIFY(!source.isEmpty());
    QVERIFY(!include.isEmpty());
    QCOMPARE(resource, assembled);
    // The source carries the marker; the shipped text carries the helpers instead.
    QVERIFY(source.contains(kMarker));
    QVERIFY(!resource.contains(kMarker));
    QVERIFY(resource.contains(include.trimmed()));
    QVERIFY(resource.size() > source.size());
    QVERIFY(resource.startsWith(source.left(source.indexOf(kMarker))));
}

void tst_RemoteScriptResources::includeIsNotAResource()
{
    QVERIFY(!QFile::exists(QStringLiteral(":/powershell/AvRemoteCommon.ps1")));
    QVERIFY(!QFile::exists(QStringLiteral(":/powershell/include")));
    QVERIFY(!QFile::exists(QStringLiteral(":/powershell/include/AvRemoteCommon.ps1")));
}

QTEST_GUILESS_MAIN(tst_RemoteScriptResources)
#include "tst_remotescriptresources.moc"
