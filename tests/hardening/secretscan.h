#pragma once

// The forms a WinRM password could take on its way out: the text itself, its Basic-auth base64,
// the NT hash (MD4 of UTF-16LE) and the NTLMv2 key derived from it, in hex and base64, and the
// marks of an Authorization header or NTLM token. leaks() names every form found in a text.
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QString>
#include <QStringList>

namespace aetherv::hardeningtest {

class SecretScan
{
public:
    SecretScan(const QString &password, const QString &user, const QString &domain)
    {
        const QByteArray utf16(reinterpret_cast<const char *>(password.utf16()),
                               password.size() * 2);
        const QByteArray nt = QCryptographicHash::hash(utf16, QCryptographicHash::Md4);
        const QString ud = user.toUpper() + domain;
        const QByteArray ntv2 = QMessageAuthenticationCode::hash(
            QByteArray(reinterpret_cast<const char *>(ud.utf16()), ud.size() * 2), nt,
            QCryptographicHash::Md5);
        m_forms = {
            {u"password"_qs, password.toUtf8()},
            {u"password (base64)"_qs, password.toUtf8().toBase64()},
            {u"user:password (Basic)"_qs, QString(user + u':' + password).toUtf8().toBase64()},
            {u"NT hash (hex)"_qs, nt.toHex()},
            {u"NT hash (HEX)"_qs, nt.toHex().toUpper()},
            {u"NT hash (base64)"_qs, nt.toBase64()},
            {u"NTLMv2 key (hex)"_qs, ntv2.toHex()},
            {u"NTLMv2 key (HEX)"_qs, ntv2.toHex().toUpper()},
            {u"NTLM token (base64 NTLMSSP)"_qs, QByteArrayLiteral("TlRMTVNTUA")},
            {u"Authorization header"_qs, QByteArrayLiteral("Authorization: ")},
            {u"Negotiate token"_qs, QByteArrayLiteral("Negotiate TlRM")},
            {u"Negotiate token (SPNEGO)"_qs, QByteArrayLiteral("Negotiate YI")},
        };
    }

    QStringList leaks(const QByteArray &text) const
    {
        QStringList found;
        for (const auto &[name, bytes] : m_forms) {
            if (text.contains(bytes))
                found << name;
        }
        return found;
    }
    QByteArray password() const { return m_forms.first().second; }

private:
    QList<QPair<QString, QByteArray>> m_forms;
};

} // namespace aetherv::hardeningtest
