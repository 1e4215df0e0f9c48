#include "kdcfixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace aetherv::testsupport {

using namespace Qt::StringLiterals;

KdcFixture::~KdcFixture()
{
    stop();
}

QString KdcFixture::script()
{
    return qEnvironmentVariable("AETHERV_SOURCE_DIR") + u"/tests/support/kdc/kdc-fixture.sh"_s;
}

bool KdcFixture::start(const QString &realm, const QString &user, const QString &password,
                       const QStringList &hosts)
{
    if (!m_dir.isValid()) {
        m_error = u"no temporary directory"_s;
        return false;
    }
    QProcess process;
    process.start(script(),
                  QStringList{u"start"_s, m_dir.path(), realm, u"0"_s, user, password} + hosts);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = QString::fromUtf8(process.readAllStandardError());
        return false;
    }
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QJsonObject ready = QJsonDocument::fromJson(lines.last()).object();
    if (ready.value(u"event"_s).toString() != u"kdc-ready") {
        m_error = u"the KDC fixture did not report ready"_s;
        return false;
    }
    m_running = true;
    m_realm = realm;
    m_user = user;
    m_port = quint16(ready.value(u"port"_s).toInt());
    m_krb5Config = ready.value(u"krb5_config"_s).toString();
    m_keytab = ready.value(u"keytab"_s).toString();
    return true;
}

bool KdcFixture::kinit(const QString &password)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"KRB5_CONFIG"_s, m_krb5Config);
    env.insert(u"KRB5CCNAME"_s, u"FILE:"_s + credentialsCache());
    process.setProcessEnvironment(env);
    process.start(u"kinit"_s, {m_user + u'@' + m_realm});
    process.write((password + u'\n').toUtf8());
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        m_error = QString::fromUtf8(process.readAllStandardError());
        return false;
    }
    return true;
}

void KdcFixture::stop()
{
    if (!m_running)
        return;
    QProcess::execute(script(), {u"stop"_s, m_dir.path()});
    m_running = false;
}

} // namespace aetherv::testsupport
