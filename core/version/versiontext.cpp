#include "core/version/versiontext.h"

#include <QStringDecoder>
#include <QStringList>

namespace aetherv::version {

namespace {

enum class Encoding { Utf8, Utf16Le, Utf16Be };

// Without a BOM, UTF-16 shows itself through NUL bytes: ASCII text in UTF-16 LE has them at
// every odd offset, in UTF-16 BE at every even offset. NUL padding in UTF-8 text does not.
Encoding sniff(QByteArrayView raw, qsizetype &skip)
{
    skip = 0;
    if (raw.size() >= 3 && uchar(raw[0]) == 0xEF && uchar(raw[1]) == 0xBB
        && uchar(raw[2]) == 0xBF) {
        skip = 3;
        return Encoding::Utf8;
    }
    if (raw.size() >= 2 && uchar(raw[0]) == 0xFF && uchar(raw[1]) == 0xFE) {
        skip = 2;
        return Encoding::Utf16Le;
    }
    if (raw.size() >= 2 && uchar(raw[0]) == 0xFE && uchar(raw[1]) == 0xFF) {
        skip = 2;
        return Encoding::Utf16Be;
    }
    qsizetype evenNul = 0, oddNul = 0;
    const qsizetype n = raw.size() & ~qsizetype(1);
    for (qsizetype i = 0; i < n; i += 2) {
        if (raw[i] == '\0')
            ++evenNul;
        if (raw[i + 1] == '\0')
            ++oddNul;
    }
    const qsizetype pairs = n / 2;
    // Version text is ASCII, so in UTF-16 every high byte is NUL: demand exactly that.
    if (pairs > 0 && oddNul == pairs && evenNul < pairs)
        return Encoding::Utf16Le;
    if (pairs > 0 && evenNul == pairs && oddNul < pairs)
        return Encoding::Utf16Be;
    return Encoding::Utf8;
}

} // namespace

QString normaliseVersionText(QByteArrayView raw)
{
    qsizetype skip = 0;
    const Encoding enc = sniff(raw, skip);
    raw = raw.sliced(skip);

    QString text;
    if (enc == Encoding::Utf8) {
        QByteArray bytes = raw.toByteArray();
        bytes.replace('\0', QByteArrayView());
        text = QString::fromUtf8(bytes);
    } else {
        QStringDecoder decoder(enc == Encoding::Utf16Le ? QStringDecoder::Utf16LE
                                                        : QStringDecoder::Utf16BE);
        text = decoder.decode(raw);
        text.remove(QChar(0));
    }
    text.remove(QChar(0xFEFF));
    text.remove(QChar::ReplacementCharacter);

    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            return trimmed;
    }
    return {};
}

} // namespace aetherv::version
