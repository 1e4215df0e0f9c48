#include "core/winrm/streamdecoder.h"

namespace aetherv::winrm {

namespace {

// True when the bytes end inside a multi-byte UTF-8 sequence.
bool endsIncomplete(const QByteArray &bytes)
{
    const qsizetype n = bytes.size();
    for (qsizetype back = 1; back <= 4 && back <= n; ++back) {
        const auto c = static_cast<unsigned char>(bytes.at(n - back));
        if ((c & 0xc0) == 0x80)
            continue; // continuation byte: keep looking for the lead byte
        const int length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return length > back;
    }
    return false;
}

} // namespace

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
    // A truncated multi-byte sequence at the very end becomes one replacement character.
    QString rest;
    if (endsIncomplete(m_bytes))
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
