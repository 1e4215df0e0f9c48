#pragma once

// A scripted WS-Management host behind the WsmanTransport seam: it parses each request envelope
// (action, MessageID, selectors, body) and answers from a handler, asynchronously like a network.
#include "core/winrm/wsmantransport.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

struct FakeRequest
{
    QString action; // local part: Create, Command, Send, Receive, Signal, Delete
    QString messageId;
    QString shellId;
    QString commandId;
    QString signalCode; // local part: ctrl_c, terminate
    QByteArray stdinData;
    bool stdinEnd = false;
    bool repeatable = false;
};

class FakeWsmanHost : public QObject, public aetherv::winrm::WsmanTransport
{
    Q_OBJECT

public:
    // Returns the reply body, or nullopt to hold the request (it never completes unless
    // abort() drops it), or an Error for a transport failure.
    using Handler = std::function<std::optional<aetherv::Result<QByteArray>>(const FakeRequest &)>;

    explicit FakeWsmanHost(Handler handler)
        : m_handler(std::move(handler))
    {}

    void send(const QByteArray &envelope, bool repeatable, std::chrono::milliseconds timeout,
              Callback done) override;
    void abort() override;
    QString endpoint() const override { return QStringLiteral("fake://host/wsman"); }

    QList<FakeRequest> requests;
    int aborts = 0;
    bool inFlight() const { return m_pending.has_value(); }

    // Reply builders (RelatesTo echoes the request's MessageID).
    static QByteArray createResponse(const FakeRequest &r, const QString &shellId);
    static QByteArray commandResponse(const FakeRequest &r, const QString &commandId);
    static QByteArray emptyResponse(const FakeRequest &r, const QString &element);
    struct Stream
    {
        QString name;
        QByteArray data;
    };
    static QByteArray receiveResponse(const FakeRequest &r, const QList<Stream> &streams, bool done,
                                      std::optional<qint64> exitCode,
                                      const QString &relatesTo = {});
    static QByteArray fault(const FakeRequest &r, quint32 code, const QString &subcode,
                            const QString &message);

private:
    Handler m_handler;
    std::optional<Callback> m_pending;
    quint64 m_generation = 0;
};
