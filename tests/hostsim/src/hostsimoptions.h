#pragma once

#include "core/common/result.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace aetherv::hostsim {

// Everything aetherv-hostsim is told on its command line.
struct HostSimOptions
{
    QStringList hostNames;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 basePort = 0; // 0: one ephemeral port per host
    QString root;         // absolute; host X gets <root>/X/C
    QString usersFile;    // DOMAIN:user:password lines (gss-ntlmssp format)
    bool negotiate = true;
    bool kerberos = false;
    bool basic = false;
    bool https = false;
    QString certFile;
    QString keyFile;
    bool allowUnencrypted = false;
    QString keytab;
    QString faultsFile;
    int maxEnvelopeKb = 500;
    int maxShellsPerUser = 30;
    int maxTimeoutMs = 60000;
    int workers = 2;
    QString workerAssembly; // hostsim-worker.dll; default next to the executable
    QString workerScript;   // hostsim-worker.ps1; default next to the executable
    QString quotaLibrary;   // libaetherv-hostsim-quota.so (LD_PRELOAD of the workers), next to it
    QString pwsh;           // default: $AETHERV_PWSH, ~/.dotnet/tools/pwsh, then PATH
};

Result<HostSimOptions> parseHostSimOptions(const QStringList &arguments);

} // namespace aetherv::hostsim
