#include "core/deploy/ingressgate.h"

#include "core/artifacts/manifest.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace aetherv::deploy {

IngressGate::IngressGate(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    m_retry.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &IngressGate::poll);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_lastServedWrongContent) {
            done(fail(ErrorCode::Integrity,
                      QStringLiteral("artifact URL serves the wrong bundle: %1 was polled for %2 s "
                                     "and %3; publish this bundle there (aetherv-deploy publish "
                                     "--to DIR) or point AGENT_DOWNLOAD_BASE_URL at a copy of it")
                          .arg(m_url.toString())
                          .arg(m_timeoutSeconds)
                          .arg(m_lastProblem)));
            return;
        }
        done(
            fail(ErrorCode::Network,
                 QStringLiteral("artifact URL unreachable: %1 did not serve the bundle within %2 s "
                                "(%3); check AGENT_DOWNLOAD_BASE_URL and that the hosts can reach "
                                "it")
                     .arg(m_url.toString())
                     .arg(m_timeoutSeconds)
                     .arg(m_lastProblem.isEmpty() ? QStringLiteral("no answer") : m_lastProblem)));
    });
}

void IngressGate::start(const QUrl &baseUrl, const QByteArray &expectedDigest, int timeoutSeconds,
                        int intervalSeconds)
{
    cancel();
    QUrl url = baseUrl;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + QStringLiteral("manifest.json"));
    m_url = url;
    m_expected = expectedDigest;
    m_attempts = 0;
    m_lastProblem.clear();
    m_lastServedWrongContent = false;
    m_timeoutSeconds = timeoutSeconds;
    m_retry.setInterval(std::max(1, intervalSeconds) * 1000);
    m_running = true;
    m_deadline.start(std::max(1, timeoutSeconds) * 1000);
    poll();
}

void IngressGate::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    m_retry.stop();
    m_deadline.stop();
    if (m_reply)
        m_reply->abort();
}

void IngressGate::poll()
{
    if (!m_running)
        return;
    ++m_attempts;
    QNetworkRequest req(m_url);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setTransferTimeout(std::max(1000, int(m_retry.interval()) * 3));
    m_reply = m_nam->get(req);
    connect(m_reply, &QNetworkReply::finished, this, &IngressGate::onReply);
}

void IngressGate::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply || !m_running)
        return;
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
        const auto manifest = artifacts::Manifest::fromJson(reply->readAll());
        m_lastServedWrongContent = true;
        if (!manifest) {
            m_lastProblem
                = QStringLiteral("its manifest.json is not valid: ") + manifest.error().message;
        } else if (manifest->digest() != m_expected) {
            m_lastProblem
                = QStringLiteral("it serves a different bundle (%1 with digest %2, "
                                 "expected %3): the URL points at another console or a "
                                 "stale copy")
                      .arg(manifest->version(), QString::fromLatin1(manifest->digest().left(12)),
                           QString::fromLatin1(m_expected.left(12)));
        } else {
            done(true);
            return;
        }
    } else if (status != 0) {
        m_lastServedWrongContent = false;
        m_lastProblem = QStringLiteral("HTTP %1").arg(status);
    } else {
        m_lastServedWrongContent = false;
        m_lastProblem = reply->errorString();
    }
    m_retry.start();
}

void IngressGate::done(const Result<bool> &r)
{
    if (!m_running)
        return;
    m_running = false;
    m_retry.stop();
    m_deadline.stop();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished(r);
}

} // namespace aetherv::deploy
