// MS-NLMP 4.2 test vectors computed with the project's NTLM code (crypto, messages, sealing).
#include "core/winrm/auth/channelbindings.h"
#include "core/winrm/auth/ntlmcontext.h"
#include "core/winrm/auth/ntlmcrypto.h"
#include "core/winrm/auth/ntlmflags.h"
#include "core/winrm/auth/ntlmmessages.h"
#include "core/winrm/auth/ntlmsession.h"

#include <QTest>
#include <QtEndian>

using namespace aetherv::winrm;
using namespace aetherv::winrm::ntlm;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

const QByteArray randomSessionKey = QByteArray(16, '\x55');
const QByteArray clientChallenge = QByteArray(8, '\xaa');
const QByteArray serverChallenge = hex("0123456789abcdef");
const QByteArray zeroTime = QByteArray(8, '\0');
const QByteArray specAvPairs = hex("02000c0044006f006d00610069006e00"
                                   "01000c00530065007200760065007200"
                                   "00000000");

QByteArray plaintext()
{
    return utf16le(QStringLiteral("Plaintext"));
}

} // namespace

class TestNtlm : public QObject
{
    Q_OBJECT

private slots:
    void primitives_data();
    void primitives();
    void ntowf();
    void ntlmV2Response();
    void sessionKeys();
    void sealingWithKeyExchange();
    void signatureWithoutKeyExchange();
    void sealRoundTripAndTamper();
    void negotiateMessage();
    void avPairs();
    void challengeParsingRejectsBadInput_data();
    void challengeParsingRejectsBadInput();
    void authenticateMessageCarriesMicAndBindings();
    void channelBindingsVector();
};

void TestNtlm::primitives_data()
{
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QByteArray>("expected");
    // RFC 2202 HMAC-MD5 cases 1, 2 and 6 (key longer than a block).
    QTest::newRow("hmac-md5 rfc2202 #1")
        << hmacMd5(QByteArray(16, '\x0b'), "Hi There") << hex("9294727a3638bb1c13f48ef8158bfc9d");
    QTest::newRow("hmac-md5 rfc2202 #2") << hmacMd5("Jefe", "what do ya want for nothing?")
                                         << hex("750c783e6ab0b503eaa86e310a5db738");
    QTest::newRow("hmac-md5 rfc2202 #6")
        << hmacMd5(QByteArray(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")
        << hex("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
    // RC4 test vectors (RFC 6229 is offset-based; these are the classic "Key"/"Plaintext" ones).
    QTest::newRow("rc4 Key/Plaintext") << rc4("Key", "Plaintext") << hex("bbf316e8d940af0ad3");
    QTest::newRow("rc4 Wiki/pedia") << rc4("Wiki", "pedia") << hex("1021bf0420");
    QTest::newRow("md4 abc") << md4("abc") << hex("a448017aaf21d8525fc10ae87aa6729d");
}

void TestNtlm::primitives()
{
    QFETCH(QByteArray, actual);
    QFETCH(QByteArray, expected);
    QCOMPARE(actual.toHex(), expected.toHex());
}

void TestNtlm::ntowf()
{
    QCOMPARE(ntowfV1(QStringLiteral("Password")).toHex(),
             QByteArray("a4f49c406510bdcab6824ee7c30fd852"));
    QCOMPARE(ntowfV2(QStringLiteral("Password"), QStringLiteral("User"), QStringLiteral("Domain"))
                 .toHex(),
             QByteArray("0c868a403bfd7a93a3001ef22ef02e3f"));
}

void TestNtlm::ntlmV2Response()
{
    const QByteArray key
        = ntowfV2(QStringLiteral("Password"), QStringLiteral("User"), QStringLiteral("Domain"));
    const NtlmV2Response r
        = computeNtlmV2Response(key, serverChallenge, clientChallenge, zeroTime, specAvPairs);
    const QByteArray temp = hex("01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000")
                            + specAvPairs + QByteArray(4, '\0');
    QCOMPARE(ntlmV2Temp(zeroTime, clientChallenge, specAvPairs).toHex(), temp.toHex());
    QCOMPARE(r.ntProofStr.toHex(), QByteArray("68cd0ab851e51c96aabc927bebef6a1c"));
    QCOMPARE(r.ntResponse.toHex(), QByteArray(r.ntProofStr + temp).toHex());
    QCOMPARE(r.lmResponse.toHex(), QByteArray("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
    QCOMPARE(r.sessionBaseKey.toHex(), QByteArray("8de40ccadbc14a82f15cb0ad0de95ca3"));
    QCOMPARE(rc4(r.sessionBaseKey, randomSessionKey).toHex(),
             QByteArray("c5dad2544fc9799094ce1ce90bc9d03e"));
}

void TestNtlm::sessionKeys()
{
    const std::uint32_t flags = 0xe28a8233;
    QCOMPARE(signKey(randomSessionKey, Direction::ClientToServer).toHex(),
             QByteArray("4788dc861b4782f35d43fd98fe1a2d39"));
    QCOMPARE(sealKey(randomSessionKey, Direction::ClientToServer, flags).toHex(),
             QByteArray("59f600973cc4960a25480a7c196e4c58"));
    QCOMPARE(signKey(randomSessionKey, Direction::ServerToClient).toHex(),
             QByteArray("d04d6f10741041d1d246d64188d7a8ad"));
    QCOMPARE(sealKey(randomSessionKey, Direction::ServerToClient, flags).toHex(),
             QByteArray("9355f3a957c1583d25c4c2f11e40390e"));
}

void TestNtlm::sealingWithKeyExchange()
{
    NtlmSession session(randomSessionKey, 0xe28a8233);
    const WrappedMessage w = session.seal(plaintext());
    QCOMPARE(w.data.toHex(), QByteArray("54e50165bf1936dc996020c1811b0f06fb5f"));
    QCOMPARE(w.header.toHex(), QByteArray("010000007fb38ec5c55d497600000000"));
    QCOMPARE(w.originalLength, qsizetype(18));
}

void TestNtlm::signatureWithoutKeyExchange()
{
    NtlmSession session(randomSessionKey, 0xe28a8233 & ~NegotiateFlag::KeyExchange);
    const WrappedMessage w = session.seal(plaintext());
    QCOMPARE(w.header.toHex(), QByteArray("0100000070352851f256430900000000"));
}

void TestNtlm::sealRoundTripAndTamper()
{
    NtlmSession client(randomSessionKey, clientNegotiateFlags, NtlmSession::Role::Client);
    NtlmSession server(randomSessionKey, clientNegotiateFlags, NtlmSession::Role::Server);
    for (int i = 0; i < 3; ++i) {
        const QByteArray msg = QByteArray("message ") + QByteArray::number(i);
        const WrappedMessage toServer = client.seal(msg);
        QCOMPARE(toServer.header.mid(12),
                 QByteArray::fromHex(QByteArray("0") + QByteArray::number(i) + "000000"));
        auto got = server.unseal(toServer.header, toServer.data);
        QVERIFY(got.has_value());
        QCOMPARE(*got, msg);
        const WrappedMessage reply = server.seal(QByteArray("reply ") + msg);
        auto back = client.unseal(reply.header, reply.data);
        QVERIFY(back.has_value());
        QCOMPARE(*back, QByteArray("reply ") + msg);
    }
    WrappedMessage tampered = server.seal("secret");
    tampered.data[0] = static_cast<char>(tampered.data.at(0) ^ 1);
    QVERIFY(!client.unseal(tampered.header, tampered.data).has_value());
}

void TestNtlm::negotiateMessage()
{
    const QByteArray m = buildNegotiateMessage(clientNegotiateFlags);
    QCOMPARE(m.size(), qsizetype(40));
    QVERIFY(m.startsWith(QByteArray("NTLMSSP\0", 8)));
    QCOMPARE(m.mid(8, 4).toHex(), QByteArray("01000000"));
    QCOMPARE(m.mid(12, 4).toHex(), QByteArray("378208e2")); // 0xE2088237
    QCOMPARE(m.mid(32, 8), clientVersion());
}

void TestNtlm::avPairs()
{
    auto list = AvPairList::parse(specAvPairs);
    QVERIFY(list.has_value());
    QCOMPARE(list->pairs().size(), qsizetype(2));
    QCOMPARE(*list->value(AvId::NbComputerName), utf16le(QStringLiteral("Server")));
    QCOMPARE(list->encode().toHex(), specAvPairs.toHex());
    list->set(AvId::Flags, hex("02000000"));
    list->set(AvId::NbComputerName, utf16le(QStringLiteral("X")));
    QCOMPARE(list->pairs().size(), qsizetype(3));
    QCOMPARE(*list->value(AvId::NbComputerName), utf16le(QStringLiteral("X")));
    QVERIFY(!AvPairList::parse(hex("0200ff0044006f00")).has_value());
}

void TestNtlm::challengeParsingRejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("wrong signature") << QByteArray(48, 'x');
    QByteArray wrongType("NTLMSSP\0", 8);
    wrongType.append(hex("01000000"));
    wrongType.append(36, '\0');
    QTest::newRow("wrong type") << wrongType;
    QByteArray outOfRange("NTLMSSP\0", 8);
    outOfRange.append(hex("02000000"
                          "1000100000100000"
                          "35820a82"
                          "0123456789abcdef"
                          "0000000000000000"
                          "0000000000000000"));
    QTest::newRow("field outside") << outOfRange;
}

void TestNtlm::challengeParsingRejectsBadInput()
{
    QFETCH(QByteArray, message);
    QVERIFY(!ChallengeMessage::parse(message).has_value());
}

void TestNtlm::authenticateMessageCarriesMicAndBindings()
{
    // A challenge as a Windows host sends it: ESS, sealing flags, target info with a timestamp.
    AvPairList info = *AvPairList::parse(specAvPairs);
    info.set(AvId::Timestamp, hex("0090d336b734c301"));
    const QByteArray infoBytes = info.encode();
    QByteArray challenge("NTLMSSP\0", 8);
    challenge.append(hex("02000000"));         // type
    challenge.append(hex("0c000c0038000000")); // target name "Domain" at 56
    challenge.append(hex("35828ae2"));         // flags 0xe28a8235
    challenge.append(serverChallenge);
    challenge.append(8, '\0');
    QByteArray infoField(8, '\0');
    infoField[0] = static_cast<char>(infoBytes.size());
    infoField[2] = static_cast<char>(infoBytes.size());
    infoField[4] = static_cast<char>(56 + 12);
    challenge.append(infoField);
    challenge.append(clientVersion());
    challenge.append(utf16le(QStringLiteral("Domain")));
    challenge.append(infoBytes);

    NtlmClientOptions options;
    options.user = QStringLiteral("User");
    options.domain = QStringLiteral("Domain");
    options.password = QStringLiteral("Password");
    options.targetSpn = QStringLiteral("HTTP/server.example");
    options.channelBindingsData = QByteArrayLiteral("tls-server-end-point:abc");
    options.clientChallenge = clientChallenge;
    options.exportedSessionKey = randomSessionKey;
    NtlmContext ctx(options);
    auto negotiate = ctx.step({});
    QVERIFY(negotiate.has_value());
    auto authenticate = ctx.step(challenge);
    QVERIFY2(authenticate.has_value(),
             authenticate ? "" : qPrintable(authenticate.error().message));
    QVERIFY(ctx.isComplete());
    const QByteArray &a = *authenticate;
    QCOMPARE(a.mid(8, 4).toHex(), QByteArray("03000000"));
    // LmChallengeResponse is 24 zero bytes when a MIC is sent.
    const quint16 lmLen = qFromLittleEndian<quint16>(a.constData() + 12);
    const quint32 lmOff = qFromLittleEndian<quint32>(a.constData() + 16);
    QCOMPARE(lmLen, quint16(24));
    QCOMPARE(a.mid(lmOff, 24), QByteArray(24, '\0'));
    // The MIC covers all three messages with the MIC field zeroed.
    QByteArray zeroed = a;
    zeroed.replace(micOffset, 16, QByteArray(16, '\0'));
    QCOMPARE(a.mid(micOffset, 16).toHex(),
             hmacMd5(randomSessionKey, *negotiate + challenge + zeroed).toHex());
    // The NTLMv2 blob carries MIC-present flags, the SPN and MD5 of the channel bindings.
    const quint16 ntLen = qFromLittleEndian<quint16>(a.constData() + 20);
    const quint32 ntOff = qFromLittleEndian<quint32>(a.constData() + 24);
    const QByteArray blob = a.mid(ntOff + 16 + 28, ntLen - 16 - 28 - 4);
    auto sent = AvPairList::parse(blob);
    QVERIFY(sent.has_value());
    QCOMPARE(sent->value(AvId::Flags)->toHex(), QByteArray("02000000"));
    QCOMPARE(*sent->value(AvId::TargetName), utf16le(QStringLiteral("HTTP/server.example")));
    QCOMPARE(sent->value(AvId::ChannelBindings)->toHex(),
             md5(channelbindings::gssStruct("tls-server-end-point:abc")).toHex());
    // The timestamp in the blob is the server's.
    QCOMPARE(a.mid(ntOff + 16 + 8, 8).toHex(), QByteArray("0090d336b734c301"));
    // Session key exchange: the encrypted key decrypts with the NTLMv2 session base key.
    QCOMPARE(ctx.exportedSessionKey(), randomSessionKey);
    // Flags: the server's choice restricted to what the client asked for.
    QVERIFY(ctx.negotiatedFlags() & NegotiateFlag::KeyExchange);
    QVERIFY(!(ctx.negotiatedFlags() & NegotiateFlag::Oem));
}

void TestNtlm::channelBindingsVector()
{
    // pypsrp's RSA/MD5 certificate has tls-server-end-point hash 2334b847... (SHA-256 of the DER)
    const QByteArray appData
        = QByteArrayLiteral("tls-server-end-point:")
          + hex("2334b8476cbf4e6dfc766a5d5a30d6649c01bae1662a5c3a1302a968d7c6b0f6");
    const QByteArray s = channelbindings::gssStruct(appData);
    QCOMPARE(s.size(), qsizetype(73));
    QCOMPARE(s.left(20).toHex(), QByteArray("0000000000000000000000000000000035000000"));
    QCOMPARE(channelbindings::ntlmHash(appData).toHex(),
             QByteArray("57ed328b9721e506aea7d80c0234de03"));
    QCOMPARE(channelbindings::ntlmHash({}), QByteArray(16, '\0'));
}

QTEST_GUILESS_MAIN(TestNtlm)
#include "tst_ntlm.moc"
