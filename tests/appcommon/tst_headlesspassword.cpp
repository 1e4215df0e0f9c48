#include "app/common/credentialstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace aetherv;
using namespace aetherv::appcommon;

class tst_HeadlessPassword : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromVariable();
    void nothingSetMeansAskSomeoneElse();
    void bothSetIsAmbiguous();
    void emptyVariableIsAnError();
    void fromPrivateFile_data();
    void fromPrivateFile();
    void unsafeFileIsRefused_data();
    void unsafeFileIsRefused();
    void symlinkIsRefused();
    void missingFileNamesThePath();

private:
    QString writeFile(const QByteArray &content, mode_t mode);
    QTemporaryDir m_dir;
    int m_n = 0;
};

QString tst_HeadlessPassword::writeFile(const QByteArray &content, mode_t mode)
{
    const QString path = m_dir.filePath(QStringLiteral("pw%1").arg(++m_n));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(content);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), mode);
    return path;
}

static QProcessEnvironment env(std::initializer_list<std::pair<const char *, QString>> vars)
{
    QProcessEnvironment e;
    for (const auto &[k, v] : vars)
        e.insert(QString::fromLatin1(k), v);
    return e;
}

void tst_HeadlessPassword::fromVariable()
{
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD", u"p@ss wörd"_qs}}));
    QVERIFY(r);
    QCOMPARE(*r, u"p@ss wörd"_qs);
}

void tst_HeadlessPassword::nothingSetMeansAskSomeoneElse()
{
    const Result<QString> r = CredentialStore::headlessPassword(QProcessEnvironment());
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY(r.error().message.contains(u"AETHERV_WINRM_PASSWORD_FILE"));
}

void tst_HeadlessPassword::bothSetIsAmbiguous()
{
    const QString path = writeFile("secret\n", 0600);
    const Result<QString> r = CredentialStore::headlessPassword(
        env({{"AETHERV_WINRM_PASSWORD", u"x"_qs}, {"AETHERV_WINRM_PASSWORD_FILE", path}}));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Configuration);
}

void tst_HeadlessPassword::emptyVariableIsAnError()
{
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD", QString()}}));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Configuration);
}

void tst_HeadlessPassword::fromPrivateFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("0600 with newline") << QByteArray("Sommer2026!\n") << 0600 << u"Sommer2026!"_qs;
    QTest::newRow("0400 crlf") << QByteArray("abc\r\n") << 0400 << u"abc"_qs;
    QTest::newRow("no newline, utf-8") << QByteArray("gr\xc3\xbc\xc3\x9f") << 0600 << u"grüß"_qs;
    QTest::newRow("only one newline removed") << QByteArray("a\n\n") << 0600 << u"a\n"_qs;
    QTest::newRow("inner spaces kept") << QByteArray(" a b \n") << 0600 << u" a b "_qs;
}

void tst_HeadlessPassword::fromPrivateFile()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(QString, expected);
    const QString path = writeFile(content, mode_t(mode));
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD_FILE", path}}));
    QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(*r, expected);
}

void tst_HeadlessPassword::unsafeFileIsRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("hint");
    QTest::newRow("group readable") << QByteArray("x") << 0640 << u"chmod 600"_qs;
    QTest::newRow("world readable") << QByteArray("x") << 0604 << u"chmod 600"_qs;
    QTest::newRow("group writable") << QByteArray("x") << 0620 << u"chmod 600"_qs;
    QTest::newRow("empty") << QByteArray("\n") << 0600 << u"empty"_qs;
    QTest::newRow("huge") << QByteArray(70000, 'a') << 0600 << u"too large"_qs;
}

void tst_HeadlessPassword::unsafeFileIsRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(QString, hint);
    const QString path = writeFile(content, mode_t(mode));
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD_FILE", path}}));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Configuration);
    QVERIFY2(r.error().message.contains(hint), qPrintable(r.error().message));
    QVERIFY(!r.error().toString().contains(u"aaaa"_qs));
}

void tst_HeadlessPassword::symlinkIsRefused()
{
    const QString target = writeFile("secret", 0600);
    const QString link = m_dir.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(target, link));
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD_FILE", link}}));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Configuration);
    QVERIFY(r.error().message.contains(u"symbolic link"_qs));
}

void tst_HeadlessPassword::missingFileNamesThePath()
{
    const QString path = m_dir.filePath(QStringLiteral("nope"));
    const Result<QString> r
        = CredentialStore::headlessPassword(env({{"AETHERV_WINRM_PASSWORD_FILE", path}}));
    QVERIFY(!r);
    QVERIFY(r.error().detail.contains(path));
}

QTEST_GUILESS_MAIN(tst_HeadlessPassword)
#include "tst_headlesspassword.moc"
