#include "core/deploy/rolloutsummary.h"

#include <QCoreApplication>

namespace aetherv::deploy {

QString rolloutStateName(RolloutState s)
{
    switch (s) {
    case RolloutState::Idle:
        return QStringLiteral("idle");
    case RolloutState::Running:
        return QStringLiteral("running");
    case RolloutState::Succeeded:
        return QStringLiteral("succeeded");
    case RolloutState::Failed:
        return QStringLiteral("failed");
    case RolloutState::Cancelled:
        return QStringLiteral("cancelled");
    case RolloutState::Disabled:
        return QStringLiteral("disabled");
    case RolloutState::NoHosts:
        return QStringLiteral("no-hosts");
    }
    return QStringLiteral("unknown");
}

QJsonObject RolloutSummary::toJson() const
{
    QJsonObject o{{QStringLiteral("state"), rolloutStateName(state)},
                  {QStringLiteral("bundleVersion"), bundleVersion},
                  {QStringLiteral("total"), total},
                  {QStringLiteral("completed"), completed},
                  {QStringLiteral("succeeded"), succeeded},
                  {QStringLiteral("deployed"), deployed},
                  {QStringLiteral("failed"), failed},
                  {QStringLiteral("skipped"), skipped},
                  {QStringLiteral("readyHosts"), readyHosts},
                  {QStringLiteral("profileHosts"), profileHosts},
                  {QStringLiteral("provisioningAvailable"), provisioningAvailable},
                  {QStringLiteral("banner"), bannerText(*this)}};
    if (!disabledReason.isEmpty())
        o.insert(QStringLiteral("disabledReason"), disabledReason);
    if (!lastError.isEmpty()) {
        o.insert(QStringLiteral("lastError"), lastError);
        o.insert(QStringLiteral("lastErrorHost"), lastErrorHost);
    }
    if (startedAt.isValid())
        o.insert(QStringLiteral("startedAt"), startedAt.toString(Qt::ISODateWithMs));
    if (finishedAt.isValid())
        o.insert(QStringLiteral("finishedAt"), finishedAt.toString(Qt::ISODateWithMs));
    return o;
}

QString bannerText(const RolloutSummary &s)
{
    // Every string is spelled out at its QCoreApplication::translate call so lupdate files it
    // under "RolloutSummary"; values are filled in one multi-argument pass, so text from a host
    // never turns into a placeholder.
    const QString n = QString::number(s.profileHosts);
    const QString ready = s.provisioningAvailable
                              ? QCoreApplication::translate(
                                    "RolloutSummary", "provisioning available on %1 of %2 hosts")
                                    .arg(QString::number(s.readyHosts), n)
                              : QCoreApplication::translate(
                                  "RolloutSummary", "provisioning unavailable: no host is ready");
    switch (s.state) {
    case RolloutState::Disabled:
        return QCoreApplication::translate("RolloutSummary", "Agent deployment disabled: %1")
            .arg(s.disabledReason);
    case RolloutState::NoHosts:
        return QCoreApplication::translate(
            "RolloutSummary", "Agent deployment: this profile has no hosts; add hosts to deploy");
    case RolloutState::Idle:
        return QCoreApplication::translate(
                   "RolloutSummary", "Agent deployment: bundle %1 ready; hosts not checked yet")
            .arg(s.bundleVersion);
    case RolloutState::Running: {
        QString t = QCoreApplication::translate("RolloutSummary",
                                                "Agent deployment running: %1 of %2 hosts complete")
                        .arg(QString::number(s.completed), QString::number(s.total));
        if (s.failed > 0)
            t += u", "
                 + QCoreApplication::translate("RolloutSummary", "%n failed", nullptr, s.failed);
        return t + u"; " + ready;
    }
    case RolloutState::Succeeded:
        if (s.skipped > 0) {
            return QCoreApplication::translate("RolloutSummary",
                                               "Agent deployment complete: %1 hosts run bundle %2, "
                                               "%3 left alone (newer version); %4")
                .arg(QString::number(s.succeeded), s.bundleVersion, QString::number(s.skipped),
                     ready);
        }
        return QCoreApplication::translate("RolloutSummary",
                                           "Agent deployment complete: all %n hosts run bundle %1; "
                                           "%2",
                                           nullptr, s.succeeded)
            .arg(s.bundleVersion, ready);
    case RolloutState::Failed:
        return QCoreApplication::translate("RolloutSummary",
                                           "Agent deployment finished with %n failed host(s) of "
                                           "%1; last error on %2: %3; %4",
                                           nullptr, s.failed)
            .arg(QString::number(s.total), s.lastErrorHost, s.lastError, ready);
    case RolloutState::Cancelled:
        return QCoreApplication::translate("RolloutSummary",
                                           "Agent deployment cancelled after %1 of %2 hosts; %3")
            .arg(QString::number(s.completed), QString::number(s.total), ready);
    }
    return {};
}

BannerLevel bannerLevel(const RolloutSummary &s)
{
    switch (s.state) {
    case RolloutState::Disabled:
        return BannerLevel::Error;
    case RolloutState::NoHosts:
        return BannerLevel::Warning;
    case RolloutState::Idle:
        return BannerLevel::Info;
    case RolloutState::Running:
        return s.failed > 0 ? BannerLevel::Warning : BannerLevel::Progress;
    case RolloutState::Succeeded:
        return BannerLevel::Success;
    case RolloutState::Failed:
        return BannerLevel::Error;
    case RolloutState::Cancelled:
        return BannerLevel::Warning;
    }
    return BannerLevel::Info;
}

} // namespace aetherv::deploy
