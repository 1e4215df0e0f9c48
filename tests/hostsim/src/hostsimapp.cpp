#include "hostsimapp.h"

#include "hostfaults.h"
#include "hostsimlog.h"
#include "simhost.h"
#include "workerpool.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace aetherv::hostsim {

using namespace Qt::StringLiterals;

namespace {
int signalPipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
} // namespace

HostSimApp::HostSimApp(HostSimOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_startup.start();
}

HostSimApp::~HostSimApp()
{
    qDeleteAll(m_hosts);
    m_hosts.clear();
    delete m_pool;
    if (!m_quotaFile.isEmpty())
        QFile::remove(m_quotaFile);
}

Result<void> HostSimApp::start()
{
    // gss-ntlmssp and MIT krb5 read their acceptor material from the environment.
    if (!m_options.usersFile.isEmpty()) {
        auto users = UserDirectory::load(m_options.usersFile);
        if (!users)
            return std::unexpected(users.error());
        m_users = std::move(*users);
        qputenv("NTLM_USER_FILE", QFile::encodeName(m_options.usersFile));
    }
    if (!m_options.keytab.isEmpty()) {
        if (!QFileInfo::exists(m_options.keytab))
            return fail(ErrorCode::Configuration, u"The keytab does not exist."_s,
                        m_options.keytab);
        qputenv("KRB5_KTNAME", QFile::encodeName(u"FILE:"_s + m_options.keytab));
    }
    for (const QString &file :
         {m_options.workerAssembly, m_options.workerScript, m_options.quotaLibrary})
        if (!QFileInfo::exists(file))
            return fail(ErrorCode::Configuration,
                        u"The pwsh worker is missing; build the aetherv-hostsim target."_s, file);

    QSslConfiguration tls;
    if (m_options.https) {
        QFile certFile(m_options.certFile);
        QFile keyFile(m_options.keyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Tls, u"Cannot read --cert or --key."_s);
        const auto certs = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (certs.isEmpty() || key.isNull())
            return fail(ErrorCode::Tls, u"--cert or --key is not valid PEM (RSA or EC key)."_s);
        tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(certs);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    if (!QDir().mkpath(m_options.root))
        return fail(ErrorCode::Io, u"Cannot create the hosts' root directory."_s, m_options.root);
    // The diskQuotaBytes fault: the workers preload the quota library, which reads this file.
    m_quotaFile
        = QDir(m_options.root)
              .absoluteFilePath(u".hostsim-quotas-%1"_s.arg(QCoreApplication::applicationPid()));
    QFile::remove(m_quotaFile);
    m_pool = new WorkerPool(m_options.pwsh, m_options.workerScript, m_options.workerAssembly,
                            m_options.workers);
    m_pool->setPreload(m_options.quotaLibrary, m_quotaFile);
    connect(m_pool, &WorkerPool::ready, this, &HostSimApp::onWorkersReady);

    for (qsizetype i = 0; i < m_options.hostNames.size(); ++i) {
        auto *host = new SimHost(m_options, m_options.hostNames.at(i), m_pool,
                                 m_users ? &*m_users : nullptr, tls);
        m_hosts << host;
        const quint16 port = m_options.basePort == 0 ? 0 : quint16(m_options.basePort + i);
        if (auto listening = host->listen(port); !listening)
            return listening;
    }
    if (!m_options.faultsFile.isEmpty()) {
        reloadFaults("start");
        m_watcher.addPath(m_options.faultsFile);
        connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
            // Editors and QSaveFile replace the file: watch the new one too.
            if (!m_watcher.files().contains(m_options.faultsFile))
                m_watcher.addPath(m_options.faultsFile);
            reloadFaults("file changed");
        });
    }
    installSignalHandlers();
    m_pool->start();
    return {};
}

void HostSimApp::installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    m_signalNotifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
    connect(m_signalNotifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(signalPipe[0], &byte, 1) != 1)
            return;
        if (byte == SIGHUP) {
            reloadFaults("SIGHUP");
        } else {
            qCInfo(lcHostSim) << "stopping on signal" << int(byte);
            QCoreApplication::quit();
        }
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

void HostSimApp::reloadFaults(const char *why)
{
    const auto faults = FaultsFile::load(m_options.faultsFile);
    if (!faults) {
        qCWarning(lcHostSim).noquote()
            << "faults not reloaded (" << why << "):" << faults.error().toString();
        announce(QJsonObject{{u"event"_s, u"faults-rejected"_s},
                             {u"reason"_s, QString::fromLatin1(why)},
                             {u"error"_s, faults.error().toString()}});
        return;
    }
    QByteArray quotas;
    for (SimHost *host : std::as_const(m_hosts)) {
        const HostFaults hostFaults = faults->forHost(host->name());
        host->setFaults(hostFaults);
        if (const QString summary = hostFaults.summary(); !summary.isEmpty())
            qCInfo(lcHostSim).noquote() << host->name() << "faults:" << summary;
        if (hostFaults.diskQuotaBytes >= 0)
            quotas += QByteArray::number(hostFaults.diskQuotaBytes) + '\t'
                      + QFile::encodeName(QFileInfo(host->driveRoot()).canonicalFilePath()) + '\n';
    }
    if (!writeQuotas(quotas))
        qCWarning(lcHostSim).noquote() << "cannot write the disk quota file" << m_quotaFile;
    qCInfo(lcHostSim) << "faults loaded (" << why << ")";
    announce(
        QJsonObject{{u"event"_s, u"faults-loaded"_s}, {u"reason"_s, QString::fromLatin1(why)}});
}

void HostSimApp::announce(const QJsonObject &event)
{
    if (!m_announced)
        return; // nothing but the ready line comes first
    std::fputs(QJsonDocument(event).toJson(QJsonDocument::Compact).append('\n').constData(),
               stdout);
    std::fflush(stdout);
}

bool HostSimApp::writeQuotas(const QByteArray &lines)
{
    // Replaced in one rename: a worker never reads half a file.
    QSaveFile file(m_quotaFile);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(lines);
    return file.commit();
}

void HostSimApp::onWorkersReady()
{
    if (m_announced)
        return;
    m_announced = true;
    QJsonArray hosts;
    for (const SimHost *host : std::as_const(m_hosts))
        hosts.append(QJsonObject{
            {u"name"_s, host->name()}, {u"url"_s, host->url()}, {u"root"_s, host->driveRoot()}});
    const QJsonObject ready{{u"event"_s, u"ready"_s}, {u"hosts"_s, hosts}};
    std::fputs(QJsonDocument(ready).toJson(QJsonDocument::Compact).append('\n').constData(),
               stdout);
    std::fflush(stdout);
    qCInfo(lcHostSim) << m_hosts.size() << "hosts ready after" << m_startup.elapsed() << "ms with"
                      << m_options.workers << "pwsh workers";
}

} // namespace aetherv::hostsim
