#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace aetherv::testsupport {

// A throwaway MIT KDC on loopback (tests/support/kdc/kdc-fixture.sh): a temporary realm, the
// user and HTTP/<host> principals, a keytab for the simulated hosts. Stopped on destruction.
class KdcFixture
{
public:
    KdcFixture() = default;
    ~KdcFixture();
    KdcFixture(const KdcFixture &) = delete;
    KdcFixture &operator=(const KdcFixture &) = delete;

    // hosts: simulated host names; each gets HTTP/<lower-case name>@realm.
    bool start(const QString &realm, const QString &user, const QString &password,
               const QStringList &hosts);
    void stop();

    // Obtains a ticket for the user into credentialsCache() (kinit).
    bool kinit(const QString &password);

    QString realm() const { return m_realm; }
    quint16 port() const { return m_port; }
    QString krb5Config() const { return m_krb5Config; } // set KRB5_CONFIG to this
    QString keytab() const { return m_keytab; }         // pass to aetherv-hostsim --keytab
    QString credentialsCache() const { return m_dir.path() + QStringLiteral("/ccache"); }
    QString errorString() const { return m_error; }

    static QString script();

private:
    QTemporaryDir m_dir;
    QString m_realm;
    QString m_user;
    quint16 m_port = 0;
    QString m_krb5Config;
    QString m_keytab;
    QString m_error;
    bool m_running = false;
};

} // namespace aetherv::testsupport
