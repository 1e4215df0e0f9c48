#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QTcpServer;

namespace aetherv::e2e {

// An HTTP/1.1 pass-through on loopback in front of the embedded artifact server, with faults
// chosen per file name (the last path segment, percent-decoded): answer the first N requests (or
// every request) with an error status, flip one byte in the body, or hold a body back until the
// test releases or aborts it. One request per connection ("Connection: close"), so every request
// the hosts or the ingress gate make is seen and logged. Lives on the test thread: it works while
// that thread runs its event loop (QSignalSpy::wait, QTRY_*).
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QString name;
        int status = 0; // what the client got (or will get, for a held body)
        bool corrupted = false;
        bool held = false;
    };

    explicit FaultProxy(QObject *parent = nullptr);
    ~FaultProxy() override;

    bool start(quint16 upstreamPort);
    void setUpstreamPort(quint16 port) { m_upstreamPort = port; }
    QUrl baseUrl() const; // http://127.0.0.1:<port>/agent

    void failFirst(const QString &name, int count, int status = 503);
    void failAlways(const QString &name, int status = 503);
    void corrupt(const QString &name);
    // The next `count` requests for `name` get their headers, but the body waits for
    // releaseHeld() or abortHeld().
    void holdFirst(const QString &name, int count = 1);
    void releaseHeld();
    void abortHeld();
    // Forgets every rule and the request log (held exchanges are aborted).
    void reset();

    QList<Request> requests() const { return m_log; }
    int count(const QString &name) const;
    int count(const QString &name, int status) const;
    int heldNow() const;
    // Index in requests() of the first request for `name` with `status`, or -1.
    qsizetype firstIndex(const QString &name, int status) const;

Q_SIGNALS:
    void requestSeen(const QString &name, int status);

private:
    class Exchange;
    friend class Exchange;
    struct Rule
    {
        int failRemaining = 0;
        bool failAlways = false;
        int status = 503;
        bool corrupt = false;
        int holdRemaining = 0;
    };
    struct Decision
    {
        int failStatus = 0; // non-zero: answer with this status
        bool corrupt = false;
        bool hold = false;
    };
    Decision decide(const QString &name);
    qsizetype record(const Request &r);

    QTcpServer *m_server = nullptr;
    quint16 m_upstreamPort = 0;
    QHash<QString, Rule> m_rules;
    QList<Request> m_log;
    QList<Exchange *> m_exchanges;
};

} // namespace aetherv::e2e
