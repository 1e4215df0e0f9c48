#include "core/provision/provisioninggate.h"

#include <QCoreApplication>

namespace aetherv::provision {

using deploy::HostState;
using deploy::Readiness;

namespace {

// The translation context of the gate's reasons.
class ProvisioningGate
{
    Q_DECLARE_TR_FUNCTIONS(ProvisioningGate)
};

} // namespace

GateDecision decideGate(const GateInput &in)
{
    if (!in.knownHost)
        return {GateAction::Refuse, ProvisioningGate::tr("not a host of this profile")};
    if (!in.serviceEnabled)
        return {GateAction::Refuse,
                ProvisioningGate::tr(
                    "agent deployment is disabled (%1): provisioning needs the console's bundle "
                    "on the host")
                    .arg(in.disabledReason)};
    const deploy::HostStatus &s = in.status;
    switch (in.readiness.readiness) {
    case Readiness::Ready:
        if (s.hostVersion == in.bundleVersion && s.hostDigest == in.bundleDigest)
            return {GateAction::Start,
                    ProvisioningGate::tr("the host runs agent %1 (manifest %2), verified")
                        .arg(s.hostVersion, QString::fromLatin1(s.hostDigest.left(12)))};
        // Ready for another bundle than ours: have it brought to ours.
        return {in.setupRequested ? GateAction::Wait : GateAction::RequestSetup,
                ProvisioningGate::tr("waiting: the host runs agent %1, the console ships %2")
                    .arg(s.hostVersion, in.bundleVersion)};
    case Readiness::Updating:
        return {GateAction::Wait,
                ProvisioningGate::tr("waiting for the host's agent: %1")
                    .arg(in.readiness.reason.isEmpty() ? deploy::hostStateLabel(s.state)
                                                       : in.readiness.reason)};
    case Readiness::Failed: {
        QString reason = ProvisioningGate::tr("the host's agent deployment failed: %1")
                             .arg(in.readiness.reason);
        if (in.readiness.nextRetry.isValid())
            reason += u' '
                      + ProvisioningGate::tr("(next automatic retry after %1)")
                            .arg(in.readiness.nextRetry.toLocalTime().toString(Qt::ISODate));
        return {GateAction::Refuse, reason};
    }
    case Readiness::Unknown:
        break;
    }
    if (!in.setupRequested)
        return {GateAction::RequestSetup,
                ProvisioningGate::tr("waiting: checking the host's agent against bundle %1")
                    .arg(in.bundleVersion)};
    if (s.state == HostState::Ahead)
        return {GateAction::Refuse,
                ProvisioningGate::tr(
                    "the host runs agent %1, newer than the console's bundle %2; provisioning "
                    "runs only with the console's bundle")
                    .arg(s.hostVersion, in.bundleVersion)};
    if (s.state == HostState::Unknown || s.state == HostState::Checking)
        return {GateAction::Wait, ProvisioningGate::tr("waiting: checking the host's agent")};
    return {GateAction::Refuse,
            ProvisioningGate::tr("the host's agent is not ready: %1")
                .arg(in.readiness.reason.isEmpty() ? deploy::hostStateLabel(s.state)
                                                   : in.readiness.reason)};
}

GateInput gateInputFor(const deploy::HostDeploymentService &service, const QString &host,
                       const QString &bundleVersion, const QByteArray &bundleDigest)
{
    GateInput in;
    in.knownHost = service.settings().hosts.contains(host, Qt::CaseInsensitive)
                   || !service.status(host).host.isEmpty();
    in.serviceEnabled = service.isEnabled();
    in.disabledReason = service.disabledReason();
    in.readiness = service.inventoryReadiness(host);
    in.status = service.status(host);
    in.bundleVersion = bundleVersion;
    in.bundleDigest = bundleDigest;
    return in;
}

} // namespace aetherv::provision
