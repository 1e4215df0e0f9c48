#include "core/winrm/connectionsettings.h"

namespace aetherv::winrm {

QString authMechanismName(AuthMechanism mechanism)
{
    switch (mechanism) {
    case AuthMechanism::Negotiate:
        return QStringLiteral("negotiate");
    case AuthMechanism::Ntlm:
        return QStringLiteral("ntlm");
    case AuthMechanism::Kerberos:
        return QStringLiteral("kerberos");
    case AuthMechanism::Basic:
        return QStringLiteral("basic");
    }
    return QStringLiteral("negotiate");
}

} // namespace aetherv::winrm
