#pragma once

#include "wsmanmessage.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace aetherv::hostsim {

class WorkerPool;

// The WinRS cmd-shell resource of one simulated host: shells, their commands, output buffers
// and the Receive long-poll. Replies are SOAP envelopes with an HTTP status.
class ShellService : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxEnvelopeKb = 500;
        int maxShellsPerUser = 30;
        int maxTimeoutMs = 60000;
    };
    struct Caller
    {
        QString user; // DOMAIN\user or user@REALM as authenticated
        QString clientIp;
        QString endpoint;
    };
    // Returns false when the reply could not be delivered (connection gone); the service then
    // keeps the output for the next Receive.
    using Reply = std::function<bool(int httpStatus, const QByteArray &xml)>;

    ShellService(QString hostName, QString rootDir, WorkerPool *pool, Limits limits,
                 QObject *parent = nullptr);
    ~ShellService() override;

    void handle(const WsmanRequest &request, const Caller &caller, Reply reply);
    int shellCount() const { return int(m_shells.size()); }
    int commandCount() const;

private:
    struct Command;
    struct Shell;

    void create(const WsmanRequest &request, const Caller &caller, const Reply &reply);
    void removeShell(const QString &shellId);
    void command(Shell &shell, const WsmanRequest &request, const Reply &reply);
    void send(Shell &shell, const WsmanRequest &request, const Reply &reply);
    void receive(Shell &shell, const WsmanRequest &request, const Reply &reply);
    void signal(Shell &shell, const WsmanRequest &request, const Reply &reply);
    void deliver(Command &command);
    void replyFault(const Reply &reply, const WsmanFault &fault, const QString &relatesTo);

    QString m_host;
    QString m_root;
    QPointer<WorkerPool> m_pool;
    Limits m_limits;
    QHash<QString, std::shared_ptr<Shell>> m_shells; // by upper-case ShellId
};

} // namespace aetherv::hostsim
