#pragma once

#include "core/deploy/hostdeploymentservice.h"
#include "core/deploy/hoststatus.h"

#include <QByteArray>
#include <QString>

namespace aetherv::provision {

// Everything the gate looks at for one host, taken from HostDeploymentService at one moment.
struct GateInput
{
    bool knownHost = true;      // a host of the profile
    bool serviceEnabled = true; // the console has a bundle
    QString disabledReason;
    deploy::InventoryReadiness readiness;
    deploy::HostStatus status;
    QString bundleVersion;
    QByteArray bundleDigest;
    bool setupRequested = false; // this job already asked the service to set the host up
};

enum class GateAction {
    Start,        // the host runs the console's bundle: run the job now
    RequestSetup, // nobody is working on the host: ask the service to check/deploy, then wait
    Wait,         // the host is being checked or deployed: wait for it
    Refuse,       // the host cannot take the job (deployment failed, newer agent, ...)
};

struct GateDecision
{
    GateAction action = GateAction::Wait;
    QString reason; // for the operator; always set
};

// A job starts only on a host whose readiness is Ready and whose verified version and manifest
// digest equal the console's bundle. Pure: the same input gives the same decision.
GateDecision decideGate(const GateInput &input);

// The input for `host`, read from the service now.
GateInput gateInputFor(const deploy::HostDeploymentService &service, const QString &host,
                       const QString &bundleVersion, const QByteArray &bundleDigest);

} // namespace aetherv::provision
