#include "core/winrm/streamdecoder.h"

namespace aetherv::winrm {

QStringList StreamDecoder::feed(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return {};
    m_bytes.append(bytes);
    const QString decoded = m_decoder.decode(bytes);
    m_text.append(decoded);
    m_pending.append(decoded);
    return takeLines(false);
}

QStringList StreamDecoder::finish()
{
    const QString tail = m_decoder.decode(QByteArrayView());
    // A truncated multi-byte sequence at the very end becomes one replacement character.
    QString rest = tail;
    if (m_decoder.hasError() && rest.isEmpty())
        rest = QString(QChar::ReplacementCharacter);
    m_text.append(rest);
    m_pending.append(rest);
    m_decoder.resetState();
    return takeLines(true);
}

QStringList StreamDecoder::takeLines(bool flush)
{
    QStringList lines;
    qsizetype start = 0;
    qsizetype nl;
    while ((nl = m_pending.indexOf(u'\n', start)) >= 0) {
        qsizetype end = nl;
        if (end > start && m_pending.at(end - 1) == u'\r')
            --end;
        lines.append(m_pending.mid(start, end - start));
        start = nl + 1;
    }
    m_pending.remove(0, start);
    if (flush && !m_pending.isEmpty()) {
        if (m_pending.endsWith(u'\r'))
            m_pending.chop(1);
        lines.append(m_pending);
        m_pending.clear();
    }
    return lines;
}

} // namespace aetherv::winrm
