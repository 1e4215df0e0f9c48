#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace aetherv::deploy {

// Before any host is told to download, proves the artifact URL the hosts will use serves the
// exact bundle: GET {baseUrl}/manifest.json until it answers 2xx with a valid manifest whose
// digest is the expected one, every `interval` until `timeout`. Emits finished() exactly once.
class IngressGate : public QObject
{
    Q_OBJECT
public:
    explicit IngressGate(QObject *parent = nullptr);
    void start(const QUrl &baseUrl, const QByteArray &expectedDigest, int timeoutSeconds,
               int intervalSeconds);
    void cancel();
    bool isRunning() const { return m_running; }
    QUrl manifestUrl() const { return m_url; }
    int attempts() const { return m_attempts; }
    QString lastProblem() const { return m_lastProblem; }

Q_SIGNALS:
    void finished(const aetherv::Result<bool> &result);

private:
    void poll();
    void onReply();
    void done(const Result<bool> &r);

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QTimer m_retry;
    QTimer m_deadline;
    QUrl m_url;
    QByteArray m_expected;
    QString m_lastProblem;
    // The URL answered, but with a manifest that is not this bundle's (stale or foreign copy) or
    // not a manifest at all: the hosts could reach it, it is the content that is wrong.
    bool m_lastServedWrongContent = false;
    int m_attempts = 0;
    int m_timeoutSeconds = 0;
    bool m_running = false;
};

} // namespace aetherv::deploy
