#include "ui/main/mainwindow.h"

#include "core/deploy/hostdeploymentservice.h"
#include "core/provision/provisioningservice.h"
#include "ui/banner/rolloutbanner.h"
#include "ui/common/stateicons.h"
#include "ui/credentials/credentialsdialog.h"
#include "ui/diagnostics/diagnosticsdialog.h"
#include "ui/hosts/hostfilterproxymodel.h"
#include "ui/hosts/hosttablemodel.h"
#include "ui/hosts/progressdelegate.h"
#include "ui/logs/hostlogbook.h"
#include "ui/logs/logpane.h"
#include "ui/main/rolloutnotifier.h"
#include "ui/profiles/profilesdialog.h"
#include "ui/provision/provisioningjobspane.h"
#include "ui/session/consolesession.h"

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace aetherv::ui {

MainWindow::MainWindow(ConsoleContext context, QWidget *parent)
    : QMainWindow(parent)
    , m_ctx(std::move(context))
    , m_model(new HostTableModel(this))
    , m_proxy(new HostFilterProxyModel(this))
    , m_logBook(new HostLogBook(this))
    , m_notifier(new RolloutNotifier(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Aether-V Agent Console"));
    setWindowIcon(applicationIcon());
    m_proxy->setSourceModel(m_model);
    buildActions();
    buildMenus();
    buildCentral();
    buildStatusBar();
    updateActions();
    updateStatus();
    resize(1200, 760);
}

MainWindow::~MainWindow()
{
    endSession();
}

QAction *MainWindow::action(Action a) const
{
    return m_actions.value(int(a));
}

void MainWindow::buildActions()
{
    auto make = [this](Action a, const QString &name, const QString &text, const QString &tip,
                       QStyle::StandardPixmap icon, void (MainWindow::*slot)()) {
        auto *act = new QAction(style()->standardIcon(icon), text, this);
        act->setObjectName(name);
        act->setToolTip(tip);
        connect(act, &QAction::triggered, this, slot);
        m_actions.insert(int(a), act);
        return act;
    };
    make(Action::Check, QStringLiteral("actionCheck"), tr("&Check versions"),
         tr("Read the installed version on the selected hosts (all hosts when none is selected)"),
         QStyle::SP_BrowserReload, &MainWindow::check)
        ->setShortcut(QKeySequence::Refresh);
    make(Action::DeployOutdated, QStringLiteral("actionDeployOutdated"), tr("Deploy &outdated"),
         tr("Check every host and deploy the bundle where it is missing, older or drifted"),
         QStyle::SP_ArrowDown, &MainWindow::deployOutdated);
    make(Action::DeploySelected, QStringLiteral("actionDeploySelected"), tr("Deploy &selected"),
         tr("Deploy the bundle to the selected hosts where they need it"), QStyle::SP_ArrowForward,
         &MainWindow::deploySelected);
    make(Action::ForceRedeploy, QStringLiteral("actionForceRedeploy"), tr("&Force redeploy…"),
         tr("Redeploy the bundle to the selected hosts even where it is current"),
         QStyle::SP_BrowserStop, &MainWindow::forceRedeploy);
    make(Action::Cancel, QStringLiteral("actionCancel"), tr("C&ancel"),
         tr("Cancel the running operations; hosts keep their previous complete set"),
         QStyle::SP_DialogCancelButton, &MainWindow::cancel)
        ->setShortcut(QKeySequence(Qt::Key_Escape));
    make(Action::SmokeTest, QStringLiteral("actionSmokeTest"), tr("S&moke test"),
         tr("List the install directory on the host and compare every file with the bundle"),
         QStyle::SP_FileDialogContentsView, &MainWindow::smokeTest);
    make(Action::CopyError, QStringLiteral("actionCopyError"), tr("Copy &error"),
         tr("Copy the selected hosts' messages to the clipboard"), QStyle::SP_DialogSaveButton,
         &MainWindow::copyError);
    make(Action::ShowLog, QStringLiteral("actionShowLog"), tr("Show &log"),
         tr("Show the selected host's log below the table"), QStyle::SP_FileIcon,
         &MainWindow::showLog);
    make(Action::ProvisionVm, QStringLiteral("actionProvisionVm"), tr("&Provision VM…"),
         tr("Create and provision a VM on the selected host; it starts once the host's agent "
            "runs the console's bundle"),
         QStyle::SP_FileDialogNewFolder, &MainWindow::showProvisionDialog);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Console"));
    file->addAction(tr("&Profiles…"), this, &MainWindow::showProfilesDialog)
        ->setObjectName(QStringLiteral("actionProfiles"));
    file->addAction(tr("C&redentials…"), this, &MainWindow::showCredentialsDialog)
        ->setObjectName(QStringLiteral("actionCredentials"));
    file->addAction(tr("&Diagnostics…"), this, &MainWindow::showDiagnosticsDialog)
        ->setObjectName(QStringLiteral("actionDiagnostics"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *hosts = menuBar()->addMenu(tr("&Hosts"));
    for (Action a : {Action::Check, Action::DeployOutdated, Action::DeploySelected,
                     Action::ForceRedeploy, Action::Cancel, Action::SmokeTest})
        hosts->addAction(action(a));
    hosts->addSeparator();
    hosts->addAction(action(Action::ProvisionVm));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_languageMenu = view->addMenu(tr("&Language"));
    auto *group = new QActionGroup(this);
    const QList<std::pair<QString, QString>> languages{
        {QString(), tr("System default")},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("de"), QStringLiteral("Deutsch")}};
    for (const auto &[code, label] : languages) {
        QAction *a = m_languageMenu->addAction(label);
        a->setCheckable(true);
        a->setData(code);
        a->setChecked(code.isEmpty());
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] {
            Q_EMIT languageOverrideRequested(code);
            statusBar()->showMessage(tr("The language changes when the console is restarted."),
                                     8000);
        });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Aether-V"), this, [this] {
        QMessageBox::about(this, tr("About Aether-V"),
                           tr("Aether-V Agent Console %1\nKeeps Hyper-V hosts in sync with the "
                              "agent bundle.")
                               .arg(QStringLiteral(AETHERV_VERSION_STRING)));
    });

    QToolBar *bar = addToolBar(tr("Rollout"));
    bar->setObjectName(QStringLiteral("rolloutToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(new QLabel(tr("Profile:"), bar));
    m_profileBox = new QComboBox(bar);
    m_profileBox->setObjectName(QStringLiteral("profileBox"));
    m_profileBox->setMinimumContentsLength(20);
    m_profileBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(m_profileBox, &QComboBox::activated, this, &MainWindow::onProfileBoxActivated);
    bar->addWidget(m_profileBox);
    bar->addSeparator();
    for (Action a : {Action::Check, Action::DeployOutdated, Action::DeploySelected,
                     Action::ForceRedeploy, Action::Cancel})
        bar->addAction(action(a));
    bar->addSeparator();
    bar->addAction(action(Action::ProvisionVm));

    m_contextMenu = new QMenu(this);
    m_contextMenu->setObjectName(QStringLiteral("hostContextMenu"));
    QAction *checkSel = m_contextMenu->addAction(action(Action::Check)->icon(), tr("Check"));
    connect(checkSel, &QAction::triggered, this, &MainWindow::check);
    m_contextMenu->addAction(action(Action::DeploySelected));
    m_contextMenu->addAction(action(Action::ForceRedeploy));
    m_contextMenu->addAction(action(Action::SmokeTest));
    m_contextMenu->addAction(action(Action::ProvisionVm));
    m_contextMenu->addSeparator();
    m_contextMenu->addAction(action(Action::CopyError));
    m_contextMenu->addAction(action(Action::ShowLog));
}

void MainWindow::buildCentral()
{
    auto *central = new QWidget(this);
    m_banner = new RolloutBanner(central);

    m_filter = new QLineEdit(central);
    m_filter->setObjectName(QStringLiteral("hostFilter"));
    m_filter->setPlaceholderText(tr("Filter hosts, versions, messages…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &HostFilterProxyModel::setFilterText);
    m_stateFilter = new QComboBox(central);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    using Group = HostFilterProxyModel::StateGroup;
    for (Group g : {Group::All, Group::NeedsAttention, Group::Busy, Group::NeedsBundle,
                    Group::Current, Group::Failures, Group::Unchecked})
        m_stateFilter->addItem(HostFilterProxyModel::groupLabel(g), int(g));
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStateFilter(
            HostFilterProxyModel::statesOf(Group(m_stateFilter->currentData().toInt())));
        updateStatus();
    });
    connect(m_filter, &QLineEdit::textChanged, this, &MainWindow::updateStatus);

    m_table = new QTableView(central);
    m_table->setObjectName(QStringLiteral("hostTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HostTableModel::Host, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->setItemDelegateForColumn(HostTableModel::Progress, new ProgressDelegate(m_table));
    QHeaderView *h = m_table->horizontalHeader();
    h->setObjectName(QStringLiteral("hostTableHeader"));
    h->setStretchLastSection(true);
    h->resizeSection(HostTableModel::Host, 200);
    h->resizeSection(HostTableModel::State, 150);
    h->resizeSection(HostTableModel::Progress, 220);
    h->resizeSection(HostTableModel::LastChecked, 130);
    connect(m_table, &QTableView::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::showLog);

    m_logPane = new LogPane(m_logBook, central);
    m_logPane->setObjectName(QStringLiteral("logPane"));
    m_jobsPane = new ProvisioningJobsPane(central);
    m_bottomTabs = new QTabWidget(central);
    m_bottomTabs->setObjectName(QStringLiteral("bottomTabs"));
    m_bottomTabs->addTab(m_logPane, tr("Log"));
    m_bottomTabs->addTab(m_jobsPane, tr("Provisioning jobs"));

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_stateFilter);
    auto *splitter = new QSplitter(Qt::Vertical, central);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(m_bottomTabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_banner);
    layout->addLayout(filterRow);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateStatus);
}

void MainWindow::buildStatusBar()
{
    m_serverLabel = new QLabel(this);
    m_serverLabel->setObjectName(QStringLiteral("serverStatus"));
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("hostCount"));
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_serverLabel);
}

void MainWindow::setLanguageOverride(const QString &localeName)
{
    for (QAction *a : m_languageMenu->actions())
        a->setChecked(a->data().toString() == localeName);
}

void MainWindow::loadProfiles()
{
    QStringList problems;
    m_profiles
        = m_ctx.profiles ? m_ctx.profiles->loadProfiles(&problems) : QList<config::Profile>();
    for (const QString &p : std::as_const(problems))
        m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("error"), p);
    refillProfileBox();
    QString id = m_ctx.profiles ? m_ctx.profiles->currentProfileId() : QString();
    bool known = false;
    for (const config::Profile &p : std::as_const(m_profiles))
        known = known || p.id == id;
    if (!known)
        id = m_profiles.isEmpty() ? QString() : m_profiles.first().id;
    if (!id.isEmpty())
        selectProfile(id);
    else
        statusBar()->showMessage(tr("No profile yet: create one under Console → Profiles…"));
}

void MainWindow::refillProfileBox()
{
    const QSignalBlocker block(m_profileBox);
    m_profileBox->clear();
    for (const config::Profile &p : std::as_const(m_profiles)) {
        const QString tag = config::environmentTagName(p.environment);
        m_profileBox->addItem(p.name + u" (" + tag + u')', p.id);
    }
    const int i = m_profileBox->findData(m_currentId);
    m_profileBox->setCurrentIndex(i);
}

void MainWindow::onProfileBoxActivated(int index)
{
    const QString id = m_profileBox->itemData(index).toString();
    if (id == m_currentId && m_session)
        return;
    if (m_session && m_session->service()->isRunning()) {
        refillProfileBox(); // stays on the running profile until the operator agrees
        confirm(tr("Switch profile"),
                tr("A rollout is running on profile %1. Switching cancels it. Switch anyway?")
                    .arg(m_session->profile().name),
                [this, id] { selectProfile(id); });
        return;
    }
    selectProfile(id);
}

QString MainWindow::currentProfileId() const
{
    return m_currentId;
}

bool MainWindow::selectProfile(const QString &id)
{
    const auto it = std::ranges::find(m_profiles, id, &config::Profile::id);
    if (it == m_profiles.end())
        return false;
    endSession();
    m_currentId = id;
    if (m_ctx.profiles)
        m_ctx.profiles->setCurrentProfileId(id);
    refillProfileBox();
    setWindowTitle(tr("Aether-V Agent Console — %1").arg(it->name));
    const config::Profile profile = *it;
    const QList<config::ValidationIssue> issues = profile.validate();
    if (config::hasErrors(issues)) {
        // A profile with errors never reaches a host: the operator fixes it first.
        for (const config::ValidationIssue &i : issues) {
            if (i.isError())
                m_logBook->append(QString(), QDateTime::currentDateTimeUtc(),
                                  QStringLiteral("error"), i.field + u": " + i.message);
        }
        m_model->setStatuses({});
        statusBar()->showMessage(
            tr("Profile %1 has errors; fix them under Console → Profiles…").arg(profile.name));
        updateActions();
        updateStatus();
        return true;
    }
    if (profile.winrm.userName.trimmed().isEmpty()) {
        // Kerberos from the ticket cache: no password involved.
        startSession(profile, Credentials{});
        return true;
    }
    requestCredentials(profile, false, QString());
    return true;
}

void MainWindow::requestCredentials(const config::Profile &profile, bool prompt, const QString &why)
{
    const quint64 generation = m_sessionGeneration;
    const QString profileId = profile.id;
    auto ask = [this, profile, generation](const QString &reason) {
        auto *dlg = new CredentialsDialog(m_ctx.secrets, profile, CredentialsDialog::Mode::Prompt,
                                          reason, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &CredentialsDialog::credentialsReady, this,
                [this, profile, generation](const Credentials &c) {
                    if (generation == m_sessionGeneration && profile.id == m_currentId)
                        startSession(profile, c);
                });
        connect(dlg, &QDialog::rejected, this, [this, profile, generation] {
            if (generation != m_sessionGeneration || profile.id != m_currentId)
                return;
            m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("warning"),
                              tr("No password for %1: the profile's hosts cannot be reached. "
                                 "Open Console → Credentials… to enter it.")
                                  .arg(profile.winrm.userName));
            updateStatus();
        });
        dlg->open();
    };
    if (prompt || !m_ctx.secrets) {
        ask(why);
        return;
    }
    m_ctx.secrets->read(profileId, profile.winrm.userName, this,
                        [this, profile, generation, ask](const SecretStore::Reply &r) {
                            if (generation != m_sessionGeneration || profile.id != m_currentId)
                                return;
                            switch (r.status) {
                            case SecretStore::Status::Ok:
                                startSession(profile, {profile.winrm.userName, r.password});
                                return;
                            case SecretStore::Status::NotFound:
                                ask(tr("No password is stored for %1 in profile %2.")
                                        .arg(profile.winrm.userName, profile.name));
                                return;
                            case SecretStore::Status::Failed:
                                m_logBook->append(
                                    QString(), QDateTime::currentDateTimeUtc(),
                                    QStringLiteral("error"),
                                    tr("The keychain could not be read: %1").arg(r.error));
                                ask(tr("The keychain could not be read: %1").arg(r.error));
                                return;
                            }
                        });
}

void MainWindow::endSession()
{
    ++m_sessionGeneration;
    if (!m_session)
        return;
    m_model->setService(nullptr);
    m_jobsPane->setService(nullptr);
    ConsoleSession *s = m_session;
    m_session = nullptr;
    s->disconnect(this);
    s->service()->disconnect(this);
    delete s;
    m_logBook->setSecrets({});
    updateActions();
    updateStatus();
}

void MainWindow::startSession(const config::Profile &profile, const Credentials &credentials)
{
    endSession();
    m_logBook->setSecrets(credentials.password.isEmpty() ? QStringList()
                                                         : QStringList{credentials.password});
    if (!m_ctx.executorFactory) {
        m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("error"),
                          tr("This console has no way to reach hosts (no executor)."));
        return;
    }
    auto executor = m_ctx.executorFactory(profile, credentials);
    if (!executor || !*executor) {
        const QString why
            = executor ? tr("no executor for this profile") : executor.error().toString();
        m_logBook->append(QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("error"),
                          tr("Profile %1 cannot reach its hosts: %2").arg(profile.name, why));
        statusBar()->showMessage(
            tr("Profile %1 cannot reach its hosts: %2").arg(profile.name, why));
        return;
    }
    auto *session = new ConsoleSession(profile, *executor, m_ctx.defaultBundleDirectory, this);
    m_session = session;
    connect(session, &ConsoleSession::event, m_logBook, &HostLogBook::append);
    connect(session, &ConsoleSession::serverStateChanged, this, &MainWindow::updateStatus);
    connect(session, &ConsoleSession::bundleLoaded, this, &MainWindow::updateActions);
    session->start();
    deploy::HostDeploymentService *service = session->service();
    connect(service, &deploy::HostDeploymentService::hostLog, m_logBook, &HostLogBook::append);
    connect(service, &deploy::HostDeploymentService::summaryChanged, this,
            &MainWindow::onSummaryChanged);
    connect(service, &deploy::HostDeploymentService::operationFinished, this,
            &MainWindow::onOperationFinished);
    connect(service, &deploy::HostDeploymentService::hostsChanged, this,
            &MainWindow::updateActions);
    m_model->setService(service);
    // Provisioning jobs of this session: gated on the service's readiness, run on its runner.
    auto *provisioning
        = new provision::ProvisioningService(session->runner(), *executor, service, session);
    m_provisioning = provisioning;
    provisioning->setBundle(session->bundle());
    connect(session, &ConsoleSession::bundleLoaded, provisioning,
            [provisioning, session] { provisioning->setBundle(session->bundle()); });
    connect(provisioning, &provision::ProvisioningService::jobLine, m_logBook,
            [this, provisioning](const QString &id, const QJsonObject &, const QString &text) {
                if (text.isEmpty())
                    return;
                const provision::ProvisioningJob j = provisioning->job(id);
                m_logBook->append(j.host, QDateTime::currentDateTimeUtc(), QStringLiteral("info"),
                                  tr("provisioning %1: %2").arg(j.vmName, text));
            });
    connect(provisioning, &provision::ProvisioningService::jobFinished, this,
            [this, provisioning](const QString &id) {
                const provision::ProvisioningJob j = provisioning->job(id);
                const bool ok = j.state == provision::JobState::Succeeded;
                m_logBook->append(j.host, QDateTime::currentDateTimeUtc(),
                                  ok ? QStringLiteral("info") : QStringLiteral("error"),
                                  tr("provisioning %1 %2: %3")
                                      .arg(j.vmName, provision::jobStateLabel(j.state), j.reason));
            });
    m_jobsPane->setService(provisioning);
    m_banner->setSummary(service->summary());
    updateActions();
    updateStatus();
    Q_EMIT sessionStarted(session);
}

void MainWindow::onSummaryChanged(const deploy::RolloutSummary &summary)
{
    m_banner->setSummary(summary);
    updateActions();
}

void MainWindow::onOperationFinished(const deploy::RolloutSummary &summary)
{
    m_banner->setSummary(m_session ? m_session->service()->summary() : summary);
    m_notifier->rolloutFinished(summary);
    updateActions();
}

void MainWindow::onSelectionChanged()
{
    const QStringList hosts = selectedHosts();
    if (hosts.size() == 1)
        m_logPane->showHost(hosts.first());
    updateActions();
    updateStatus();
}

QStringList MainWindow::selectedHosts() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows << i.row();
    std::ranges::sort(rows);
    QStringList hosts;
    for (int r : std::as_const(rows))
        hosts << m_proxy->index(r, 0).data(HostTableModel::HostRole).toString();
    return hosts;
}

void MainWindow::selectHosts(const QStringList &hosts)
{
    QItemSelection selection;
    for (const QString &h : hosts) {
        const int row = m_model->rowOfHost(h);
        if (row < 0)
            continue;
        const QModelIndex p = m_proxy->mapFromSource(m_model->index(row, 0));
        if (p.isValid())
            selection.select(p, p.siblingAtColumn(HostTableModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect
                                                     | QItemSelectionModel::Rows);
}

void MainWindow::updateActions()
{
    const bool haveSession = m_session && m_session->service();
    const bool enabled = haveSession && m_session->service()->isEnabled();
    const bool running = haveSession && m_session->service()->isRunning();
    const bool hostsExist = m_model->rowCount() > 0;
    const bool selection = !m_table->selectionModel()->selectedRows().isEmpty();
    action(Action::Check)->setEnabled(haveSession && hostsExist);
    action(Action::DeployOutdated)->setEnabled(enabled && hostsExist);
    action(Action::DeploySelected)->setEnabled(enabled && selection);
    action(Action::ForceRedeploy)->setEnabled(enabled && selection);
    action(Action::Cancel)->setEnabled(running);
    action(Action::SmokeTest)->setEnabled(haveSession && selection);
    action(Action::CopyError)->setEnabled(selection);
    action(Action::ShowLog)->setEnabled(selection);
    action(Action::ProvisionVm)->setEnabled(enabled && hostsExist && m_provisioning);
}

void MainWindow::updateStatus()
{
    m_serverLabel->setText(m_session ? m_session->serverStatusText()
                                     : tr("Artifact server not running"));
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    QString text = total == shown ? tr("%n host(s)", nullptr, total)
                                  : tr("%1 of %n host(s) shown", nullptr, total).arg(shown);
    if (selected > 0)
        text += u" · " + tr("%n selected", nullptr, selected);
    m_countLabel->setText(text);
}

void MainWindow::confirm(const QString &title, const QString &text, std::function<void()> onYes)
{
    if (m_confirm) {
        if (m_confirm(title, text))
            onYes();
        return;
    }
    // Window-modal and asynchronous: no nested event loop.
    auto *box = new QMessageBox(QMessageBox::Question, title, text,
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [onYes = std::move(onYes)](int result) {
        if (result == QMessageBox::Yes)
            onYes();
    });
    box->open();
}

} // namespace aetherv::ui
