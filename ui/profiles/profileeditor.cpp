#include "ui/profiles/profileeditor.h"

#include "ui/profiles/hostlistparser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <limits>

namespace aetherv::ui {

using config::EnvironmentTag;
using config::ValidationIssue;
using config::WinRmAuth;
using config::WinRmTransport;

namespace {
constexpr int kMaxInt = std::numeric_limits<int>::max();

// "hosts[3]" and "hosts[3].port" are shown under the host list.
QString editorField(const QString &field)
{
    if (field.startsWith(u"hosts["))
        return QStringLiteral("hosts");
    return field;
}
} // namespace

ProfileEditor::ProfileEditor(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("profileEditor"));
    m_tabs->addTab(generalPage(), tr("General"));
    m_tabs->addTab(hostsPage(), tr("Hosts"));
    m_tabs->addTab(winrmPage(), tr("WinRM"));
    m_tabs->addTab(serverPage(), tr("Artifact server"));
    m_tabs->addTab(policyPage(), tr("Tasks and policy"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

QWidget *ProfileEditor::row(QFormLayout *form, const QString &field, const QString &label,
                            QWidget *editor, const QString &help)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(editor);
    auto *issue = new QLabel(box);
    issue->setObjectName(u"issue:" + field);
    issue->setWordWrap(true);
    issue->setVisible(false);
    issue->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(issue);
    if (!help.isEmpty())
        editor->setToolTip(help);
    editor->setObjectName(field);
    form->addRow(label, box);
    m_widgets.insert(field, editor);
    m_issueLabels.insert(field, issue);
    return editor;
}

QLineEdit *ProfileEditor::lineEdit(QFormLayout *form, const QString &field, const QString &label,
                                   const QString &help)
{
    auto *e = new QLineEdit;
    row(form, field, label, e, help);
    connect(e, &QLineEdit::textEdited, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    return e;
}

QSpinBox *ProfileEditor::spinBox(QFormLayout *form, const QString &field, const QString &label,
                                 int min, int max, const QString &suffix, const QString &help)
{
    auto *s = new QSpinBox;
    s->setRange(min, max);
    s->setSuffix(suffix);
    s->setAccelerated(true);
    row(form, field, label, s, help);
    connect(s, &QSpinBox::valueChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    return s;
}

QCheckBox *ProfileEditor::checkBox(QFormLayout *form, const QString &field, const QString &text,
                                   const QString &help)
{
    auto *c = new QCheckBox(text);
    row(form, field, QString(), c, help);
    connect(c, &QCheckBox::toggled, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    return c;
}

static QWidget *scrolled(QWidget *page)
{
    auto *area = new QScrollArea;
    area->setWidget(page);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QWidget *ProfileEditor::generalPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    const QString seconds = tr(" s", "unit suffix: seconds");
    m_name = lineEdit(form, QStringLiteral("name"), tr("&Name:"));
    m_environment = new QComboBox;
    m_environment->addItem(tr("Development"), int(EnvironmentTag::Development));
    m_environment->addItem(tr("Test"), int(EnvironmentTag::Test));
    m_environment->addItem(tr("Production"), int(EnvironmentTag::Production));
    m_environment->addItem(tr("Other"), int(EnvironmentTag::Other));
    row(form, QStringLiteral("environment"), tr("&Environment:"), m_environment);
    connect(m_environment, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    m_id = new QLabel;
    m_id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row(form, QStringLiteral("id"), tr("Id:"), m_id,
        tr("Stable identifier; keys the keychain entry and the settings group"));
    m_installDirectory = lineEdit(
        form, QStringLiteral("installDirectory"), tr("&Install directory on hosts:"),
        tr("HOST_INSTALL_DIRECTORY: where scripts, ISOs and the version file land on every host. "
           "Use a different directory per environment."));
    m_downloadBaseUrl = lineEdit(
        form, QStringLiteral("downloadBaseUrl"), tr("&Download base URL:"),
        tr("AGENT_DOWNLOAD_BASE_URL: how the hosts reach this console's /agent endpoint; empty "
           "uses the artifact server's own URL"));
    m_downloadBaseUrl->setPlaceholderText(tr("empty: the artifact server's URL"));
    m_bundleDirectory
        = lineEdit(form, QStringLiteral("bundleDirectory"), tr("&Bundle folder on this computer:"),
                   tr("The agent bundle to deploy; empty uses the installed one"));
    m_bundleDirectory->setPlaceholderText(tr("empty: the bundle installed with the console"));
    m_downloadMaxAttempts
        = spinBox(form, QStringLiteral("downloadMaxAttempts"), tr("Download &attempts per file:"),
                  0, 1000, QString(), tr("AGENT_DOWNLOAD_MAX_ATTEMPTS"));
    m_downloadRetryInterval
        = spinBox(form, QStringLiteral("downloadRetryIntervalSeconds"), tr("&Retry interval:"), 0,
                  86400, seconds, tr("AGENT_DOWNLOAD_RETRY_INTERVAL"));
    m_downloadParallelism = spinBox(form, QStringLiteral("downloadParallelism"),
                                    tr("&Parallel downloads per host:"), 0, 64);
    return scrolled(page);
}

QWidget *ProfileEditor::hostsPage()
{
    auto *page = new QWidget;
    auto *v = new QVBoxLayout(page);
    auto *help = new QLabel(tr("One host per line (name, name:port, [IPv6]:port), or paste CSV "
                               "with a host column and an optional port column."),
                            page);
    help->setWordWrap(true);
    m_hosts = new QPlainTextEdit(page);
    m_hosts->setObjectName(QStringLiteral("hosts"));
    m_hosts->setPlaceholderText(QStringLiteral("hv01.corp.example\nhv02.corp.example:5986"));
    m_hosts->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_widgets.insert(QStringLiteral("hosts"), m_hosts);
    connect(m_hosts, &QPlainTextEdit::textChanged, this, [this] {
        updateHostSummary();
        if (!m_loading)
            Q_EMIT edited();
    });
    m_hostSummary = new QLabel(page);
    m_hostSummary->setObjectName(QStringLiteral("hostSummary"));
    auto *issue = new QLabel(page);
    issue->setObjectName(QStringLiteral("issue:hosts"));
    issue->setWordWrap(true);
    issue->setVisible(false);
    issue->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_issueLabels.insert(QStringLiteral("hosts"), issue);
    auto *import = new QPushButton(tr("Import &CSV…"), page);
    connect(import, &QPushButton::clicked, this, &ProfileEditor::importCsv);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_hostSummary, 1);
    bottom->addWidget(import);
    v->addWidget(help);
    v->addWidget(m_hosts, 1);
    v->addLayout(bottom);
    v->addWidget(issue);
    return page;
}

QWidget *ProfileEditor::winrmPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    const QString seconds = tr(" s", "unit suffix: seconds");
    m_transport = new QComboBox;
    m_transport->addItem(QStringLiteral("HTTP"), int(WinRmTransport::Http));
    m_transport->addItem(QStringLiteral("HTTPS"), int(WinRmTransport::Https));
    row(form, QStringLiteral("winrm.transport"), tr("&Transport:"), m_transport);
    m_winrmPort = spinBox(form, QStringLiteral("winrm.port"), tr("&Port:"), 0, 65535, QString(),
                          tr("0 uses 5985 for HTTP and 5986 for HTTPS"));
    m_winrmPort->setSpecialValueText(tr("default"));
    m_auth = new QComboBox;
    m_auth->addItem(tr("Negotiate (Kerberos or NTLM)"), int(WinRmAuth::Negotiate));
    m_auth->addItem(QStringLiteral("NTLM"), int(WinRmAuth::Ntlm));
    m_auth->addItem(QStringLiteral("Kerberos"), int(WinRmAuth::Kerberos));
    m_auth->addItem(tr("Basic"), int(WinRmAuth::Basic));
    row(form, QStringLiteral("winrm.auth"), tr("&Authentication:"), m_auth);
    for (QComboBox *c : {m_transport, m_auth}) {
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_loading)
                Q_EMIT edited();
        });
    }
    m_userName = lineEdit(form, QStringLiteral("winrm.userName"), tr("&User:"),
                          tr("DOMAIN\\user or user@REALM; empty uses the Kerberos ticket cache. "
                             "The password is kept in the keychain (Console → Credentials)."));
    m_spnService = lineEdit(form, QStringLiteral("winrm.spnService"), tr("SPN &service:"));
    m_spnTarget = lineEdit(form, QStringLiteral("winrm.spnTargetOverride"), tr("SPN &host:"),
                           tr("Host part of the SPN when it differs from the address"));
    m_delegation
        = checkBox(form, QStringLiteral("winrm.kerberosDelegation"), tr("Request &delegation"));
    m_caFile = lineEdit(form, QStringLiteral("winrm.caFile"), tr("&CA file (PEM):"),
                        tr("Certificates trusted for HTTPS; empty uses the system store"));
    m_ignoreTls = checkBox(form, QStringLiteral("winrm.ignoreTlsErrors"),
                           tr("&Ignore TLS certificate errors (testing only)"));
    m_basicOverHttp = checkBox(form, QStringLiteral("winrm.allowBasicOverHttp"),
                               tr("Allow &Basic over unencrypted HTTP"));
    m_operationTimeout = spinBox(form, QStringLiteral("winrm.operationTimeoutSeconds"),
                                 tr("&Operation timeout:"), 0, 86400, seconds);
    m_connectTimeout = spinBox(form, QStringLiteral("winrm.connectTimeoutSeconds"),
                               tr("C&onnect timeout:"), 0, 86400, seconds);
    m_commandDeadline = spinBox(form, QStringLiteral("winrm.commandDeadlineSeconds"),
                                tr("Command &deadline:"), 0, 7 * 86400, seconds);
    return scrolled(page);
}

QWidget *ProfileEditor::serverPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_listenAddress = lineEdit(form, QStringLiteral("artifactServer.listenAddress"),
                               tr("&Listen address:"), tr("0.0.0.0 or :: listens everywhere"));
    m_serverPort = spinBox(form, QStringLiteral("artifactServer.port"), tr("&Port:"), 0, 65535);
    m_certificate
        = lineEdit(form, QStringLiteral("artifactServer.certificateFile"),
                   tr("&Certificate (PEM):"), tr("With a private key the server speaks HTTPS"));
    m_privateKey = lineEdit(form, QStringLiteral("artifactServer.privateKeyFile"),
                            tr("Private &key (PEM):"));
    m_maxConnections = spinBox(form, QStringLiteral("artifactServer.maxConnections"),
                               tr("&Maximum connections:"), 0, 100000);
    m_idleTimeout = spinBox(form, QStringLiteral("artifactServer.idleTimeoutSeconds"),
                            tr("&Idle timeout:"), 0, 86400, tr(" s", "unit suffix: seconds"));
    return scrolled(page);
}

QWidget *ProfileEditor::policyPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    const QString seconds = tr(" s", "unit suffix: seconds");
    m_deploymentConcurrency = spinBox(form, QStringLiteral("taskRunner.deploymentConcurrency"),
                                      tr("&Deployments at once:"), 0, 1024);
    m_inventoryConcurrency = spinBox(form, QStringLiteral("taskRunner.inventoryConcurrency"),
                                     tr("&Inventory tasks at once:"), 0, 1024);
    m_diagnosticsConcurrency = spinBox(form, QStringLiteral("taskRunner.diagnosticsConcurrency"),
                                       tr("Dia&gnostics tasks at once:"), 0, 1024);
    m_deployDeadline = spinBox(form, QStringLiteral("taskRunner.deployDeadlineSeconds"),
                               tr("Deployment d&eadline per host:"), 0, kMaxInt, seconds);
    m_checkDeadline = spinBox(form, QStringLiteral("taskRunner.checkDeadlineSeconds"),
                              tr("&Check deadline per host:"), 0, kMaxInt, seconds);
    m_ingressTimeout = spinBox(form, QStringLiteral("ingressGate.timeoutSeconds"),
                               tr("Wait for download &URL up to:"), 0, kMaxInt, seconds);
    m_ingressInterval = spinBox(form, QStringLiteral("ingressGate.intervalSeconds"),
                                tr("Download URL &poll interval:"), 0, 86400, seconds);
    m_startupDeployment = checkBox(form, QStringLiteral("startupDeployment"),
                                   tr("&Check and deploy every host when the profile opens"));
    m_verifiedCacheTtl = spinBox(form, QStringLiteral("verifiedCacheTtlSeconds"),
                                 tr("&Trust a verified host for:"), 0, kMaxInt, seconds);
    m_lockExpiry = spinBox(form, QStringLiteral("lockExpirySeconds"), tr("Host &lock lifetime:"), 0,
                           kMaxInt, seconds);
    m_backoffBase = spinBox(form, QStringLiteral("failureBackoffBaseSeconds"),
                            tr("&First retry after a failure:"), 0, kMaxInt, seconds);
    m_backoffMax = spinBox(form, QStringLiteral("failureBackoffMaxSeconds"),
                           tr("&Longest retry delay:"), 0, kMaxInt, seconds);
    return scrolled(page);
}

static void setCombo(QComboBox *c, int value)
{
    c->setCurrentIndex(std::max(0, c->findData(value)));
}

void ProfileEditor::setProfile(const config::Profile &p)
{
    m_loading = true;
    m_base = p;
    m_name->setText(p.name);
    setCombo(m_environment, int(p.environment));
    m_id->setText(p.id);
    m_installDirectory->setText(p.installDirectory);
    m_downloadBaseUrl->setText(p.downloadBaseUrl);
    m_bundleDirectory->setText(p.bundleDirectory);
    m_downloadMaxAttempts->setValue(p.downloadMaxAttempts);
    m_downloadRetryInterval->setValue(p.downloadRetryIntervalSeconds);
    m_downloadParallelism->setValue(p.downloadParallelism);
    m_hosts->setPlainText(formatHostList(p.hosts));

    setCombo(m_transport, int(p.winrm.transport));
    m_winrmPort->setValue(p.winrm.port);
    setCombo(m_auth, int(p.winrm.auth));
    m_userName->setText(p.winrm.userName);
    m_spnService->setText(p.winrm.spnService);
    m_spnTarget->setText(p.winrm.spnTargetOverride);
    m_delegation->setChecked(p.winrm.kerberosDelegation);
    m_caFile->setText(p.winrm.caFile);
    m_ignoreTls->setChecked(p.winrm.ignoreTlsErrors);
    m_basicOverHttp->setChecked(p.winrm.allowBasicOverHttp);
    m_operationTimeout->setValue(p.winrm.operationTimeoutSeconds);
    m_connectTimeout->setValue(p.winrm.connectTimeoutSeconds);
    m_commandDeadline->setValue(p.winrm.commandDeadlineSeconds);

    m_listenAddress->setText(p.artifactServer.listenAddress);
    m_serverPort->setValue(p.artifactServer.port);
    m_certificate->setText(p.artifactServer.certificateFile);
    m_privateKey->setText(p.artifactServer.privateKeyFile);
    m_maxConnections->setValue(p.artifactServer.maxConnections);
    m_idleTimeout->setValue(p.artifactServer.idleTimeoutSeconds);

    m_deploymentConcurrency->setValue(p.taskRunner.deploymentConcurrency);
    m_inventoryConcurrency->setValue(p.taskRunner.inventoryConcurrency);
    m_diagnosticsConcurrency->setValue(p.taskRunner.diagnosticsConcurrency);
    m_deployDeadline->setValue(p.taskRunner.deployDeadlineSeconds);
    m_checkDeadline->setValue(p.taskRunner.checkDeadlineSeconds);
    m_ingressTimeout->setValue(p.ingressGate.timeoutSeconds);
    m_ingressInterval->setValue(p.ingressGate.intervalSeconds);
    m_startupDeployment->setChecked(p.startupDeployment);
    m_verifiedCacheTtl->setValue(p.verifiedCacheTtlSeconds);
    m_lockExpiry->setValue(p.lockExpirySeconds);
    m_backoffBase->setValue(p.failureBackoffBaseSeconds);
    m_backoffMax->setValue(p.failureBackoffMaxSeconds);
    m_loading = false;
    updateHostSummary();
}

config::Profile ProfileEditor::profile() const
{
    config::Profile p = m_base;
    p.name = m_name->text().trimmed();
    p.environment = EnvironmentTag(m_environment->currentData().toInt());
    p.installDirectory = m_installDirectory->text().trimmed();
    p.downloadBaseUrl = m_downloadBaseUrl->text().trimmed();
    p.bundleDirectory = m_bundleDirectory->text().trimmed();
    p.downloadMaxAttempts = m_downloadMaxAttempts->value();
    p.downloadRetryIntervalSeconds = m_downloadRetryInterval->value();
    p.downloadParallelism = m_downloadParallelism->value();
    p.hosts = parseHostList(m_hosts->toPlainText()).hosts;

    p.winrm.transport = WinRmTransport(m_transport->currentData().toInt());
    p.winrm.port = m_winrmPort->value();
    p.winrm.auth = WinRmAuth(m_auth->currentData().toInt());
    p.winrm.userName = m_userName->text().trimmed();
    p.winrm.spnService = m_spnService->text().trimmed();
    p.winrm.spnTargetOverride = m_spnTarget->text().trimmed();
    p.winrm.kerberosDelegation = m_delegation->isChecked();
    p.winrm.caFile = m_caFile->text().trimmed();
    p.winrm.ignoreTlsErrors = m_ignoreTls->isChecked();
    p.winrm.allowBasicOverHttp = m_basicOverHttp->isChecked();
    p.winrm.operationTimeoutSeconds = m_operationTimeout->value();
    p.winrm.connectTimeoutSeconds = m_connectTimeout->value();
    p.winrm.commandDeadlineSeconds = m_commandDeadline->value();

    p.artifactServer.listenAddress = m_listenAddress->text().trimmed();
    p.artifactServer.port = m_serverPort->value();
    p.artifactServer.certificateFile = m_certificate->text().trimmed();
    p.artifactServer.privateKeyFile = m_privateKey->text().trimmed();
    p.artifactServer.maxConnections = m_maxConnections->value();
    p.artifactServer.idleTimeoutSeconds = m_idleTimeout->value();

    p.taskRunner.deploymentConcurrency = m_deploymentConcurrency->value();
    p.taskRunner.inventoryConcurrency = m_inventoryConcurrency->value();
    p.taskRunner.diagnosticsConcurrency = m_diagnosticsConcurrency->value();
    p.taskRunner.deployDeadlineSeconds = m_deployDeadline->value();
    p.taskRunner.checkDeadlineSeconds = m_checkDeadline->value();
    p.ingressGate.timeoutSeconds = m_ingressTimeout->value();
    p.ingressGate.intervalSeconds = m_ingressInterval->value();
    p.startupDeployment = m_startupDeployment->isChecked();
    p.verifiedCacheTtlSeconds = m_verifiedCacheTtl->value();
    p.lockExpirySeconds = m_lockExpiry->value();
    p.failureBackoffBaseSeconds = m_backoffBase->value();
    p.failureBackoffMaxSeconds = m_backoffMax->value();
    return p;
}

QList<ValidationIssue> ProfileEditor::hostListIssues() const
{
    QList<ValidationIssue> out;
    const HostListParse parsed = parseHostList(m_hosts->toPlainText());
    for (const QString &e : parsed.errors)
        out << ValidationIssue{ValidationIssue::Severity::Error, QStringLiteral("hosts"), e,
                               m_base.id};
    return out;
}

void ProfileEditor::setHostListText(const QString &text)
{
    m_hosts->setPlainText(text);
}

void ProfileEditor::updateHostSummary()
{
    const HostListParse parsed = parseHostList(m_hosts->toPlainText());
    QString text = tr("%n host(s)", nullptr, int(parsed.hosts.size()));
    if (parsed.duplicates > 0)
        text += u"; " + tr("%n duplicate(s) ignored", nullptr, parsed.duplicates);
    m_hostSummary->setText(text);
}

void ProfileEditor::importCsv()
{
    auto *dlg = new QFileDialog(this, tr("Import hosts"), QString(),
                                tr("Host lists (*.csv *.txt);;All files (*)"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setFileMode(QFileDialog::ExistingFile);
    connect(dlg, &QFileDialog::fileSelected, this, [this](const QString &file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            m_issueLabels.value(QStringLiteral("hosts"))
                ->setText(tr("%1 cannot be read: %2").arg(file, f.errorString()));
            m_issueLabels.value(QStringLiteral("hosts"))->setVisible(true);
            return;
        }
        const QString existing = m_hosts->toPlainText().trimmed();
        const QString imported = QString::fromUtf8(f.readAll());
        m_hosts->setPlainText(existing.isEmpty() ? imported : existing + u'\n' + imported);
    });
    dlg->open();
}

QList<ValidationIssue> ProfileEditor::showIssues(const QList<ValidationIssue> &issues)
{
    QHash<QString, QStringList> errors, warnings;
    QList<ValidationIssue> rest;
    for (const ValidationIssue &i : issues) {
        const QString field = editorField(i.field);
        if (!m_issueLabels.contains(field)) {
            rest << i;
            continue;
        }
        (i.isError() ? errors : warnings)[field] << i.message;
    }
    for (auto it = m_issueLabels.cbegin(); it != m_issueLabels.cend(); ++it) {
        QLabel *label = it.value();
        const QStringList e = errors.value(it.key());
        const QStringList w = warnings.value(it.key());
        if (e.isEmpty() && w.isEmpty()) {
            label->clear();
            label->setVisible(false);
            continue;
        }
        label->setText((e + w).join(u'\n'));
        label->setStyleSheet(!e.isEmpty() ? QStringLiteral("color: #b71c1c;")
                                          : QStringLiteral("color: #8a4b00;"));
        label->setVisible(true);
    }
    return rest;
}

QString ProfileEditor::issueText(const QString &field) const
{
    const QLabel *l = m_issueLabels.value(field);
    return l && !l->isHidden() ? l->text() : QString();
}

} // namespace aetherv::ui
