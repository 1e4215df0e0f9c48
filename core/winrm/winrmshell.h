#pragma once

#include "core/common/result.h"
#include "core/winrm/connectionsettings.h"
#include "core/winrm/wsmanenvelope.h"
#include "core/winrm/wsmantransport.h"

#include <QObject>

#include <functional>

// The shell operations of MS-WSMV over one transport: Create, Command, Send, Receive, Signal,
// Delete. Each call sends one request (one in flight), checks RelatesTo and maps faults; the
// Receive timeout fault is reported as "no output yet", not as an error.
namespace aetherv::winrm {

struct ReceiveResult
{
    QList<StreamChunk> streams;
    bool done = false;
    std::optional<qint64> exitCode;
    bool timedOut = false; // OperationTimeout passed without output: poll again
};

class WinRmShell : public QObject
{
    Q_OBJECT

public:
    WinRmShell(WsmanTransport *transport, const ConnectionSettings &settings,
               QObject *parent = nullptr);

    void create(const ShellOptions &options, std::function<void(Result<QString>)> done);
    void command(const QString &command, const QStringList &arguments, bool consoleModeStdin,
                 std::function<void(Result<QString>)> done);
    void send(const QString &commandId, const QByteArray &data, bool end,
              std::function<void(Result<void>)> done);
    void receive(const QString &commandId, std::function<void(Result<ReceiveResult>)> done);
    void signal(const QString &commandId, const QString &code, std::chrono::milliseconds timeout,
                std::function<void(Result<void>)> done);
    void deleteShell(std::chrono::milliseconds timeout, std::function<void(Result<void>)> done);
    // Drops the request in flight; its callback is never called.
    void abort();

    QString shellId() const { return m_shellId; }
    bool isBusy() const { return m_busy; }
    RequestHeader header(const QString &resourceUri = {}) const;
    // Raw stdin bytes that fit one Send for this shell and command.
    qsizetype sendChunkSize(const QString &commandId) const;

private:
    using ReplyHandler = std::function<void(Result<WsmanReply>)>;
    void exchange(const QByteArray &envelope, const QString &messageId, bool repeatable,
                  std::chrono::milliseconds timeout, const QString &operation,
                  ReplyHandler handler);

    WsmanTransport *m_transport;
    ConnectionSettings m_settings;
    QString m_shellId;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace aetherv::winrm
