// MainWindow: the rollout actions, the host context menu and the dialogs.

#include "ui/main/mainwindow.h"

#include "core/deploy/hostdeploymentservice.h"
#include "core/provision/provisioningservice.h"
#include "ui/credentials/credentialsdialog.h"
#include "ui/diagnostics/diagnosticsdialog.h"
#include "ui/hosts/hostfilterproxymodel.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/logs/hostlogbook.h"
#include "ui/logs/logpane.h"
#include "ui/profiles/profilesdialog.h"
#include "ui/provision/provisiondialog.h"
#include "ui/provision/provisioningjobspane.h"
#include "ui/session/consolesession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace aetherv::ui {

namespace {

// "a, b, c and 7 more": names the hosts in a confirmation without an endless dialog.
QString hostListText(const QStringList &hosts)
{
    constexpr int kShown = 12;
    if (hosts.size() <= kShown)
        return hosts.join(u", ");
    return MainWindow::tr("%1 and %n more", nullptr, int(hosts.size()) - kShown)
        .arg(hosts.mid(0, kShown).join(u", "));
}

} // namespace

void MainWindow::check()
{
    if (!m_session)
        return;
    const QStringList hosts = selectedHosts();
    m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("info"),
                      hosts.isEmpty() ? tr("Checking every host")
                                      : tr("Checking %1").arg(hostListText(hosts)));
    m_session->service()->check(hosts);
    updateActions();
}

void MainWindow::deployOutdated()
{
    if (!m_session)
        return;
    m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("info"),
                      tr("Deploying bundle to every host that needs it"));
    m_session->service()->deploy({}, false);
    updateActions();
}

void MainWindow::deploySelected()
{
    const QStringList hosts = selectedHosts();
    if (!m_session || hosts.isEmpty())
        return;
    m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("info"),
                      tr("Deploying bundle to %1").arg(hostListText(hosts)));
    m_session->service()->deploy(hosts, false);
    updateActions();
}

void MainWindow::forceRedeploy()
{
    const QStringList hosts = selectedHosts();
    if (!m_session || hosts.isEmpty())
        return;
    const QString profileName = m_session->profile().name;
    confirm(tr("Force redeploy"),
            tr("Redeploy bundle %1 to %n host(s) of profile %2, even where it is current?\n\n%3",
               nullptr, int(hosts.size()))
                .arg(m_session->bundle() ? m_session->bundle()->version : QString(), profileName,
                     hostListText(hosts)),
            [this, hosts, generation = m_sessionGeneration] {
                if (!m_session || generation != m_sessionGeneration)
                    return;
                m_logBook->append(QString(), QDateTime::currentDateTimeUtc(),
                                  QStringLiteral("warning"),
                                  tr("Force redeploy to %1").arg(hostListText(hosts)));
                m_session->service()->deploy(hosts, true);
                updateActions();
            });
}

void MainWindow::cancel()
{
    if (!m_session)
        return;
    // Every running operation: a selection in the table is not the scope of a cancel.
    m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("warning"),
                      tr("Cancelling the running operations"));
    m_session->service()->cancel();
    updateActions();
}

void MainWindow::smokeTest()
{
    const QStringList hosts = selectedHosts();
    if (!m_session || hosts.isEmpty())
        return;
    m_session->smokeTest(hosts);
    if (hosts.size() == 1)
        m_logPane->showHost(hosts.first());
}

void MainWindow::copyError()
{
    QStringList lines;
    for (const QString &h : selectedHosts()) {
        const int row = m_model->rowOfHost(h);
        if (row < 0)
            continue;
        const deploy::HostStatus &s = m_model->statusAt(row);
        lines << h + u": " + deploy::hostStateLabel(s.state)
                     + (s.message.isEmpty() ? QString() : u" — " + m_logBook->redact(s.message));
    }
    if (lines.isEmpty())
        return;
    QApplication::clipboard()->setText(lines.join(u'\n'));
    statusBar()->showMessage(tr("Copied %n message(s)", nullptr, int(lines.size())), 4000);
}

void MainWindow::showLog()
{
    const QStringList hosts = selectedHosts();
    m_logPane->showHost(hosts.isEmpty() ? QString() : hosts.first());
    m_logPane->setFocus();
}

void MainWindow::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (index.isValid() && !m_table->selectionModel()->isRowSelected(index.row(), {})) {
        m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                     | QItemSelectionModel::Rows);
    }
    if (selectedHosts().isEmpty())
        return;
    m_contextMenu->popup(m_table->viewport()->mapToGlobal(pos));
}

void MainWindow::showProfilesDialog()
{
    auto *dlg = new ProfilesDialog(m_profiles, m_currentId, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, [this, dlg] { applyEditedProfiles(dlg->profiles()); });
    dlg->open();
}

void MainWindow::applyEditedProfiles(const QList<config::Profile> &edited)
{
    if (m_ctx.profiles) {
        if (const Result<void> r = m_ctx.profiles->saveProfiles(edited); !r) {
            m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("error"),
                              tr("The profiles could not be saved: %1").arg(r.error().toString()));
            statusBar()->showMessage(
                tr("The profiles could not be saved: %1").arg(r.error().toString()));
            return;
        }
    }
    const auto old = std::ranges::find(m_profiles, m_currentId, &config::Profile::id);
    const std::optional<config::Profile> before
        = old != m_profiles.end() ? std::optional(*old) : std::nullopt;
    m_profiles = edited;
    Q_EMIT profilesSaved();
    const auto now = std::ranges::find(m_profiles, m_currentId, &config::Profile::id);
    if (now == m_profiles.end()) {
        // The current profile was deleted.
        endSession();
        m_currentId.clear();
        m_model->setStatuses({});
        refillProfileBox();
        if (!m_profiles.isEmpty())
            selectProfile(m_profiles.first().id);
        return;
    }
    refillProfileBox();
    if (!before || *before != *now || !m_session) {
        // The current profile changed: its session restarts with the new settings.
        m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("info"),
                          tr("Profile %1 changed; restarting its session").arg(now->name));
        selectProfile(m_currentId);
    }
}

void MainWindow::showCredentialsDialog()
{
    const auto it = std::ranges::find(m_profiles, m_currentId, &config::Profile::id);
    if (it == m_profiles.end()) {
        statusBar()->showMessage(tr("Select a profile first."), 4000);
        return;
    }
    auto *dlg = new CredentialsDialog(m_ctx.secrets, *it, CredentialsDialog::Mode::Manage,
                                      QString(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    const config::Profile profile = *it;
    connect(dlg, &CredentialsDialog::credentialsReady, this, [this, profile](const Credentials &c) {
        if (profile.id != m_currentId)
            return;
        QList<config::Profile> edited = m_profiles;
        for (config::Profile &p : edited) {
            if (p.id == profile.id)
                p.winrm.userName = c.user;
        }
        if (c.user != profile.winrm.userName && m_ctx.profiles)
            m_ctx.profiles->saveProfiles(edited);
        m_profiles = edited;
        const auto now = std::ranges::find(m_profiles, m_currentId, &config::Profile::id);
        startSession(*now, c);
    });
    dlg->open();
}

void MainWindow::showDiagnosticsDialog()
{
    QPointer<MainWindow> self(this);
    auto *dlg = new DiagnosticsDialog(
        [self]() -> QJsonObject {
            if (!self || !self->m_session)
                return QJsonObject{{QStringLiteral("session"), QStringLiteral("none")}};
            return self->m_session->diagnostics();
        },
        this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->open();
}

void MainWindow::showProvisionDialog()
{
    if (!m_session || !m_provisioning)
        return;
    QStringList hosts;
    for (const deploy::HostStatus &s : m_session->service()->statuses())
        hosts << s.host;
    const QStringList selected = selectedHosts();
    auto *dlg = new ProvisionDialog(hosts, selected.isEmpty() ? QString() : selected.first(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<provision::ProvisioningService> service = m_provisioning;
    connect(dlg, &ProvisionDialog::provisionRequested, this,
            [this, service](const QString &host, const QJsonObject &job) {
                if (!service)
                    return;
                const auto id = service->submit(host, job);
                if (!id) {
                    m_logBook->append(host, QDateTime::currentDateTimeUtc(),
                                      QStringLiteral("error"), id.error().toString());
                    statusBar()->showMessage(id.error().message, 8000);
                    return;
                }
                m_bottomTabs->setCurrentWidget(m_jobsPane);
                m_jobsPane->selectJob(*id);
            });
    dlg->open();
}

} // namespace aetherv::ui
