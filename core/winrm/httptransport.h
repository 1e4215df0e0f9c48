#pragma once

#include "core/common/credentials.h"
#include "core/winrm/auth/securitycontext.h"
#include "core/winrm/connectionsettings.h"
#include "core/winrm/httpconnection.h"
#include "core/winrm/wsmantransport.h"

#include <QObject>

#include <memory>

// WS-Management over HTTP(S) with Basic, NTLM or Kerberos: runs the "Negotiate" handshake with
// empty bodies on the connection, encrypts every body over HTTP (MS-WSMV 2.2.9.1, never a plain
// fallback), and after a lost context re-authenticates and repeats only repeatable requests.
namespace aetherv::winrm {

class HttpTransport final : public QObject, public WsmanTransport
{
    Q_OBJECT

public:
    HttpTransport(ConnectionSettings settings, Credentials credentials, QObject *parent = nullptr);
    ~HttpTransport() override;

    void send(const QByteArray &envelope, bool repeatable, std::chrono::milliseconds timeout,
              Callback done) override;
    void abort() override;
    QString endpoint() const override { return m_settings.url().toString(); }

    // What authenticated the current connection ("NTLM", "Kerberos", "Basic"); empty before.
    QString mechanism() const { return m_mechanism; }
    // Number of completed handshakes (a re-authentication after a lost context adds one).
    int handshakes() const { return m_handshakes; }

private:
    void proceed();
    void authenticate();
    Result<std::unique_ptr<SecurityContext>> createContext(bool kerberos);
    void handshakeLeg(const QByteArray &serverToken);
    void postMessage();
    void onReply(Result<HttpResponse> reply, bool encrypted);
    void finish(Result<QByteArray> result);
    bool retryAfterLostContext(const Error &why);

    ConnectionSettings m_settings;
    Credentials m_credentials;
    HttpConnection m_connection;
    std::unique_ptr<SecurityContext> m_context;
    quint64 m_contextSerial = 0;
    QString m_mechanism;
    int m_handshakes = 0;
    bool m_negotiateFellBack = false;

    struct Pending
    {
        QByteArray envelope;
        bool repeatable = false;
        std::chrono::milliseconds timeout{0};
        Callback done;
        int attempt = 0;
    };
    std::optional<Pending> m_pending;
    quint64 m_generation = 0; // invalidates callbacks after abort()
};

} // namespace aetherv::winrm
