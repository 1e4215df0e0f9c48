#pragma once

#include "core/artifacts/agentbundle.h"
#include "core/common/result.h"

#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QUrl>

#include <memory>

namespace aetherv::artifacts {

struct ArtifactServerConfig
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;           // 0: an ephemeral port (see ArtifactServer::port())
    QString certificateFile;    // PEM; with privateKeyFile: serve HTTPS
    QString privateKeyFile;     // PEM
    int maxConnections = 512;   // beyond this a connection gets 503 and is closed
    int idleTimeoutMs = 60'000; // keep-alive idle time, and longest stall of a download
    bool zeroCopy = true;       // sendfile(2) for plain HTTP
    QString advertisedHost;     // host name in baseUrl(); default: the bind address
};

struct ArtifactServerStats
{
    QMap<int, quint64> requestsByStatus;
    quint64 bytesSent = 0;
    quint64 badRequests = 0;
    quint64 downloadsCompleted = 0;
    quint64 downloadsAborted = 0;
    quint64 connectionsRejected = 0;
    int activeDownloads = 0;
    int activeConnections = 0;
};

// The embedded HTTP(S) server the hosts download the bundle from.
//   GET|HEAD /agent/<name>       bundle files only (allow-list), Range/ETag/Last-Modified
//   GET|HEAD /agent/manifest.json
//   GET /healthz                 200 while the process serves
//   GET /readyz                  503 with the reason until a hashed bundle is set, then 200
//   GET /metrics                 Prometheus text format
// Lives on the thread that created it; that thread needs an event loop.
class ArtifactServer : public QObject
{
    Q_OBJECT
public:
    explicit ArtifactServer(ArtifactServerConfig config, QObject *parent = nullptr);
    ~ArtifactServer() override;

    Result<quint16> start();
    void stop();
    bool isListening() const;
    quint16 port() const;
    bool isHttps() const;
    QUrl baseUrl() const; // e.g. http://127.0.0.1:8080/agent

    void setBundle(std::shared_ptr<const BundleSnapshot> bundle);
    void setNotReady(const QString &reason);
    bool isReady() const;
    QString notReadyReason() const;
    std::shared_ptr<const BundleSnapshot> bundle() const;

    ArtifactServerStats stats() const;
    QByteArray metricsText() const;

Q_SIGNALS:
    void readinessChanged(bool ready);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace aetherv::artifacts
