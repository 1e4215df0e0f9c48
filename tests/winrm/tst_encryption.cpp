// multipart/encrypted framing (MS-WSMV 2.2.9.1): the byte-exact 274-byte body derived from
// MS-NLMP 4.2.4, tolerant parsing of the variants other servers send, and length checks.
#include "core/winrm/auth/ntlmcrypto.h"
#include "core/winrm/auth/ntlmsession.h"
#include "core/winrm/messageencryption.h"

#include <QCryptographicHash>
#include <QTest>

#include <limits>

using namespace aetherv::winrm;
using namespace aetherv::winrm::ntlm;

namespace {

const QByteArray key(16, '\x55');
constexpr std::uint32_t flags = 0xe28a8233;

// A SecurityContext over an NtlmSession, standing in for either side.
class SessionContext final : public SecurityContext
{
public:
    explicit SessionContext(NtlmSession::Role role)
        : m_session(key, flags, role)
    {}
    QString mechanismName() const override { return QStringLiteral("NTLM"); }
    QByteArray httpScheme() const override { return "Negotiate"; }
    aetherv::Result<QByteArray> step(const QByteArray &) override { return QByteArray(); }
    bool isComplete() const override { return true; }
    aetherv::Result<WrappedMessage> wrap(const QByteArray &p) override { return m_session.seal(p); }
    aetherv::Result<QByteArray> unwrap(const QByteArray &h, const QByteArray &d) override
    {
        return m_session.unseal(h, d);
    }

private:
    NtlmSession m_session;
};

QByteArray plaintext()
{
    return utf16le(QStringLiteral("Plaintext"));
}

const QByteArray type = messageencryption::contentType(messageencryption::spnegoProtocol);

} // namespace

class TestEncryption : public QObject
{
    Q_OBJECT

private slots:
    void derivedVector();
    void roundTripBothDirections();
    void tolerantParsing_data();
    void tolerantParsing();
    void multiplePartsAreJoined();
    void rejects_data();
    void rejects();
    void lengthMismatchIsRejected();
};

void TestEncryption::derivedVector()
{
    SessionContext client(NtlmSession::Role::Client);
    auto body = messageencryption::encrypt(client, messageencryption::spnegoProtocol, plaintext());
    QVERIFY(body.has_value());
    QCOMPARE(body->size(), qsizetype(274));
    QCOMPARE(QCryptographicHash::hash(*body, QCryptographicHash::Sha256).toHex(),
             QByteArray("d91ba48159bf120311a9f464c15153c1a5b180e14dcb7fa2045f64ce10ab4b8d"));
    const QByteArray binary = QByteArray::fromHex("10000000"
                                                  "010000007fb38ec5c55d497600000000"
                                                  "54e50165bf1936dc996020c1811b0f06fb5f");
    QCOMPARE(body->mid(212, binary.size()).toHex(), binary.toHex());
    QVERIFY(body->startsWith("--Encrypted Boundary\r\n\tContent-Type: "
                             "application/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: "
                             "type=application/soap+xml;charset=UTF-8;Length=18\r\n"));
    QVERIFY(body->endsWith("--Encrypted Boundary--\r\n"));
    QCOMPARE(type, QByteArray("multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-"
                              "encrypted\";boundary=\"Encrypted Boundary\""));
}

void TestEncryption::roundTripBothDirections()
{
    SessionContext client(NtlmSession::Role::Client);
    SessionContext server(NtlmSession::Role::Server);
    for (int i = 0; i < 3; ++i) {
        // Payloads that contain the boundary text must not confuse the parser.
        const QByteArray request
            = "<s:Envelope>--Encrypted Boundary\r\n" + QByteArray(i * 5000, 'r') + "</s:Envelope>";
        auto body = messageencryption::encrypt(client, messageencryption::spnegoProtocol, request);
        QVERIFY(body.has_value());
        auto seen = messageencryption::decrypt(server, *body, type);
        QVERIFY(seen.has_value());
        QCOMPARE(*seen, request);
        const QByteArray reply = "<s:Envelope>reply " + QByteArray::number(i) + "</s:Envelope>";
        auto back = messageencryption::encrypt(server, messageencryption::spnegoProtocol, reply);
        QVERIFY(back.has_value());
        auto got = messageencryption::decrypt(client, *back, type);
        QVERIFY(got.has_value());
        QCOMPARE(*got, reply);
    }
}

void TestEncryption::tolerantParsing_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("as sent") << QByteArray() << QByteArray() << type;
    QTest::newRow("no tabs (Ruby, PSWSMan)") << QByteArray("\t") << QByteArray("") << type;
    QTest::newRow("Exchange boundary with a space")
        << QByteArray("--Encrypted Boundary") << QByteArray("-- Encrypted Boundary") << type;
    QTest::newRow("boundary from the body, not the header")
        << QByteArray() << QByteArray() << QByteArray("multipart/encrypted");
    QTest::newRow("lower-case header names")
        << QByteArray("OriginalContent: type=application/soap+xml;charset=UTF-8;Length=")
        << QByteArray("originalcontent: type=application/soap+xml;charset=UTF-8;length=") << type;
}

void TestEncryption::tolerantParsing()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QByteArray, contentType);
    SessionContext server(NtlmSession::Role::Server);
    SessionContext client(NtlmSession::Role::Client);
    const QByteArray reply = "<s:Envelope>reply with tab\there</s:Envelope>";
    auto body = messageencryption::encrypt(server, messageencryption::spnegoProtocol, reply);
    QVERIFY(body.has_value());
    QByteArray altered = *body;
    if (!from.isEmpty()) {
        // Only touch the framing, never the binary part.
        const qsizetype binaryStart = altered.indexOf("octet-stream\r\n") + 14;
        QByteArray head = altered.left(binaryStart);
        QByteArray tail = altered.mid(binaryStart);
        head.replace(from, to);
        const qsizetype closing = tail.lastIndexOf("--Encrypted Boundary--");
        tail = tail.left(closing) + tail.mid(closing).replace(from, to);
        altered = head + tail;
    }
    auto plain = messageencryption::decrypt(client, altered, contentType);
    QVERIFY2(plain.has_value(), plain ? "" : qPrintable(plain.error().message));
    QCOMPARE(*plain, reply);
}

void TestEncryption::multiplePartsAreJoined()
{
    // Two blocks, each closed (PSWSMan style), in one body.
    SessionContext server(NtlmSession::Role::Server);
    SessionContext client(NtlmSession::Role::Client);
    auto first = server.wrap("first half|");
    auto second = server.wrap("second half");
    const QByteArray body = messageencryption::frame(messageencryption::spnegoProtocol, *first)
                            + messageencryption::frame(messageencryption::spnegoProtocol, *second);
    auto parts = messageencryption::parse(body, type);
    QVERIFY(parts.has_value());
    QCOMPARE(parts->size(), qsizetype(2));
    auto plain = messageencryption::decrypt(client, body, type);
    QVERIFY(plain.has_value());
    QCOMPARE(*plain, QByteArray("first half|second half"));
}

void TestEncryption::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("plain xml") << QByteArray("<s:Envelope/>");
    QTest::newRow("no length") << QByteArray(
        "--Encrypted Boundary\r\n\tContent-Type: x\r\n--Encrypted Boundary\r\n"
        "\tContent-Type: application/octet-stream\r\n\x10\0\0\0abc");
    QTest::newRow("header longer than body")
        << QByteArray("--Encrypted Boundary\r\n\tOriginalContent: type=a;Length=4\r\n"
                      "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"
                      "\xff\0\0\0abcd--Encrypted Boundary--\r\n",
                      149);
    QTest::newRow("unterminated") << QByteArray(
        "--Encrypted Boundary\r\n\tOriginalContent: type=a;Length=40\r\n"
        "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"
        "\x02\0\0\0abcd",
        129);
}

void TestEncryption::rejects()
{
    QFETCH(QByteArray, body);
    SessionContext client(NtlmSession::Role::Client);
    QVERIFY(!messageencryption::decrypt(client, body, type).has_value());
}

void TestEncryption::lengthMismatchIsRejected()
{
    SessionContext server(NtlmSession::Role::Server);
    SessionContext client(NtlmSession::Role::Client);
    auto wrapped = server.wrap("<s:Envelope>1234</s:Envelope>");
    QVERIFY(wrapped.has_value());
    wrapped->originalLength += 5; // claims more than was sent
    const QByteArray body = messageencryption::frame(messageencryption::spnegoProtocol, *wrapped);
    QVERIFY(!messageencryption::decrypt(client, body, type).has_value());

    // A length near the qint64 limit must be refused, not added to the data offset. The client
    // unsealed the first message above, so it expects this one next.
    auto huge = server.wrap("<s:Envelope>5678</s:Envelope>");
    QVERIFY(huge.has_value());
    huge->originalLength = std::numeric_limits<qint64>::max();
    const QByteArray lying = messageencryption::frame(messageencryption::spnegoProtocol, *huge);
    const auto parts = messageencryption::parse(lying, type);
    QVERIFY(parts.has_value());
    QCOMPARE(parts->first().data, huge->data);
    const auto plain = messageencryption::decrypt(client, lying, type);
    QVERIFY(!plain.has_value());
    QVERIFY2(plain.error().message.contains(QStringLiteral("does not match")),
             qPrintable(plain.error().message));
}

QTEST_GUILESS_MAIN(TestEncryption)
#include "tst_encryption.moc"
