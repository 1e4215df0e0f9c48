#include "faultproxy.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace aetherv::e2e {

using namespace Qt::StringLiterals;

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 404:
        return "Not Found";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray errorResponse(int status)
{
    const QByteArray body = "injected by the e2e fault proxy\n";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
           + "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\nRetry-After: 0\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

// One client connection: one request, forwarded to the upstream server (or answered with a
// fault), then closed.
class FaultProxy::Exchange : public QObject
{
public:
    Exchange(FaultProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        client->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, &Exchange::onClientData);
        connect(client, &QTcpSocket::disconnected, this, &Exchange::finish);
    }

    bool isHolding() const { return m_hold && m_headersSent; }

    void release()
    {
        if (!m_hold)
            return;
        m_hold = false;
        if (!m_heldBody.isEmpty())
            m_client->write(m_heldBody);
        m_heldBody.clear();
        if (m_upstreamDone)
            m_client->disconnectFromHost();
    }

    void abort()
    {
        if (m_upstream)
            m_upstream->abort();
        m_client->abort();
        finish();
    }

private:
    void onClientData()
    {
        if (m_started)
            return;
        m_request += m_client->readAll();
        const qsizetype end = m_request.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_started = true;
        const QList<QByteArray> first = m_request.left(m_request.indexOf("\r\n")).split(' ');
        if (first.size() < 3) {
            m_client->write(errorResponse(500));
            m_client->disconnectFromHost();
            return;
        }
        m_method = first.at(0);
        m_path = first.at(1);
        const QByteArray last = m_path.mid(m_path.lastIndexOf('/') + 1);
        m_name = QUrl::fromPercentEncoding(
            last.left(last.indexOf('?') < 0 ? last.size() : last.indexOf('?')));
        const Decision d = m_proxy->decide(m_name);
        if (d.failStatus != 0) {
            m_proxy->record({m_name, d.failStatus, false, false});
            m_client->write(errorResponse(d.failStatus));
            m_client->disconnectFromHost();
            return;
        }
        m_corrupt = d.corrupt;
        m_hold = d.hold;
        m_upstream = new QTcpSocket(this);
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            m_upstream->write(m_method + ' ' + m_path + " HTTP/1.1\r\nHost: 127.0.0.1:"
                              + QByteArray::number(m_proxy->m_upstreamPort)
                              + "\r\nUser-Agent: aetherv-e2e-faultproxy\r\nConnection: "
                                "close\r\n\r\n");
        });
        connect(m_upstream, &QTcpSocket::readyRead, this, &Exchange::onUpstreamData);
        connect(m_upstream, &QTcpSocket::disconnected, this, &Exchange::onUpstreamDone);
        connect(m_upstream, &QTcpSocket::errorOccurred, this,
                [this](QAbstractSocket::SocketError e) {
                    if (e == QAbstractSocket::RemoteHostClosedError)
                        return; // disconnected() follows
                    if (!m_headersSent) {
                        // The upstream server is gone (e.g. the CLI that ran it was killed).
                        m_headersSent = true;
                        m_proxy->record({m_name, 502, false, false});
                        m_client->write(errorResponse(502));
                        m_client->disconnectFromHost();
                        return;
                    }
                    onUpstreamDone();
                });
        m_upstream->connectToHost(QHostAddress(QHostAddress::LocalHost), m_proxy->m_upstreamPort);
    }

    void onUpstreamData()
    {
        QByteArray data = m_upstream->readAll();
        if (!m_headersSent) {
            m_response += data;
            const qsizetype end = m_response.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = m_response.left(end);
            data = m_response.mid(end + 4);
            m_response.clear();
            QList<QByteArray> lines = head.split('\n');
            const QList<QByteArray> status = lines.first().trimmed().split(' ');
            const int code = status.size() > 1 ? status.at(1).toInt() : 0;
            QByteArray out = lines.first().trimmed() + "\r\n";
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const QByteArray key = line.left(line.indexOf(':')).trimmed().toLower();
                if (line.isEmpty() || key == "connection" || key == "keep-alive")
                    continue;
                out += line + "\r\n";
            }
            out += "Connection: close\r\n\r\n";
            m_client->write(out);
            m_headersSent = true;
            m_proxy->record({m_name, code, m_corrupt && code == 200, m_hold});
        }
        if (m_corrupt && !m_flipped && !data.isEmpty()) {
            data[data.size() / 2] = char(data.at(data.size() / 2) ^ 0x5A);
            m_flipped = true;
        }
        if (m_hold)
            m_heldBody += data;
        else
            m_client->write(data);
    }

    void onUpstreamDone()
    {
        if (m_upstreamDone)
            return;
        m_upstreamDone = true;
        if (!m_headersSent) {
            m_headersSent = true;
            m_proxy->record({m_name, 502, false, false});
            m_client->write(errorResponse(502));
        }
        if (!m_hold)
            m_client->disconnectFromHost();
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_proxy->m_exchanges.removeOne(this);
        if (m_upstream)
            m_upstream->abort();
        deleteLater();
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream = nullptr;
    QByteArray m_request;
    QByteArray m_response;
    QByteArray m_heldBody;
    QByteArray m_method;
    QByteArray m_path;
    QString m_name;
    bool m_started = false;
    bool m_corrupt = false;
    bool m_flipped = false;
    bool m_hold = false;
    bool m_headersSent = false;
    bool m_upstreamDone = false;
    bool m_finished = false;
};

FaultProxy::FaultProxy(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection())
            m_exchanges.append(new Exchange(this, s));
    });
}

FaultProxy::~FaultProxy()
{
    const QList<Exchange *> open = m_exchanges;
    for (Exchange *e : open)
        e->abort();
}

bool FaultProxy::start(quint16 upstreamPort)
{
    m_upstreamPort = upstreamPort;
    return m_server->listen(QHostAddress(QHostAddress::LocalHost), 0);
}

QUrl FaultProxy::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/agent"_s.arg(m_server->serverPort()));
}

void FaultProxy::failFirst(const QString &name, int count, int status)
{
    Rule &r = m_rules[name];
    r.failRemaining = count;
    r.status = status;
}

void FaultProxy::failAlways(const QString &name, int status)
{
    Rule &r = m_rules[name];
    r.failAlways = true;
    r.status = status;
}

void FaultProxy::corrupt(const QString &name)
{
    m_rules[name].corrupt = true;
}

void FaultProxy::holdFirst(const QString &name, int count)
{
    m_rules[name].holdRemaining = count;
}

void FaultProxy::releaseHeld()
{
    const QList<Exchange *> open = m_exchanges;
    for (Exchange *e : open)
        e->release();
}

void FaultProxy::abortHeld()
{
    const QList<Exchange *> open = m_exchanges;
    for (Exchange *e : open) {
        if (e->isHolding())
            e->abort();
    }
}

void FaultProxy::reset()
{
    abortHeld();
    m_rules.clear();
    m_log.clear();
}

int FaultProxy::count(const QString &name) const
{
    return int(std::count_if(m_log.cbegin(), m_log.cend(),
                             [&](const Request &r) { return r.name == name; }));
}

int FaultProxy::count(const QString &name, int status) const
{
    return int(std::count_if(m_log.cbegin(), m_log.cend(), [&](const Request &r) {
        return r.name == name && r.status == status;
    }));
}

int FaultProxy::heldNow() const
{
    return int(std::count_if(m_exchanges.cbegin(), m_exchanges.cend(),
                             [](const Exchange *e) { return e->isHolding(); }));
}

qsizetype FaultProxy::firstIndex(const QString &name, int status) const
{
    for (qsizetype i = 0; i < m_log.size(); ++i) {
        if (m_log.at(i).name == name && m_log.at(i).status == status)
            return i;
    }
    return -1;
}

FaultProxy::Decision FaultProxy::decide(const QString &name)
{
    Decision d;
    auto it = m_rules.find(name);
    if (it == m_rules.end())
        return d;
    Rule &r = *it;
    if (r.failAlways) {
        d.failStatus = r.status;
        return d;
    }
    if (r.failRemaining > 0) {
        --r.failRemaining;
        d.failStatus = r.status;
        return d;
    }
    d.corrupt = r.corrupt;
    if (r.holdRemaining > 0) {
        --r.holdRemaining;
        d.hold = true;
    }
    return d;
}

qsizetype FaultProxy::record(const Request &r)
{
    m_log.append(r);
    Q_EMIT requestSeen(r.name, r.status);
    return m_log.size() - 1;
}

} // namespace aetherv::e2e
