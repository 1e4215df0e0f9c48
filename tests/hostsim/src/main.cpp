// aetherv-hostsim: simulated Hyper-V hosts speaking WinRM, backed by real PowerShell 7.
#include "hostsimapp.h"
#include "hostsimoptions.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("aetherv-hostsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AETHERV_VERSION_STRING));

    auto options = aetherv::hostsim::parseHostSimOptions(QCoreApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "%s\n", qPrintable(options.error().toString()));
        return 2;
    }
    aetherv::hostsim::HostSimApp hostsim(std::move(*options));
    if (const auto started = hostsim.start(); !started) {
        std::fprintf(stderr, "aetherv-hostsim: %s\n", qPrintable(started.error().toString()));
        return 1;
    }
    return QCoreApplication::exec();
}
