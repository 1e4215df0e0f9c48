// Hostile operator and bundle input against the real CLI and aetherv-hostsim: host names with
// spaces, quotes, unicode, brackets, zone ids and 300 characters are refused by profile validation
// with the entry and the reason; an IPv6 literal is connected to as [addr]:port; bundle file names
// with spaces, quotes, '#', '%' and unicode arrive intact (percent-encoded downloads); a 10 MB
// version file is refused with its size; a published folder whose files do not match its
// manifest.json is refused by the hosts, which keep their installed release.
#include "clirun.h"
#include "staticfileserver.h"

#include "support/hostsimprocess.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace aetherv;
using namespace aetherv::hardeningtest;

class tst_HostileInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void hostileHostNamesAreRefused_data();
    void hostileHostNamesAreRefused();
    void unicodeNameIsLookedUp();
    void ipv6LiteralIsBracketed();
    void artifactNamesWithSpacesAndUnicodeDeploy();
    void hugeVersionFileIsRefused();
    void publishedFolderThatLiesIsRefused();

private:
    QJsonObject profile(const QJsonArray &hosts, const QString &bundleDir,
                        const QString &downloadBaseUrl = {}) const;
    QJsonArray simHost(const QString &name) const;
    CliResult cli(const QStringList &arguments, const QJsonObject &profile, int timeoutMs = 180000);
    QString copyBundle(const QString &name);
    QString installed(const QString &host, const QString &file) const;

    QTemporaryDir m_dir;
    testsupport::HostSimProcess m_sim;
    int m_runs = 0;
};

void tst_HostileInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo::exists(cliExecutable()));
    QVERIFY(writeFile(m_dir.filePath(u"users"_qs), "LAB:operator:Hostile-Passw0rd\n"));
    QVERIFY(writePasswordFile(m_dir.filePath(u"password"_qs), "Hostile-Passw0rd"));
    QVERIFY2(m_sim.start({u"--host-names"_qs, u"HV01,HV02,HV03"_qs, u"--root"_qs,
                          m_dir.filePath(u"root"_qs), u"--users"_qs, m_dir.filePath(u"users"_qs)}),
             qPrintable(m_sim.errorString()));
    for (const QString &h : {u"HV02"_qs, u"HV03"_qs})
        QVERIFY(writeFile(installed(h, u"version"_qs), "0.0.1\r\n"));
}

void tst_HostileInput::cleanupTestCase()
{
    m_sim.stop();
}

QString tst_HostileInput::installed(const QString &host, const QString &file) const
{
    return m_sim.host(host).driveRoot + u"/Program Files/Aether-V/"_qs + file;
}

QJsonArray tst_HostileInput::simHost(const QString &name) const
{
    return {
        QJsonObject{{u"address"_qs, u"127.0.0.1"_qs}, {u"port"_qs, m_sim.host(name).url.port()}}};
}

QJsonObject tst_HostileInput::profile(const QJsonArray &hosts, const QString &bundleDir,
                                      const QString &downloadBaseUrl) const
{
    QJsonObject p{
        {u"schemaVersion"_qs, 2},
        {u"id"_qs, u"hostile-input"_qs},
        {u"name"_qs, u"Hostile input"_qs},
        {u"environment"_qs, u"test"_qs},
        {u"hosts"_qs, hosts},
        {u"bundleDirectory"_qs, bundleDir},
        {u"downloadMaxAttempts"_qs, 2},
        {u"downloadRetryIntervalSeconds"_qs, 1},
        {u"winrm"_qs, QJsonObject{{u"transport"_qs, u"http"_qs},
                                  {u"auth"_qs, u"negotiate"_qs},
                                  {u"userName"_qs, u"LAB\\operator"_qs},
                                  {u"connectTimeoutSeconds"_qs, 5}}},
        {u"artifactServer"_qs,
         QJsonObject{{u"listenAddress"_qs, u"127.0.0.1"_qs}, {u"port"_qs, loopbackPort()}}},
        {u"ingressGate"_qs, QJsonObject{{u"timeoutSeconds"_qs, 20}, {u"intervalSeconds"_qs, 1}}},
    };
    if (!downloadBaseUrl.isEmpty())
        p.insert(u"downloadBaseUrl"_qs, downloadBaseUrl);
    return p;
}

CliResult tst_HostileInput::cli(const QStringList &arguments, const QJsonObject &profile,
                                int timeoutMs)
{
    const QString file = m_dir.filePath(QStringLiteral("profile%1.json").arg(++m_runs));
    if (!writeJson(file, profile))
        return {};
    return runCli(arguments + QStringList{u"--profile-file"_qs, file},
                  cliEnvironment(m_dir.filePath(u"home"_qs), m_dir.filePath(u"password"_qs)),
                  timeoutMs);
}

// A copy of the built agent bundle that a test may change.
QString tst_HostileInput::copyBundle(const QString &name)
{
    const QString target = m_dir.filePath(name);
    QDir().mkpath(target);
    const QDir source(buildDir() + u"/agent-bundle"_qs);
    for (const QString &f : source.entryList(QDir::Files))
        QFile::copy(source.filePath(f), target + u'/' + f);
    return target;
}

void tst_HostileInput::hostileHostNamesAreRefused_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("reason");
    QTest::newRow("space") << u"hv 01.lab.example"_qs << u"'space' may not appear"_qs;
    QTest::newRow("double quote") << u"hv\"01"_qs << u"'\"' may not appear"_qs;
    QTest::newRow("single quote") << u"hv'01;Remove-Item"_qs << u"''' may not appear"_qs;
    QTest::newRow("unicode no-break space")
        << u"hv\u00a001"_qs << u"the invisible character U+00A0"_qs;
    // Shown as "hv01" by any table, but another name: refused, and named by its code point.
    QTest::newRow("unicode zero-width space") << u"hv\u200b01"_qs
                                              << u"'hv<U+200B>01' is not a valid host address: it "
                                                 u"contains the invisible character U+200B"_qs;
    QTest::newRow("unicode bidi override")
        << u"hv\u202e10.lab"_qs << u"the invisible character U+202E"_qs;
    QTest::newRow("bracketed IPv6") << u"[::1]"_qs << u"write an IPv6 address without brackets"_qs;
    QTest::newRow("IPv6 zone id") << u"fe80::1%eth0"_qs << u"zone ids"_qs;
    QTest::newRow("300 characters")
        << QString(300, u'a') << u"it is 300 characters long; DNS names have at most 253"_qs;
}

void tst_HostileInput::hostileHostNamesAreRefused()
{
    QFETCH(QString, address);
    QFETCH(QString, reason);
    const QJsonArray hosts{QJsonObject{{u"address"_qs, address}, {u"port"_qs, 5985}}};
    const CliResult r = cli({u"check"_qs}, profile(hosts, buildDir() + u"/agent-bundle"_qs), 30000);
    QVERIFY2(r.finished, qPrintable(r.text()));
    QCOMPARE(r.exitCode, 2); // configuration error, nothing contacted
    QVERIFY2(r.text().contains(u"hosts[0]"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(reason), qPrintable(r.text()));
    // No invisible character reaches the operator's terminal.
    for (const QChar c : r.text())
        QVERIFY2(c.category() != QChar::Other_Format, qPrintable(r.text()));
}

void tst_HostileInput::unicodeNameIsLookedUp()
{
    // An international name is valid (IDNA); it is looked up as such and the error names it.
    const QJsonArray hosts{
        QJsonObject{{u"address"_qs, u"hv-m\u00fcller-\u2603.invalid"_qs}, {u"port"_qs, 5985}}};
    const CliResult r = cli({u"check"_qs}, profile(hosts, buildDir() + u"/agent-bundle"_qs), 60000);
    QVERIFY2(r.finished && r.exitCode == 3, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"cannot resolve hv-m\u00fcller-\u2603.invalid"_qs),
             qPrintable(r.text()));
}

void tst_HostileInput::ipv6LiteralIsBracketed()
{
    // A valid IPv6 literal passes validation and is reached as http://[::1]:port/wsman; nothing
    // listens there, so the error names that endpoint.
    const int port = loopbackPort();
    const QJsonArray hosts{QJsonObject{{u"address"_qs, u"::1"_qs}, {u"port"_qs, port}}};
    const CliResult r = cli({u"check"_qs}, profile(hosts, buildDir() + u"/agent-bundle"_qs), 60000);
    QVERIFY2(r.finished && r.exitCode == 3, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"[::1]:"_qs + QString::number(port)), qPrintable(r.text()));
}

void tst_HostileInput::artifactNamesWithSpacesAndUnicodeDeploy()
{
    const QString bundle = copyBundle(u"bundle-names"_qs);
    const QList<QPair<QString, QByteArray>> files{
        {u"Read Me First.ps1"_qs, "Write-Output 'spaces'\r\n"},
        {u"Überprüfung-ñ-日本.ps1"_qs, "Write-Output 'unicode'\r\n"},
        {u"O'Brien #1 100% + more.ps1"_qs, "Write-Output 'quote hash percent plus'\r\n"},
        {u"Disk image ü.iso"_qs, QByteArray(100 * 1024, 'u')},
    };
    for (const auto &[name, content] : files)
        QVERIFY(writeFile(bundle + u'/' + name, content));
    const CliResult r = cli({u"deploy"_qs}, profile(simHost(u"HV01"_qs), bundle));
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.text()));
    for (const auto &[name, content] : files)
        QVERIFY2(readFile(installed(u"HV01"_qs, name)) == content, qPrintable(name));
    const CliResult smoke
        = cli({u"smoke"_qs, u"127.0.0.1:"_qs + QString::number(m_sim.host(u"HV01"_qs).url.port())},
              profile(simHost(u"HV01"_qs), bundle));
    QVERIFY2(smoke.finished && smoke.exitCode == 0, qPrintable(smoke.text()));
}

void tst_HostileInput::hugeVersionFileIsRefused()
{
    const QString bundle = copyBundle(u"bundle-huge-version"_qs);
    QByteArray version = "9.9.9\r\n";
    version += QByteArray(10 * 1024 * 1024 - version.size(), ' ');
    QVERIFY(writeFile(bundle + u"/version"_qs, version));
    const CliResult r = cli({u"deploy"_qs}, profile(simHost(u"HV03"_qs), bundle), 60000);
    QVERIFY2(r.finished, qPrintable(r.text())); // it used to wait forever
    QVERIFY2(r.exitCode == 2, qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"agent deployment disabled"_qs), qPrintable(r.text()));
    QVERIFY2(r.text().contains(u"is 10485760 bytes: it must hold one short line"_qs),
             qPrintable(r.text()));
    QVERIFY2(r.maxRssKiB < 300 * 1024, qPrintable(QString::number(r.maxRssKiB)));
    QCOMPARE(readFile(installed(u"HV03"_qs, u"version"_qs)), QByteArray("0.0.1\r\n"));
}

void tst_HostileInput::publishedFolderThatLiesIsRefused()
{
    // Publish the bundle as a static folder, then make one file shorter than manifest.json says.
    const QString published = m_dir.filePath(u"published"_qs);
    const CliResult pub = runCli(
        {u"publish"_qs, u"--to"_qs, published, u"--bundle"_qs, buildDir() + u"/agent-bundle"_qs},
        cliEnvironment(m_dir.filePath(u"home"_qs), {}), 60000);
    QVERIFY2(pub.finished && pub.exitCode == 0, qPrintable(pub.text()));
    QString iso;
    for (const QString &f : QDir(published).entryList({u"*.iso"_qs}, QDir::Files))
        iso = f;
    QVERIFY(!iso.isEmpty());
    QByteArray isoBytes = readFile(published + u'/' + iso);
    QVERIFY(isoBytes.size() > 4096);
    isoBytes.chop(4096);
    QVERIFY(writeFile(published + u'/' + iso, isoBytes));

    StaticFileServer web(published, u"/agent"_qs);
    QVERIFY(web.listen());
    const QByteArray before = readFile(installed(u"HV02"_qs, u"version"_qs));
    const CliResult r
        = cli({u"deploy"_qs},
              profile(simHost(u"HV02"_qs), buildDir() + u"/agent-bundle"_qs, web.baseUrl()));
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.text()));
    QVERIFY2(web.requestedPaths().contains(u"/agent/"_qs + iso),
             qPrintable(web.requestedPaths().join(u", "_qs)));
    QVERIFY2(r.text().contains(u"hash-mismatch"_qs) || r.text().contains(u"the manifest says"_qs),
             qPrintable(r.text()));
    QVERIFY2(r.text().contains(iso), qPrintable(r.text()));
    // The host keeps its release and gets no partial copy in the install directory.
    QCOMPARE(readFile(installed(u"HV02"_qs, u"version"_qs)), before);
    QVERIFY(!QFileInfo::exists(installed(u"HV02"_qs, iso)));
}

QTEST_GUILESS_MAIN(tst_HostileInput)
#include "tst_hostile_input.moc"
