// KerberosContext against an in-process MIT krb5 acceptor (keytab from a throwaway KDC): the
// wrap token has the layout the Windows WinRM client sends (AES: 16-byte token header with
// EC=0 and RRC=28, 60-byte header, ciphertext as long as the plaintext), the acceptor opens it
// both as a STREAM and the way Windows does (rotate right by RRC, then decrypt), and our unwrap
// accepts the acceptor's tokens whatever their rotation.
#include "support/kdcfixture.h"

#include "core/winrm/auth/kdcavailability.h"
#include "core/winrm/auth/kerberoscontext.h"

#include <QFile>
#include <QTest>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

using namespace aetherv;
using namespace aetherv::winrm;

namespace {

const QString realm = QStringLiteral("AETHERV.TEST");
const QString password = QStringLiteral("Unit-Pa55!");
const QString host = QStringLiteral("hv01.aetherv.test");

QByteArray take(gss_buffer_desc &b)
{
    QByteArray out(static_cast<const char *>(b.value), qsizetype(b.length));
    OM_uint32 minor = 0;
    gss_release_buffer(&minor, &b);
    return out;
}

// QVERIFY2 evaluates its message even when the check passes.
template<typename T>
QByteArray errorText(const Result<T> &r)
{
    return r ? QByteArray() : r.error().toString().toUtf8();
}

quint16 be16(const QByteArray &b, int at)
{
    return quint16((quint8(b.at(at)) << 8) | quint8(b.at(at + 1)));
}

// The acceptor side, as a WinRM server runs it.
class Acceptor
{
public:
    ~Acceptor()
    {
        OM_uint32 minor = 0;
        if (m_ctx != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &m_ctx, GSS_C_NO_BUFFER);
    }
    // Returns the output token; sets complete.
    // With bindings set, MIT checks the initiator's channel bindings against them.
    QByteArray bindings;
    OM_uint32 lastMajor = 0;

    QByteArray accept(const QByteArray &token, bool *complete)
    {
        OM_uint32 minor = 0;
        gss_buffer_desc in{size_t(token.size()), const_cast<char *>(token.constData())};
        gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
        gss_channel_bindings_struct cb{};
        cb.application_data = {size_t(bindings.size()), bindings.data()};
        const OM_uint32 major
            = gss_accept_sec_context(&minor, &m_ctx, GSS_C_NO_CREDENTIAL, &in,
                                     bindings.isEmpty() ? GSS_C_NO_CHANNEL_BINDINGS : &cb, nullptr,
                                     nullptr, &out, nullptr, nullptr, nullptr);
        lastMajor = major;
        *complete = major == GSS_S_COMPLETE;
        // A failing acceptor may still hand back a token (a KRB-ERROR for the initiator).
        const QByteArray reply = take(out);
        if (GSS_ERROR(major))
            return {};
        return reply;
    }
    // [HEADER | DATA | PADDING], the layout of the Windows server and of aetherv-hostsim.
    std::pair<QByteArray, QByteArray> wrapIov(const QByteArray &plain)
    {
        OM_uint32 minor = 0;
        QByteArray data = plain;
        gss_iov_buffer_desc iov[3] = {};
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer = {size_t(data.size()), data.data()};
        iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
        int conf = 0;
        if (GSS_ERROR(gss_wrap_iov(&minor, m_ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3)) || !conf)
            return {};
        const QByteArray header(static_cast<const char *>(iov[0].buffer.value),
                                qsizetype(iov[0].buffer.length));
        data += QByteArray(static_cast<const char *>(iov[2].buffer.value),
                           qsizetype(iov[2].buffer.length));
        gss_release_iov_buffer(&minor, iov, 3);
        return {header, data};
    }
    // A plain gss_wrap token (RRC 0), which a client must accept as well.
    QByteArray wrapPlain(const QByteArray &plain)
    {
        OM_uint32 minor = 0;
        gss_buffer_desc in{size_t(plain.size()), const_cast<char *>(plain.constData())};
        gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
        int conf = 0;
        if (GSS_ERROR(gss_wrap(&minor, m_ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out)))
            return {};
        return take(out);
    }
    // What the simulator does: the whole token as one STREAM.
    std::optional<QByteArray> unwrapStream(const QByteArray &header, const QByteArray &data)
    {
        OM_uint32 minor = 0;
        QByteArray stream = header + data;
        gss_iov_buffer_desc iov[2] = {};
        iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
        iov[0].buffer = {size_t(stream.size()), stream.data()};
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        int conf = 0;
        gss_qop_t qop = 0;
        if (GSS_ERROR(gss_unwrap_iov(&minor, m_ctx, &conf, &qop, iov, 2)) || !conf)
            return std::nullopt;
        return QByteArray(static_cast<const char *>(iov[1].buffer.value),
                          qsizetype(iov[1].buffer.length));
    }
    // What Windows does with [TOKEN | DATA]: the separate header buffer, the data in place.
    std::optional<QByteArray> unwrapHeaderData(const QByteArray &header, const QByteArray &data)
    {
        OM_uint32 minor = 0;
        QByteArray h = header;
        QByteArray d = data;
        gss_iov_buffer_desc iov[2] = {};
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
        iov[0].buffer = {size_t(h.size()), h.data()};
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer = {size_t(d.size()), d.data()};
        int conf = 0;
        gss_qop_t qop = 0;
        if (GSS_ERROR(gss_unwrap_iov(&minor, m_ctx, &conf, &qop, iov, 2)) || !conf)
            return std::nullopt;
        return d;
    }

private:
    gss_ctx_id_t m_ctx = GSS_C_NO_CONTEXT;
};

} // namespace

class TestKerberos : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void windowsWrapLayout();
    void unwrapsAcceptorTokens();
    void tamperedReplyIsRejected();
    void realmCaseAndDownLevelName();
    void passwordRejectedIsFlagged();
    void unknownSpnNamesTheSetting();
    void realmWithoutKdcIsFlagged();
    void unreachableRealmsAreRememberedForAWhile();
    void channelBindings();
    void cleanupTestCase();

private:
    // Runs the handshake in process; returns false when it does not complete.
    bool establish(KerberosContext &client, Acceptor &server);

    testsupport::KdcFixture m_kdc;
};

void TestKerberos::initTestCase()
{
    QVERIFY2(m_kdc.start(realm, QStringLiteral("alice"), password, {host}),
             qPrintable(m_kdc.errorString()));
    qputenv("KRB5_CONFIG", QFile::encodeName(m_kdc.krb5Config()));
    qputenv("KRB5_KTNAME", QFile::encodeName(QStringLiteral("FILE:") + m_kdc.keytab()));
    // No ambient ticket cache: the client logs in with the password.
    qputenv("KRB5CCNAME", QFile::encodeName(QStringLiteral("FILE:") + m_kdc.credentialsCache()));
}

void TestKerberos::cleanupTestCase()
{
    m_kdc.stop();
}

bool TestKerberos::establish(KerberosContext &client, Acceptor &server)
{
    QByteArray fromServer;
    for (int leg = 0; leg < 4; ++leg) {
        auto token = client.step(fromServer);
        if (!token) {
            qWarning().noquote() << errorText(token);
            return false;
        }
        if (client.isComplete())
            return true;
        bool serverComplete = false;
        fromServer = server.accept(*token, &serverComplete);
        if (fromServer.isEmpty())
            return false;
    }
    return false;
}

void TestKerberos::windowsWrapLayout()
{
    KerberosContext client(
        {QStringLiteral("HTTP"), host, QStringLiteral("alice@") + realm, password, false, {}});
    Acceptor server;
    QVERIFY(establish(client, server));
    for (int size : {0, 1, 15, 16, 17, 1000, 65537}) {
        QByteArray plain(size, '\0');
        for (int i = 0; i < size; ++i)
            plain[i] = char('a' + i % 26);
        const auto wrapped = client.wrap(plain);
        QVERIFY2(wrapped.has_value(), errorText(wrapped).constData());
        const QByteArray &h = wrapped->header;
        // RFC 4121 4.2.6.2 wrap token, as the Windows client sends it for AES.
        QCOMPARE(h.size(), qsizetype(60));
        QCOMPARE(quint8(h.at(0)), quint8(0x05));
        QCOMPARE(quint8(h.at(1)), quint8(0x04));
        QCOMPARE(quint8(h.at(2)), quint8(0x06)); // Sealed | AcceptorSubkey, not SentByAcceptor
        QCOMPARE(quint8(h.at(3)), quint8(0xff));
        QCOMPARE(be16(h, 4), quint16(0));  // EC
        QCOMPARE(be16(h, 6), quint16(28)); // RRC
        QCOMPARE(wrapped->data.size(), plain.size());
        QCOMPARE(wrapped->originalLength, qsizetype(size));
        QVERIFY(size < 16 || !wrapped->data.contains(plain.left(16)));
        // Alternate the two ways a server opens it; both advance the same sequence window.
        const auto opened = size % 2 ? server.unwrapStream(h, wrapped->data)
                                     : server.unwrapHeaderData(h, wrapped->data);
        QVERIFY(opened.has_value());
        QCOMPARE(*opened, plain);
    }
}

void TestKerberos::unwrapsAcceptorTokens()
{
    KerberosContext client(
        {QStringLiteral("HTTP"), host, QStringLiteral("alice@") + realm, password, false, {}});
    Acceptor server;
    QVERIFY(establish(client, server));
    for (int i = 0; i < 20; ++i) {
        const QByteArray plain = QByteArray("<s:Envelope>") + QByteArray(i * 977, 'r')
                                 + QByteArray::number(i) + "</s:Envelope>";
        if (i % 3 == 2) {
            // A single-buffer token (RRC 0) split where the MS-WSMV framing would split it.
            const QByteArray token = server.wrapPlain(plain);
            QVERIFY(token.size() > 60);
            const auto opened = client.unwrap(token.left(60), token.mid(60));
            QVERIFY2(opened.has_value(), errorText(opened).constData());
            QCOMPARE(*opened, plain);
            continue;
        }
        const auto [header, data] = server.wrapIov(plain);
        QCOMPARE(header.size(), qsizetype(60));
        QCOMPARE(quint8(header.at(2)), quint8(0x07)); // SentByAcceptor | Sealed | AcceptorSubkey
        QCOMPARE(be16(header, 6), quint16(28));
        const auto opened = client.unwrap(header, data);
        QVERIFY2(opened.has_value(), errorText(opened).constData());
        QCOMPARE(*opened, plain);
    }
}

void TestKerberos::tamperedReplyIsRejected()
{
    KerberosContext client(
        {QStringLiteral("HTTP"), host, QStringLiteral("alice@") + realm, password, false, {}});
    Acceptor server;
    QVERIFY(establish(client, server));
    auto [header, data] = server.wrapIov(QByteArray("<s:Envelope>secret</s:Envelope>"));
    data[3] = char(data.at(3) ^ 0x01);
    const auto opened = client.unwrap(header, data);
    QVERIFY(!opened.has_value());
    QCOMPARE(opened.error().code, ErrorCode::Protocol);
    // Our own token must not open for the client itself (direction is part of the key usage).
    const auto own = client.wrap(QByteArray("loop"));
    QVERIFY(own.has_value());
    QVERIFY(!client.unwrap(own->header, own->data).has_value());
}

void TestKerberos::realmCaseAndDownLevelName()
{
    for (const QString &user :
         {QStringLiteral("alice@aetherv.test"), QStringLiteral("aetherv.test\\alice")}) {
        KerberosContext client({QStringLiteral("HTTP"), host, user, password, false, {}});
        Acceptor server;
        QVERIFY2(establish(client, server), qPrintable(user));
    }
}

void TestKerberos::passwordRejectedIsFlagged()
{
    KerberosContext client({QStringLiteral("HTTP"),
                            host,
                            QStringLiteral("alice@") + realm,
                            QStringLiteral("wrong-one"),
                            false,
                            {}});
    const auto token = client.step({});
    QVERIFY(!token.has_value());
    QCOMPARE(token.error().code, ErrorCode::CredentialsRejected);
    QVERIFY(client.passwordRejected());
    QVERIFY2(token.error().message.contains(QStringLiteral("alice@AETHERV.TEST")),
             qPrintable(token.error().message));
    QVERIFY(!token.error().toString().contains(QStringLiteral("wrong-one")));

    // A bare name may be a local account of the host: Negotiate may still try NTLM with it.
    KerberosContext bare({QStringLiteral("HTTP"),
                          host,
                          QStringLiteral("alice"),
                          QStringLiteral("wrong-one"),
                          false,
                          {}});
    const auto bareToken = bare.step({});
    QVERIFY(!bareToken.has_value());
    QCOMPARE(bareToken.error().code, ErrorCode::CredentialsRejected);
    QVERIFY(!bare.passwordRejected());
}

void TestKerberos::unknownSpnNamesTheSetting()
{
    KerberosContext client(
        {QStringLiteral("WSMAN"), host, QStringLiteral("alice@") + realm, password, false, {}});
    const auto token = client.step({});
    QVERIFY(!token.has_value());
    QCOMPARE(token.error().code, ErrorCode::Configuration);
    QVERIFY(!client.passwordRejected());
    QVERIFY2(token.error().message.contains(u"WSMAN/" + host)
                 && token.error().message.contains(QStringLiteral("SPN service")),
             qPrintable(token.error().message));
}

void TestKerberos::realmWithoutKdcIsFlagged()
{
    // krb5.conf knows only AETHERV.TEST; NOKDC.INVALID has no KDC anywhere.
    KerberosContext client(
        {QStringLiteral("HTTP"), host, QStringLiteral("alice@nokdc.invalid"), password, false, {}});
    const auto token = client.step({});
    QVERIFY(!token.has_value());
    QVERIFY(client.kdcUnreachable());
    QVERIFY(!client.passwordRejected());

    // A KDC that answers, whatever it answers, is reachable.
    KerberosContext wrong({QStringLiteral("HTTP"),
                           host,
                           QStringLiteral("alice@") + realm,
                           QStringLiteral("wrong-one"),
                           false,
                           {}});
    QVERIFY(!wrong.step({}).has_value());
    QVERIFY(!wrong.kdcUnreachable());
    KerberosContext noSpn(
        {QStringLiteral("WSMAN"), host, QStringLiteral("alice@") + realm, password, false, {}});
    QVERIFY(!noSpn.step({}).has_value());
    QVERIFY(!noSpn.kdcUnreachable());
}

void TestKerberos::unreachableRealmsAreRememberedForAWhile()
{
    using namespace kdcavailability;
    QCOMPARE(realmOf(QStringLiteral("alice@corp.example")), QStringLiteral("CORP.EXAMPLE"));
    QCOMPARE(realmOf(QStringLiteral("corp\\alice")), QStringLiteral("CORP"));
    QCOMPARE(realmOf(QStringLiteral("alice")), QString());
    QCOMPARE(realmOf(QStringLiteral("a@b@lab")), QStringLiteral("LAB"));

    forgetAll();
    const Clock::time_point t0 = Clock::now();
    QVERIFY(!isKnownUnreachable(QStringLiteral("LAB"), t0));
    rememberUnreachable(QStringLiteral("LAB"), t0);
    QVERIFY(isKnownUnreachable(QStringLiteral("LAB"), t0));
    QVERIFY(isKnownUnreachable(QStringLiteral("LAB"), t0 + rememberFor - std::chrono::seconds(1)));
    QVERIFY(!isKnownUnreachable(QStringLiteral("CORP"), t0));
    QVERIFY(!isKnownUnreachable(QString(), t0));
    // Expired: the realm's KDC gets another chance, and the entry is gone for good.
    QVERIFY(!isKnownUnreachable(QStringLiteral("LAB"), t0 + rememberFor));
    QVERIFY(!isKnownUnreachable(QStringLiteral("LAB"), t0));
    rememberUnreachable(QString(), t0);
    QVERIFY(isKnownUnreachable(QString(), t0));
    forgetAll();
    QVERIFY(!isKnownUnreachable(QString(), t0));
}

void TestKerberos::channelBindings()
{
    // tls-server-end-point application data as HTTPS uses it; the acceptor builds the same
    // gss_channel_bindings struct (no addresses) from its own certificate.
    const QByteArray endPoint = QByteArray("tls-server-end-point:") + QByteArray(32, '\x5a');
    {
        KerberosContext client({QStringLiteral("HTTP"), host, QStringLiteral("alice@") + realm,
                                password, false, endPoint});
        Acceptor server;
        server.bindings = endPoint;
        QVERIFY(establish(client, server));
    }
    {
        KerberosContext client({QStringLiteral("HTTP"), host, QStringLiteral("alice@") + realm,
                                password, false, endPoint});
        Acceptor server;
        server.bindings = QByteArray("tls-server-end-point:") + QByteArray(32, '\x5b');
        QVERIFY(!establish(client, server));
        QCOMPARE(OM_uint32(GSS_ROUTINE_ERROR(server.lastMajor)), OM_uint32(GSS_S_BAD_BINDINGS));
    }
}

QTEST_GUILESS_MAIN(TestKerberos)
#include "tst_kerberos.moc"
