#pragma once

#include "core/common/result.h"
#include "core/winrm/connectionsettings.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslError>
#include <QTimer>

#include <functional>
#include <memory>

class QSslSocket;

// A minimal HTTP/1.1 client over one keep-alive QSslSocket, used instead of QNetworkAccessManager
// because NTLM/Kerberos authenticate the TCP connection: this class knows which connection a
// request travels on (connectionSerial), never reconnects behind the caller's back, never
// answers a 401 itself, and exposes the server certificate for channel bindings.
// One request at a time; lives on the thread that created it (any thread with an event loop).
namespace aetherv::winrm {

struct HttpResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // first value, case-insensitive
    QList<QByteArray> headerValues(const QByteArray &name) const;
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

class HttpConnection : public QObject
{
    Q_OBJECT

public:
    explicit HttpConnection(const ConnectionSettings &settings, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Opens the TCP (and TLS) connection if it is not open; calls back once.
    void ensureConnected(std::function<void(Result<void>)> done);
    // Sends a POST on the open connection (opening one first if needed) and calls back once
    // with the complete response. readTimeout bounds the silence while waiting for bytes; the
    // whole response must arrive within twice that, and it may not exceed maxResponseBytes().
    void post(const HttpHeaders &headers, const QByteArray &body,
              std::chrono::milliseconds readTimeout,
              std::function<void(Result<HttpResponse>)> done);
    // Closes the connection and drops the pending callback without calling it.
    void abort();

    bool isConnected() const;
    bool isBusy() const { return static_cast<bool>(m_responseDone); }
    // Increases with every new TCP connection; security contexts remember it.
    quint64 connectionSerial() const { return m_serial; }
    QByteArray peerCertificateDer() const;

    // Limits on what a server may send: a WS-Man reply is bounded by the MaxEnvelopeSize the
    // client asks for, so anything far beyond it is a broken or hostile endpoint.
    static constexpr qint64 kMaxHeaderBytes = 64 * 1024;
    qint64 maxResponseBytes() const;

private:
    void startConnect();
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onSslErrors(const QList<QSslError> &errors);
    void onTimeout();
    void failConnectLater(Error error);
    void writeRequest();
    enum class Parse { Incomplete, Complete, Failed };
    Parse parseResponse(); // Complete: m_response is whole; Failed: m_parseError says why
    Parse failParse(Error error);
    void completeConnect(Result<void> result);
    void completeResponse(Result<HttpResponse> result);
    void resetSocket();

    ConnectionSettings m_settings;
    QSslSocket *m_socket = nullptr;
    QTimer m_timer;
    quint64 m_serial = 0;
    bool m_connecting = false;
    QList<QSslError> m_sslErrors;
    std::function<void(Result<void>)> m_connectDone;
    std::function<void(Result<HttpResponse>)> m_responseDone;
    QByteArray m_request;
    std::chrono::milliseconds m_readTimeout{0};
    QDeadlineTimer m_responseDeadline;
    bool m_deadlineArmed = false; // the pending timeout is the whole-reply deadline

    // Response parser state.
    enum class ParseState {
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkTrailer,
        UntilClose
    };
    ParseState m_state = ParseState::StatusLine;
    QByteArray m_buffer;
    HttpResponse m_response;
    qint64 m_remaining = 0;
    qint64 m_headerBytes = 0;
    bool m_closeAfter = false;
    Error m_parseError;
};

} // namespace aetherv::winrm
