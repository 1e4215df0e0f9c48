#pragma once

#include "hostfaults.h"
#include "hostsimoptions.h"
#include "httpconnection.h"

#include <QObject>
#include <QSslConfiguration>
#include <QTcpServer>

namespace aetherv::hostsim {

class ShellService;
class UserDirectory;
class WorkerPool;

// One simulated Windows host: a WinRM listener (HTTP or HTTPS) on its own port, authentication
// through GSSAPI (and Basic), message encryption, fault injection, and the WinRS shell service.
class SimHost : public QObject
{
    Q_OBJECT

public:
    SimHost(const HostSimOptions &options, QString name, WorkerPool *pool,
            const UserDirectory *users, const QSslConfiguration &tls, QObject *parent = nullptr);
    ~SimHost() override;

    Result<void> listen(quint16 port);
    QString name() const { return m_name; }
    QString url() const;
    QString driveRoot() const { return m_driveRoot; }
    void setFaults(const HostFaults &faults) { m_faults = faults; }
    const HostFaults &faults() const { return m_faults; }

private:
    void onConnection();
    void onRequest(HttpConnection *connection, const HttpRequest &request);
    void process(HttpConnection *connection, const HttpRequest &request);
    void serveSoap(HttpConnection *connection, const HttpRequest &request,
                   const QList<QPair<QByteArray, QByteArray>> &authHeaders);
    HttpResponse challenge() const;

    const HostSimOptions &m_options;
    QString m_name;
    QString m_driveRoot;
    WorkerPool *m_pool;
    const UserDirectory *m_users;
    QSslConfiguration m_tls;
    QTcpServer *m_server = nullptr;
    ShellService *m_shells = nullptr;
    HostFaults m_faults;
};

} // namespace aetherv::hostsim
