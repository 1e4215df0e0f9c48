#include "core/deploy/remotescriptexecutor.h"

#include <QJsonDocument>
#include <QStringList>

namespace aetherv::deploy {

ScriptOutputParser::ScriptOutputParser(QString scriptName,
                                       std::function<void(const QJsonObject &)> onProgress)
    : m_script(std::move(scriptName))
    , m_onProgress(std::move(onProgress))
{}

void ScriptOutputParser::feed(QByteArrayView bytes)
{
    m_pending.append(bytes);
    qsizetype nl;
    while ((nl = m_pending.indexOf('\n')) >= 0) {
        line(QByteArrayView(m_pending).first(nl));
        m_pending.remove(0, nl + 1);
    }
    if (m_pending.size() > 16 * 1024 * 1024) { // a "line" this long is not ours
        m_stray << QStringLiteral("(%1 bytes without a newline)").arg(m_pending.size());
        m_pending.clear();
    }
}

void ScriptOutputParser::line(QByteArrayView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        if (m_stray.size() < 5)
            m_stray << QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 200)));
        return;
    }
    const QJsonObject o = doc.object();
    const QString event = o.value(QStringLiteral("event")).toString();
    if (event == u"result") {
        ++m_results;
        m_result = o;
    } else if (event == u"progress" && m_onProgress) {
        m_onProgress(o);
    }
}

Result<QJsonObject> ScriptOutputParser::finish(int exitCode, const QString &stderrText)
{
    if (!m_pending.isEmpty()) {
        line(m_pending);
        m_pending.clear();
    }
    if (m_results == 1)
        return m_result;
    const QString err = stderrText.trimmed().left(2000);
    if (m_results == 0) {
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the remote script %1 ended (exit code %2) without a result: %3")
                        .arg(m_script)
                        .arg(exitCode)
                        .arg(err.isEmpty() ? QStringLiteral("no error text") : err),
                    m_stray.join(QStringLiteral(" | ")));
    }
    return fail(ErrorCode::Protocol,
                QStringLiteral("the remote script %1 wrote %2 results instead of one")
                    .arg(m_script)
                    .arg(m_results));
}

} // namespace aetherv::deploy
