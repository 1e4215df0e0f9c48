#include "core/artifacts/agentbundle.h"
#include "core/artifacts/artifactserver.h"

#include "serverthread.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace aetherv;
using namespace aetherv::artifacts;

class tst_ArtifactServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fullGetOfOneGiBMatchesSha256();
    void ranges_data();
    void ranges();
    void ifRangeMismatchSendsWholeFile();
    void headSendsNoBodyAndKeepsTheConnection();
    void notModified();
    void manifestServed();
    void badRequests_data();
    void badRequests();
    void parallelDownloads();
    void readyFlips();
    void connectionCap();
    void idleTimeoutClosesConnection();
    void clientAbortLeavesServerHealthy();
    void changedFileIsNotServed();
    void copyPathAndHttps();
    void metricsText();

private:
    QByteArray get(quint16 port, const QByteArray &path, const QByteArray &extra = {});
    QString shell(const QString &command, int timeoutMs = 600000);

    QTemporaryDir m_dir;
    QString m_bundleDir;
    BundleSnapshot m_snap;
    QByteArray m_smallData;
    std::unique_ptr<ServerThread> m_server;
};

static void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

QString tst_ArtifactServer::shell(const QString &command, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral("bash"),
            {QStringLiteral("-o"), QStringLiteral("pipefail"), QStringLiteral("-c"), command});
    if (!p.waitForFinished(timeoutMs) || p.exitCode() != 0) {
        qWarning() << "command failed:" << command << p.readAllStandardError();
        return QStringLiteral("<failed>");
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

void tst_ArtifactServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bundleDir = m_dir.filePath(QStringLiteral("bundle"));
    QVERIFY(QDir().mkpath(m_bundleDir));
    writeFile(m_bundleDir + QStringLiteral("/version"), "3.2.1\n");
    m_smallData.resize(3 * 1024 * 1024 + 17);
    QRandomGenerator gen(42);
    for (char &c : m_smallData)
        c = char(gen.generate() & 0xff);
    writeFile(m_bundleDir + QStringLiteral("/Small Tool.ps1"), m_smallData);
    writeFile(m_bundleDir + QStringLiteral("/Überprüfung.ps1"), "Write-Output 'ü'\n");

    // 1 GiB, sparse, with distinct bytes at the edges and around chunk boundaries so an offset
    // mistake anywhere shows up in the digest.
    const QString big = m_bundleDir + QStringLiteral("/Big.iso");
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(1LL << 30));
    for (qint64 off : {0LL, 262143LL, 262144LL, 8388607LL, 8388608LL, (1LL << 29) + 3,
                       (1LL << 30) - 4096, (1LL << 30) - 1}) {
        QVERIFY(f.seek(off));
        const QByteArray mark = QByteArray::number(off);
        f.write(mark.left(std::min<qint64>(mark.size(), (1LL << 30) - off)));
    }
    f.close();

    auto snap = AgentBundle::scan(m_bundleDir);
    QVERIFY2(snap, qPrintable(snap ? QString() : snap.error().toString()));
    m_snap = *snap;
    ArtifactServerConfig config;
    m_server = std::make_unique<ServerThread>(config);
    QVERIFY2(m_server->port() != 0, qPrintable(m_server->error()));
    m_server->setBundle(m_snap);
}

QByteArray tst_ArtifactServer::get(quint16 port, const QByteArray &path, const QByteArray &extra)
{
    const auto r = exchange(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n", 1);
    return r.isEmpty() ? QByteArray() : r.first().body;
}

void tst_ArtifactServer::fullGetOfOneGiBMatchesSha256()
{
    const QString url = QStringLiteral("http://127.0.0.1:%1/agent/Big.iso").arg(m_server->port());
    const QString file = m_bundleDir + QStringLiteral("/Big.iso");
    const QString expected = shell(QStringLiteral("sha256sum '%1' | cut -c1-64").arg(file));
    const QString got = shell(QStringLiteral("curl -sf '%1' | sha256sum | cut -c1-64").arg(url));
    QCOMPARE(got, expected);
    QCOMPARE(got.toLatin1(), m_snap.find(u"Big.iso")->sha256);
}

void tst_ArtifactServer::ranges_data()
{
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("length");
    const qint64 size = 3 * 1024 * 1024 + 17;
    QTest::newRow("first byte") << QByteArray("bytes=0-0") << 206 << 0LL << 1LL;
    QTest::newRow("last byte") << QByteArray("bytes=-1") << 206 << size - 1 << 1LL;
    QTest::newRow("middle") << QByteArray("bytes=1000-1999") << 206 << 1000LL << 1000LL;
    QTest::newRow("across the end")
        << QByteArray("bytes=3145700-9999999") << 206 << 3145700LL << size - 3145700;
    QTest::newRow("unsatisfiable") << QByteArray("bytes=3145745-") << 416 << 0LL << 0LL;
    QTest::newRow("multi range: whole file") << QByteArray("bytes=0-1,4-5") << 200 << 0LL << size;
}

void tst_ArtifactServer::ranges()
{
    QFETCH(QByteArray, range);
    QFETCH(int, status);
    QFETCH(qint64, first);
    QFETCH(qint64, length);
    const auto r = exchange(
        m_server->port(),
        "GET /agent/Small%20Tool.ps1 HTTP/1.1\r\nHost: t\r\nRange: " + range + "\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, status);
    const qint64 size = m_smallData.size();
    if (status == 416) {
        QCOMPARE(r[0].header("content-range"), "bytes */" + QByteArray::number(size));
        return;
    }
    QCOMPARE(r[0].body, m_smallData.mid(first, length));
    QCOMPARE(r[0].header("content-length").toLongLong(), length);
    if (status == 206) {
        QCOMPARE(r[0].header("content-range"), "bytes " + QByteArray::number(first) + '-'
                                                   + QByteArray::number(first + length - 1) + '/'
                                                   + QByteArray::number(size));
    }
}

void tst_ArtifactServer::ifRangeMismatchSendsWholeFile()
{
    const auto r
        = exchange(m_server->port(),
                   "GET /agent/Small%20Tool.ps1 HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n"
                   "If-Range: \"0000\"\r\n\r\n",
                   1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 200);
    QCOMPARE(r[0].body, m_smallData);
}

void tst_ArtifactServer::headSendsNoBodyAndKeepsTheConnection()
{
    const auto r = exchange(m_server->port(),
                            "HEAD /agent/Small%20Tool.ps1 HTTP/1.1\r\nHost: t\r\n\r\n"
                            "GET /agent/%C3%9Cberpr%C3%BCfung.ps1 HTTP/1.1\r\nHost: t\r\n\r\n",
                            2, {true, false});
    QCOMPARE(r.size(), 2);
    QCOMPARE(r[0].status, 200);
    QCOMPARE(r[0].header("content-length").toLongLong(), m_smallData.size());
    QCOMPARE(r[0].header("etag"), '"' + m_snap.find(u"Small Tool.ps1")->sha256 + '"');
    QVERIFY(!r[0].header("last-modified").isEmpty());
    QCOMPARE(r[0].body, QByteArray());
    // Had HEAD sent a body, the second response would start inside it.
    QCOMPARE(r[1].status, 200);
    QCOMPARE(r[1].body, QByteArray("Write-Output '\xC3\xBC'\n"));
}

void tst_ArtifactServer::notModified()
{
    const QByteArray etag = '"' + m_snap.find(u"Small Tool.ps1")->sha256 + '"';
    auto r = exchange(m_server->port(),
                      "GET /agent/Small%20Tool.ps1 HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag
                          + "\r\n\r\n",
                      1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 304);
    QCOMPARE(r[0].header("etag"), etag);
    r = exchange(
        m_server->port(),
        "GET /agent/Small%20Tool.ps1 HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"other\"\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 200);
    QCOMPARE(r[0].body.size(), m_smallData.size());
}

void tst_ArtifactServer::manifestServed()
{
    const QByteArray json = get(m_server->port(), "/agent/manifest.json");
    const auto m = Manifest::fromJson(json);
    QVERIFY2(m, json.constData());
    QCOMPARE(m->digest(), m_snap.manifest.digest());
    QCOMPARE(m->version(), QStringLiteral("3.2.1"));
    QCOMPARE(m->files().size(), 4);
}

void tst_ArtifactServer::badRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("dotdot") << QByteArray("GET /agent/../version HTTP/1.1") << 400;
    QTest::newRow("dotdot deep") << QByteArray("GET /agent/../../../../etc/passwd HTTP/1.1") << 400;
    QTest::newRow("encoded dotdot") << QByteArray("GET /agent/%2e%2e HTTP/1.1") << 400;
    QTest::newRow("encoded dotdot slash")
        << QByteArray("GET /agent/%2e%2e%2fversion HTTP/1.1") << 400;
    QTest::newRow("encoded slash") << QByteArray("GET /agent/x%2fversion HTTP/1.1") << 400;
    QTest::newRow("backslash") << QByteArray("GET /agent/..\\version HTTP/1.1") << 400;
    QTest::newRow("encoded backslash") << QByteArray("GET /agent/..%5cversion HTTP/1.1") << 400;
    QTest::newRow("nul") << QByteArray("GET /agent/version%00.ps1 HTTP/1.1") << 400;
    QTest::newRow("over-long") << "GET /agent/" + QByteArray(300, 'a') + " HTTP/1.1" << 414;
    QTest::newRow("very long") << "GET /agent/" + QByteArray(5000, 'b') + " HTTP/1.1" << 414;
    QTest::newRow("unknown file") << QByteArray("GET /agent/evil.ps1 HTTP/1.1") << 404;
    QTest::newRow("not a bundle file") << QByteArray("GET /agent/README.txt HTTP/1.1") << 404;
    QTest::newRow("root") << QByteArray("GET / HTTP/1.1") << 404;
    QTest::newRow("PUT") << QByteArray("PUT /agent/version HTTP/1.1") << 405;
    QTest::newRow("DELETE") << QByteArray("DELETE /agent/version HTTP/1.1") << 405;
    QTest::newRow("POST") << QByteArray("POST /agent/version HTTP/1.1") << 405;
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS /agent/version HTTP/1.1") << 405;
    QTest::newRow("unknown method") << QByteArray("BREW /agent/version HTTP/1.1") << 405;
}

void tst_ArtifactServer::badRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const quint64 before = m_server->stats().requestsByStatus.value(status);
    const auto r
        = exchange(m_server->port(), request + "\r\nHost: t\r\nContent-Length: 0\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, status);
    QCOMPARE(m_server->stats().requestsByStatus.value(status), before + 1);
    if (status == 405)
        QCOMPARE(r[0].header("allow"), QByteArray("GET, HEAD"));
    // Still serving afterwards.
    QCOMPARE(get(m_server->port(), "/healthz"), QByteArray("ok\n"));
}

void tst_ArtifactServer::parallelDownloads()
{
    const QString expected = QString::fromLatin1(
        QCryptographicHash::hash(m_smallData, QCryptographicHash::Sha256).toHex());
    const QString url
        = QStringLiteral("http://127.0.0.1:%1/agent/Small%20Tool.ps1").arg(m_server->port());
    QList<QProcess *> procs;
    for (int i = 0; i < 8; ++i) {
        auto *p = new QProcess(this);
        p->start(
            QStringLiteral("bash"),
            {QStringLiteral("-o"), QStringLiteral("pipefail"), QStringLiteral("-c"),
             QStringLiteral("curl -sf --limit-rate 20M '%1' | sha256sum | cut -c1-64").arg(url)});
        procs.append(p);
    }
    for (QProcess *p : procs) {
        QVERIFY(p->waitForFinished(60000));
        QCOMPARE(p->exitCode(), 0);
        QCOMPARE(QString::fromLatin1(p->readAllStandardOutput()).trimmed(), expected);
        delete p;
    }
}

void tst_ArtifactServer::readyFlips()
{
    ServerThread s{ArtifactServerConfig{}};
    QVERIFY(s.port());
    auto r = exchange(s.port(), "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 503);
    QVERIFY2(r[0].body.contains("not been hashed"), r[0].body.constData());
    r = exchange(s.port(), "GET /agent/version HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r[0].status, 503);
    QCOMPARE(r[0].header("retry-after"), QByteArray("3"));
    QCOMPARE(get(s.port(), "/healthz"), QByteArray("ok\n"));

    s.setBundle(m_snap);
    r = exchange(s.port(), "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r[0].status, 200);
    QCOMPARE(get(s.port(), "/agent/version"), QByteArray("3.2.1\n"));

    s.run([&] { s.server()->setNotReady(QStringLiteral("bundle is being rebuilt")); });
    r = exchange(s.port(), "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r[0].status, 503);
    QVERIFY(r[0].body.contains("bundle is being rebuilt"));
}

void tst_ArtifactServer::connectionCap()
{
    ArtifactServerConfig config;
    config.maxConnections = 2;
    ServerThread s(config);
    s.setBundle(m_snap);
    QTcpSocket a, b, c;
    QByteArray bufA, bufB, bufC;
    RawResponse resp;
    for (QTcpSocket *sock : {&a, &b}) {
        sock->connectToHost(QHostAddress::LocalHost, s.port());
        QVERIFY(sock->waitForConnected(5000));
        sock->write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        QByteArray &buf = sock == &a ? bufA : bufB;
        QVERIFY(readResponse(*sock, buf, resp, false));
        QCOMPARE(resp.status, 200);
    }
    c.connectToHost(QHostAddress::LocalHost, s.port());
    QVERIFY(c.waitForConnected(5000));
    QVERIFY(readResponse(c, bufC, resp, false));
    QCOMPARE(resp.status, 503);
    QCOMPARE(resp.header("connection"), QByteArray("close"));
    QVERIFY(c.state() == QAbstractSocket::UnconnectedState || c.waitForDisconnected(5000));
    QCOMPARE(s.stats().connectionsRejected, 1u);

    // Once a slot frees up, new connections are served again.
    a.disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(s.stats().activeConnections, 1, 5000);
    QCOMPARE(get(s.port(), "/healthz"), QByteArray("ok\n"));
}

void tst_ArtifactServer::idleTimeoutClosesConnection()
{
    ArtifactServerConfig config;
    config.idleTimeoutMs = 300;
    ServerThread s(config);
    QTcpSocket sock;
    sock.connectToHost(QHostAddress::LocalHost, s.port());
    QVERIFY(sock.waitForConnected(5000));
    sock.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    QByteArray buf;
    RawResponse resp;
    QVERIFY(readResponse(sock, buf, resp, false));
    QCOMPARE(resp.status, 200);
    QVERIFY(sock.waitForDisconnected(5000));
}

// Descriptors this process holds (the server runs in it, on its own thread).
static qsizetype openFileDescriptors()
{
    return QDir(QStringLiteral("/proc/self/fd"))
        .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
        .size();
}

void tst_ArtifactServer::clientAbortLeavesServerHealthy()
{
    const quint64 abortedBefore = m_server->stats().downloadsAborted;
    const qsizetype fdsBefore = openFileDescriptors();
    {
        QTcpSocket sock;
        sock.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(sock.waitForConnected(5000));
        sock.write("GET /agent/Big.iso HTTP/1.1\r\nHost: t\r\n\r\n");
        QVERIFY(sock.waitForReadyRead(5000));
        sock.read(1024);
        sock.abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().downloadsAborted, abortedBefore + 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().activeDownloads, 0, 10000);
    // The aborted transfer is released: its file, its duplicated socket descriptor and the
    // server side of the connection are all closed again.
    QTRY_COMPARE_WITH_TIMEOUT(openFileDescriptors(), fdsBefore, 10000);
    QCOMPARE(get(m_server->port(), "/agent/version"), QByteArray("3.2.1\n"));
}

void tst_ArtifactServer::changedFileIsNotServed()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("version")), "1.0.0\n");
    writeFile(dir.filePath(QStringLiteral("a.ps1")), "original\n");
    auto snap = AgentBundle::scan(dir.path());
    QVERIFY(snap);
    ServerThread s{ArtifactServerConfig{}};
    s.setBundle(*snap);
    QCOMPARE(get(s.port(), "/agent/a.ps1"), QByteArray("original\n"));
    writeFile(dir.filePath(QStringLiteral("a.ps1")), "tampered with\n");
    const auto r = exchange(s.port(), "GET /agent/a.ps1 HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 503);
    QVERIFY(!r[0].body.contains("tampered"));
}

void tst_ArtifactServer::copyPathAndHttps()
{
    QTemporaryDir tls;
    const QString cert = tls.filePath(QStringLiteral("cert.pem"));
    const QString key = tls.filePath(QStringLiteral("key.pem"));
    QVERIFY(shell(QStringLiteral("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                                 "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '%1' "
                                 "-out '%2' 2>/dev/null && echo ok")
                      .arg(key, cert))
            == u"ok");
    const QString expected = shell(QStringLiteral("sha256sum '%1' | cut -c1-64")
                                       .arg(m_bundleDir + QStringLiteral("/Big.iso")));

    ArtifactServerConfig plainCopy;
    plainCopy.zeroCopy = false;
    ServerThread copy(plainCopy);
    copy.setBundle(m_snap);
    QCOMPARE(shell(QStringLiteral(
                       "curl -sf 'http://127.0.0.1:%1/agent/Big.iso' | sha256sum | cut -c1-64")
                       .arg(copy.port())),
             expected);

    ArtifactServerConfig https;
    https.certificateFile = cert;
    https.privateKeyFile = key;
    ServerThread secure(https);
    QVERIFY2(secure.port(), qPrintable(secure.error()));
    secure.setBundle(m_snap);
    QCOMPARE(shell(QStringLiteral("curl -sf --cacert '%1' -r 0-67108863 "
                                  "'https://127.0.0.1:%2/agent/Big.iso' | sha256sum | cut -c1-64")
                       .arg(cert)
                       .arg(secure.port())),
             shell(QStringLiteral("head -c 67108864 '%1' | sha256sum | cut -c1-64")
                       .arg(m_bundleDir + QStringLiteral("/Big.iso"))));
    // Without the CA, curl must refuse the self-signed certificate.
    QCOMPARE(shell(QStringLiteral("curl -s -o /dev/null -w '%{http_code}' "
                                  "'https://127.0.0.1:%1/healthz'; true")
                       .arg(secure.port())),
             QStringLiteral("000"));

    ArtifactServerConfig broken;
    broken.certificateFile = tls.filePath(QStringLiteral("missing.pem"));
    broken.privateKeyFile = key;
    ServerThread bad(broken);
    QCOMPARE(bad.port(), quint16(0));
    QVERIFY2(bad.error().contains(QStringLiteral("certificate")), qPrintable(bad.error()));
}

void tst_ArtifactServer::metricsText()
{
    const auto r = exchange(m_server->port(), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r[0].status, 200);
    QVERIFY(r[0].header("content-type").startsWith("text/plain; version=0.0.4"));
    const QByteArray m = r[0].body;
    QVERIFY(m.contains("# TYPE aetherv_artifact_requests_total counter"));
    QVERIFY(m.contains("aetherv_artifact_requests_total{status=\"200\"}"));
    QVERIFY(m.contains("aetherv_artifact_ready 1"));
    const QByteArray key = "\naetherv_artifact_bytes_sent_total ";
    const qsizetype at = m.indexOf(key);
    QVERIFY(at >= 0);
    const qsizetype from = at + key.size();
    const qint64 sent = m.mid(from, m.indexOf('\n', from) - from).toLongLong();
    QVERIFY2(sent >= (1LL << 30), m.constData()); // at least the 1 GiB download
}

QTEST_GUILESS_MAIN(tst_ArtifactServer)
#include "tst_artifactserver.moc"
