#include "core/config/hostaddress.h"

#include <QHostAddress>
#include <QStringList>
#include <QUrl>

namespace aetherv::config {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isLabelChar(QChar c)
{
    return isAsciiDigit(c) || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'-';
}

bool looksLikeIPv4(QStringView s)
{
    for (QChar c : s) {
        if (!isAsciiDigit(c) && c != u'.')
            return false;
    }
    return true;
}

bool isStrictIPv4(QStringView s)
{
    const QList<QStringView> parts = s.split(u'.');
    if (parts.size() != 4)
        return false;
    for (QStringView part : parts) {
        if (part.isEmpty() || part.size() > 3)
            return false;
        if (part.size() > 1 && part.front() == u'0')
            return false; // "010" reads as octal in some resolvers
        if (part.toInt() > 255)
            return false;
    }
    return true;
}

bool hasNonAscii(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() > 0x7f)
            return true;
    }
    return false;
}

// Invisible and layout characters (zero-width space, bidi overrides, non-ASCII spaces, control
// characters; surrogate halves of emoji are left to IDNA): IDNA maps some of them away, so
// "hv\u200b01" would look like hv01 in the table while being another entry, and bidi overrides make
// a name display as something else.
bool isInvisible(QChar c)
{
    switch (c.category()) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_NotAssigned:
    case QChar::Other_PrivateUse:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    case QChar::Separator_Space:
        return c != u' ';
    default:
        return false;
    }
}

QString codePoint(QChar c)
{
    return u"U+" + QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0');
}

// The address as it may be shown: invisible characters as <U+200B> and the like, so that an error
// message never carries a bidi override or a control character to the operator's screen.
QString shown(QStringView address)
{
    QString out;
    for (QChar c : address) {
        if (isInvisible(c))
            out += u'<' + codePoint(c) + u'>';
        else
            out += c;
    }
    return out;
}

Result<HostAddressKind> invalid(QStringView address, const QString &why)
{
    return fail(ErrorCode::InvalidInput,
                u"'" + shown(address) + u"' is not a valid host address: " + why);
}

Result<HostAddressKind> classifyDnsName(QStringView address)
{
    QString name = address.toString();
    if (name.endsWith(u'.'))
        name.chop(1);
    for (QChar c : name) {
        if (isInvisible(c)) {
            return invalid(address,
                           u"it contains the invisible character " + codePoint(c)
                               + u". Retype the name; copied text often carries such characters.");
        }
    }
    if (hasNonAscii(name)) {
        const QByteArray ace = QUrl::toAce(name);
        if (ace.isEmpty()) {
            return invalid(address, QStringLiteral("it is not a valid international domain name. "
                                                   "Use the name's ASCII (xn--) form."));
        }
        name = QString::fromLatin1(ace);
    }
    if (name.isEmpty())
        return invalid(address, QStringLiteral("it has no name before the final dot."));
    if (name.size() > 253) {
        return invalid(address, QStringLiteral("it is %1 characters long; DNS names have at most "
                                               "253. Use a shorter name or the IP address.")
                                    .arg(name.size()));
    }
    const QStringList labels = name.split(u'.');
    for (const QString &label : labels) {
        if (label.isEmpty()) {
            return invalid(address, QStringLiteral("it has an empty part between two dots. Remove "
                                                   "the extra dot."));
        }
        if (label.size() > 63) {
            return invalid(
                address, QStringLiteral("the part '%1' is longer than 63 characters.").arg(label));
        }
        for (QChar c : label) {
            if (!isLabelChar(c)) {
                return invalid(address,
                               QStringLiteral("'%1' may not appear in a host name; use letters, "
                                              "digits, '-' and '.' only.")
                                   .arg(c == u' ' ? QStringLiteral("space") : QString(c)));
            }
        }
        if (label.startsWith(u'-') || label.endsWith(u'-')) {
            return invalid(address,
                           QStringLiteral("the part '%1' starts or ends with '-'.").arg(label));
        }
    }
    return HostAddressKind::DnsName;
}

} // namespace

Result<HostAddressKind> classifyHostAddress(QStringView address)
{
    if (address.trimmed().isEmpty())
        return fail(ErrorCode::InvalidInput, QStringLiteral("The host address is empty."));
    if (address.startsWith(u'[') || address.endsWith(u']')) {
        return invalid(address, QStringLiteral("write an IPv6 address without brackets, and the "
                                               "port in its own field."));
    }
    if (address.contains(u':')) {
        if (address.contains(u'%')) {
            return invalid(address, QStringLiteral("IPv6 zone ids (%interface) are not supported. "
                                                   "Use a global IPv6 address or a host name."));
        }
        QHostAddress ip;
        if (!ip.setAddress(address.toString()) || ip.protocol() != QAbstractSocket::IPv6Protocol) {
            return invalid(address, QStringLiteral("it has ':' but is not an IPv6 address. Write "
                                                   "the port in its own field."));
        }
        return HostAddressKind::IPv6;
    }
    if (looksLikeIPv4(address)) {
        if (!isStrictIPv4(address)) {
            return invalid(address, QStringLiteral("it looks like an IPv4 address but is not one "
                                                   "(four numbers 0-255 separated by dots, no "
                                                   "leading zeros)."));
        }
        return HostAddressKind::IPv4;
    }
    return classifyDnsName(address);
}

QString normalizedHostAddress(QStringView address)
{
    const auto kind = classifyHostAddress(address);
    if (!kind)
        return address.toString().toLower();
    switch (*kind) {
    case HostAddressKind::IPv6:
        return QHostAddress(address.toString()).toString().toLower();
    case HostAddressKind::IPv4:
        return address.toString();
    case HostAddressKind::DnsName:
        break;
    }
    QString name = address.toString();
    if (name.endsWith(u'.'))
        name.chop(1);
    if (hasNonAscii(name))
        name = QString::fromLatin1(QUrl::toAce(name));
    return name.toLower();
}

bool isLoopbackHost(QStringView address)
{
    const QString normal = normalizedHostAddress(address);
    if (normal == u"localhost" || normal.endsWith(u".localhost"))
        return true;
    const auto kind = classifyHostAddress(address);
    if (!kind || *kind == HostAddressKind::DnsName)
        return false;
    return QHostAddress(normal).isLoopback();
}

bool isUnspecifiedHost(QStringView address)
{
    const auto kind = classifyHostAddress(address);
    if (!kind || *kind == HostAddressKind::DnsName)
        return false;
    const QHostAddress ip(address.toString());
    return ip == QHostAddress(QHostAddress::AnyIPv4) || ip == QHostAddress(QHostAddress::AnyIPv6);
}

} // namespace aetherv::config
