#include "ui/provision/provisioningjobspane.h"

#include "core/provision/provisioningservice.h"
#include "ui/provision/provisioningjobmodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace aetherv::ui {

using provision::ProvisioningService;

ProvisioningJobsPane::ProvisioningJobsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new ProvisioningJobModel(this))
    , m_table(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_cancel(new QPushButton(tr("Cancel job"), this))
{
    setObjectName(QStringLiteral("provisioningJobsPane"));
    m_table->setObjectName(QStringLiteral("provisioningJobTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(ProvisioningJobModel::Job, 180);
    m_table->horizontalHeader()->resizeSection(ProvisioningJobModel::Step, 240);
    m_detail->setObjectName(QStringLiteral("provisioningJobDetail"));
    m_detail->setReadOnly(true);
    m_detail->setMaximumBlockCount(5000);
    m_detail->setPlaceholderText(tr("Select a job to see its steps as they run."));
    m_cancel->setObjectName(QStringLiteral("cancelProvisioningJob"));
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_service && !selectedJob().isEmpty())
            m_service->cancel(selectedJob());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ProvisioningJobsPane::showSelected);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);
}

void ProvisioningJobsPane::setService(ProvisioningService *service)
{
    if (m_service)
        m_service->disconnect(this);
    m_service = service;
    m_lines.clear();
    m_lastReason.clear();
    m_model->setService(service);
    m_detail->clear();
    if (!service)
        return;
    connect(service, &ProvisioningService::jobLine, this,
            [this](const QString &id, const QJsonObject &, const QString &text) {
                if (!text.isEmpty())
                    onLine(id, text);
            });
    connect(service, &ProvisioningService::jobChanged, this, &ProvisioningJobsPane::onChanged);
    connect(service, &ProvisioningService::jobAdded, this, [this](const QString &id) {
        onChanged(id);
        if (selectedJob().isEmpty())
            selectJob(id);
    });
}

void ProvisioningJobsPane::onLine(const QString &id, const QString &text)
{
    const QString line
        = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")) + u"  " + text;
    m_lines[id].append(line);
    if (selectedJob() == id)
        m_detail->appendPlainText(line);
}

void ProvisioningJobsPane::onChanged(const QString &id)
{
    if (!m_service)
        return;
    const provision::ProvisioningJob j = m_service->job(id);
    const QString text = provision::jobStateLabel(j.state) + u": " + j.reason;
    if (m_lastReason.value(id) != text) {
        m_lastReason.insert(id, text);
        onLine(id, text);
    }
    if (selectedJob() == id)
        m_cancel->setEnabled(!provision::isFinal(j.state));
}

void ProvisioningJobsPane::selectJob(const QString &id)
{
    const int row = m_model->rowOfJob(id);
    if (row >= 0)
        m_table->selectRow(row);
}

QString ProvisioningJobsPane::selectedJob() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.first().data(ProvisioningJobModel::JobIdRole).toString();
}

void ProvisioningJobsPane::showSelected()
{
    const QString id = selectedJob();
    m_detail->setPlainText(m_lines.value(id).join(u'\n'));
    m_cancel->setEnabled(m_service && !id.isEmpty()
                         && !provision::isFinal(m_service->job(id).state));
}

} // namespace aetherv::ui
