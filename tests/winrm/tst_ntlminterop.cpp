// Interoperability of the project's NTLM initiator with an acceptor it did not write:
// gss-ntlmssp (the NTLM mechanism of MIT GSSAPI, users from NTLM_USER_FILE). Proves handshake,
// MIC, channel bindings, and sealing in both directions.
#include "core/winrm/auth/channelbindings.h"
#include "core/winrm/auth/ntlmcontext.h"

#include <QTemporaryDir>
#include <QTest>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

using namespace aetherv::winrm;
using namespace aetherv::winrm::ntlm;

namespace {

gss_OID_desc ntlmOid = {10, const_cast<char *>("\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a")};

QByteArray toBytes(const gss_buffer_desc &b)
{
    return QByteArray(static_cast<const char *>(b.value), static_cast<qsizetype>(b.length));
}

// A gss-ntlmssp acceptor for one handshake.
class Acceptor
{
public:
    explicit Acceptor(const QByteArray &bindings = {})
        : m_bindingsData(bindings)
    {
        OM_uint32 minor = 0;
        gss_OID_set_desc mechs = {1, &ntlmOid};
        m_major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT,
                                   &m_cred, nullptr, nullptr);
    }
    ~Acceptor()
    {
        OM_uint32 minor = 0;
        if (m_ctx != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &m_ctx, GSS_C_NO_BUFFER);
        if (m_cred != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &m_cred);
        if (m_source != GSS_C_NO_NAME)
            gss_release_name(&minor, &m_source);
    }
    bool credentialsReady() const { return m_major == GSS_S_COMPLETE; }

    // Returns the output token; m_major tells whether more is needed.
    QByteArray accept(const QByteArray &token)
    {
        OM_uint32 minor = 0;
        gss_buffer_desc in{static_cast<size_t>(token.size()),
                           const_cast<char *>(token.constData())};
        gss_buffer_desc out{0, nullptr};
        gss_channel_bindings_struct cb{};
        gss_channel_bindings_t cbPtr = GSS_C_NO_CHANNEL_BINDINGS;
        if (!m_bindingsData.isEmpty()) {
            cb.application_data.length = static_cast<size_t>(m_bindingsData.size());
            cb.application_data.value = m_bindingsData.data();
            cbPtr = &cb;
        }
        m_major = gss_accept_sec_context(&minor, &m_ctx, m_cred, &in, cbPtr,
                                         m_source == GSS_C_NO_NAME ? &m_source : nullptr, nullptr,
                                         &out, &m_flags, nullptr, nullptr);
        QByteArray result = toBytes(out);
        gss_release_buffer(&minor, &out);
        return result;
    }
    OM_uint32 major() const { return m_major; }
    OM_uint32 flags() const { return m_flags; }

    QString sourceName() const
    {
        OM_uint32 minor = 0;
        gss_buffer_desc out{0, nullptr};
        gss_display_name(&minor, m_source, &out, nullptr);
        QByteArray bytes = toBytes(out);
        if (bytes.endsWith('\0'))
            bytes.chop(1); // gss-ntlmssp counts the terminating NUL
        const QString name = QString::fromUtf8(bytes);
        gss_release_buffer(&minor, &out);
        return name;
    }

    QByteArray wrap(const QByteArray &plain)
    {
        OM_uint32 minor = 0;
        int conf = 0;
        gss_buffer_desc in{static_cast<size_t>(plain.size()),
                           const_cast<char *>(plain.constData())};
        gss_buffer_desc out{0, nullptr};
        if (gss_wrap(&minor, m_ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out) != GSS_S_COMPLETE)
            return {};
        QByteArray result = toBytes(out);
        gss_release_buffer(&minor, &out);
        return conf ? result : QByteArray();
    }

    std::optional<QByteArray> unwrap(const QByteArray &token)
    {
        OM_uint32 minor = 0;
        int conf = 0;
        gss_buffer_desc in{static_cast<size_t>(token.size()),
                           const_cast<char *>(token.constData())};
        gss_buffer_desc out{0, nullptr};
        if (gss_unwrap(&minor, m_ctx, &in, &out, &conf, nullptr) != GSS_S_COMPLETE)
            return std::nullopt;
        QByteArray result = toBytes(out);
        gss_release_buffer(&minor, &out);
        if (!conf)
            return std::nullopt;
        return result;
    }

private:
    QByteArray m_bindingsData;
    OM_uint32 m_major = GSS_S_FAILURE;
    OM_uint32 m_flags = 0;
    gss_cred_id_t m_cred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t m_ctx = GSS_C_NO_CONTEXT;
    gss_name_t m_source = GSS_C_NO_NAME;
};

NtlmClientOptions options(const QString &password, const QByteArray &bindings = {})
{
    NtlmClientOptions o;
    o.user = QStringLiteral("alice");
    o.domain = QStringLiteral("TESTDOM");
    o.password = password;
    o.workstation = QStringLiteral("CONSOLE");
    o.targetSpn = QStringLiteral("HTTP/hyperv01.testdom.example");
    o.channelBindingsData = bindings;
    return o;
}

} // namespace

class TestNtlmInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void handshakeAndSealing();
    void channelBindingsAccepted();
    void channelBindingsMismatchRejected();
    void wrongPasswordRejected();

private:
    bool handshake(Acceptor &acceptor, NtlmContext &client);
    QTemporaryDir m_dir;
};

void TestNtlmInterop::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString users = m_dir.filePath(QStringLiteral("ntlm_users"));
    QFile file(users);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("TESTDOM:alice:Passw0rd!\n");
    file.close();
    qputenv("NTLM_USER_FILE", QFile::encodeName(users));
    Acceptor probe;
    QVERIFY2(probe.credentialsReady(),
             "gss-ntlmssp acceptor credentials unavailable (is gss-ntlmssp installed?)");
}

bool TestNtlmInterop::handshake(Acceptor &acceptor, NtlmContext &client)
{
    auto negotiate = client.step({});
    if (!negotiate)
        return false;
    const QByteArray challenge = acceptor.accept(*negotiate);
    if (acceptor.major() != GSS_S_CONTINUE_NEEDED)
        return false;
    auto authenticate = client.step(challenge);
    if (!authenticate)
        return false;
    acceptor.accept(*authenticate);
    return acceptor.major() == GSS_S_COMPLETE && client.isComplete();
}

void TestNtlmInterop::handshakeAndSealing()
{
    Acceptor acceptor;
    NtlmContext client(options(QStringLiteral("Passw0rd!")));
    QVERIFY(handshake(acceptor, client));
    QVERIFY(acceptor.flags() & GSS_C_CONF_FLAG);
    QVERIFY(acceptor.flags() & GSS_C_INTEG_FLAG);
    QCOMPARE(acceptor.sourceName().toUpper(), QStringLiteral("TESTDOM\\ALICE"));

    for (int i = 0; i < 4; ++i) {
        const QByteArray request = "<s:Envelope>request " + QByteArray::number(i)
                                   + QByteArray(1000 * i, 'x') + "</s:Envelope>";
        auto wrapped = client.wrap(request);
        QVERIFY(wrapped.has_value());
        auto seenByServer = acceptor.unwrap(wrapped->header + wrapped->data);
        QVERIFY(seenByServer.has_value());
        QCOMPARE(*seenByServer, request);

        const QByteArray reply = "<s:Envelope>reply " + QByteArray::number(i) + "</s:Envelope>";
        const QByteArray token = acceptor.wrap(reply);
        QCOMPARE(token.size(), reply.size() + 16);
        auto plain = client.unwrap(token.left(16), token.mid(16));
        QVERIFY(plain.has_value());
        QCOMPARE(*plain, reply);
    }
}

void TestNtlmInterop::channelBindingsAccepted()
{
    const QByteArray bindings = channelbindings::tlsServerEndPoint("certificate bytes");
    Acceptor acceptor(bindings);
    NtlmContext client(options(QStringLiteral("Passw0rd!"), bindings));
    QVERIFY(handshake(acceptor, client));
}

void TestNtlmInterop::channelBindingsMismatchRejected()
{
    Acceptor acceptor(channelbindings::tlsServerEndPoint("the real certificate"));
    NtlmContext client(
        options(QStringLiteral("Passw0rd!"), channelbindings::tlsServerEndPoint("a forged one")));
    QVERIFY(!handshake(acceptor, client));
    QVERIFY(GSS_ERROR(acceptor.major()));
}

void TestNtlmInterop::wrongPasswordRejected()
{
    Acceptor acceptor;
    NtlmContext client(options(QStringLiteral("wrong")));
    QVERIFY(!handshake(acceptor, client));
    QVERIFY(GSS_ERROR(acceptor.major()));
}

QTEST_GUILESS_MAIN(TestNtlmInterop)
#include "tst_ntlminterop.moc"
