#include "core/winrm/clixml.h"

#include <QXmlStreamReader>

namespace aetherv::winrm::clixml {

namespace {
const QString marker = QStringLiteral("#< CLIXML");

bool isHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}
} // namespace

bool isClixml(const QString &stderrText)
{
    return stderrText.trimmed().startsWith(marker);
}

QString decodeEscapes(const QString &text)
{
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.at(i) == u'_' && i + 6 < text.size() && text.at(i + 1) == u'x'
            && text.at(i + 6) == u'_' && isHex(text.at(i + 2)) && isHex(text.at(i + 3))
            && isHex(text.at(i + 4)) && isHex(text.at(i + 5))) {
            out.append(QChar(static_cast<char16_t>(text.mid(i + 2, 4).toUShort(nullptr, 16))));
            i += 7;
            continue;
        }
        out.append(text.at(i));
        ++i;
    }
    return out;
}

QString toText(const QString &stderrText)
{
    if (!isClixml(stderrText))
        return stderrText;
    // Every "#< CLIXML" line starts another <Objs> document; wrap them in one root to read all.
    QString body = stderrText;
    body.replace(marker, QString());
    QXmlStreamReader r(u"<root>" + body + u"</root>");
    QString out;
    int progressDepth = 0;
    int depth = 0;
    while (!r.atEnd()) {
        const auto token = r.readNext();
        if (token == QXmlStreamReader::StartElement) {
            ++depth;
            if (r.name() == u"Obj" && r.attributes().value(QLatin1String("S")) == u"progress") {
                progressDepth = depth;
                continue;
            }
            if (progressDepth == 0 && r.name() == u"S") {
                const QString stream = r.attributes().value(QLatin1String("S")).toString();
                const QString text = decodeEscapes(r.readElementText());
                --depth; // readElementText consumed the end element
                if (stream == u"Error" || stream.isEmpty()) {
                    out.append(text);
                } else {
                    out.append(stream.toUpper() + u": " + text);
                    if (!text.endsWith(u'\n'))
                        out.append(u'\n');
                }
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (depth == progressDepth)
                progressDepth = 0;
            --depth;
        }
    }
    if (r.hasError() && out.isEmpty())
        return stderrText; // not well-formed: show it as it came
    return out;
}

} // namespace aetherv::winrm::clixml
