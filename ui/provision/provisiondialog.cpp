#include "ui/provision/provisiondialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace aetherv::ui {

using provision::JobIssue;
using provision::ProvisioningFields;

ProvisionDialog::ProvisionDialog(const QStringList &hosts, const QString &selectedHost,
                                 QWidget *parent)
    : QDialog(parent)
    , m_host(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_hostName(new QLineEdit(this))
    , m_image(new QLineEdit(this))
    , m_imageDirectory(new QLineEdit(this))
    , m_generation(new QComboBox(this))
    , m_cpu(new QSpinBox(this))
    , m_memory(new QSpinBox(this))
    , m_dynamic(new QCheckBox(tr("Dynamic memory"), this))
    , m_memoryMin(new QSpinBox(this))
    , m_memoryMax(new QSpinBox(this))
    , m_switch(new QLineEdit(this))
    , m_vlan(new QSpinBox(this))
    , m_os(new QComboBox(this))
    , m_start(new QCheckBox(tr("Start the VM and wait until the guest reports ready"), this))
    , m_data(new QTableWidget(0, 2, this))
    , m_problems(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_jobId(provision::newJobId())
{
    setObjectName(QStringLiteral("provisionDialog"));
    setWindowTitle(tr("Provision VM"));
    m_host->setObjectName(QStringLiteral("provisionHost"));
    m_host->addItems(hosts);
    if (const int i = m_host->findText(selectedHost); i >= 0)
        m_host->setCurrentIndex(i);
    m_name->setObjectName(QStringLiteral("provisionVmName"));
    m_name->setPlaceholderText(tr("e.g. web-01"));
    m_hostName->setObjectName(QStringLiteral("provisionHostName"));
    m_hostName->setPlaceholderText(tr("the VM name"));
    m_image->setObjectName(QStringLiteral("provisionImage"));
    m_image->setPlaceholderText(tr("golden image file, e.g. win2022.vhdx"));
    m_imageDirectory->setObjectName(QStringLiteral("provisionImageDirectory"));
    m_imageDirectory->setPlaceholderText(tr("the host's default virtual hard disk folder"));
    m_generation->setObjectName(QStringLiteral("provisionGeneration"));
    m_generation->addItem(tr("Generation 2 (UEFI)"), 2);
    m_generation->addItem(tr("Generation 1 (BIOS)"), 1);
    m_cpu->setObjectName(QStringLiteral("provisionCpu"));
    m_cpu->setRange(0, 240);
    m_cpu->setValue(2);
    for (QSpinBox *box : {m_memory, m_memoryMin, m_memoryMax}) {
        box->setRange(0, 12582912);
        box->setSingleStep(512);
        box->setSuffix(tr(" MB"));
    }
    m_memory->setObjectName(QStringLiteral("provisionMemory"));
    m_memory->setValue(4096);
    m_memoryMin->setObjectName(QStringLiteral("provisionMemoryMin"));
    m_memoryMin->setValue(1024);
    m_memoryMax->setObjectName(QStringLiteral("provisionMemoryMax"));
    m_memoryMax->setValue(8192);
    m_memoryMin->setEnabled(false);
    m_memoryMax->setEnabled(false);
    m_dynamic->setObjectName(QStringLiteral("provisionDynamicMemory"));
    m_switch->setObjectName(QStringLiteral("provisionSwitch"));
    m_switch->setPlaceholderText(tr("virtual switch name"));
    m_vlan->setObjectName(QStringLiteral("provisionVlan"));
    m_vlan->setRange(0, 4095);
    m_vlan->setSpecialValueText(tr("none (untagged)"));
    m_os->setObjectName(QStringLiteral("provisionOs"));
    m_os->addItem(tr("Windows"), QStringLiteral("windows"));
    m_os->addItem(tr("Linux"), QStringLiteral("linux"));
    m_start->setObjectName(QStringLiteral("provisionStart"));
    m_start->setChecked(true);
    m_data->setObjectName(QStringLiteral("provisionData"));
    m_data->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
    m_data->horizontalHeader()->setStretchLastSection(true);
    m_data->verticalHeader()->setVisible(false);
    m_data->setMinimumHeight(110);
    m_problems->setObjectName(QStringLiteral("provisionProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Provision"));

    auto *memoryRow = new QHBoxLayout;
    memoryRow->addWidget(m_memory);
    memoryRow->addWidget(m_dynamic);
    memoryRow->addWidget(new QLabel(tr("min"), this));
    memoryRow->addWidget(m_memoryMin);
    memoryRow->addWidget(new QLabel(tr("max"), this));
    memoryRow->addWidget(m_memoryMax);
    auto *dataButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add key"), this);
    add->setObjectName(QStringLiteral("provisionAddKey"));
    auto *remove = new QPushButton(tr("Remove key"), this);
    dataButtons->addWidget(add);
    dataButtons->addWidget(remove);
    dataButtons->addStretch(1);
    connect(add, &QPushButton::clicked, this, [this] { addDataRow(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_data->currentRow() >= 0)
            m_data->removeRow(m_data->currentRow());
        revalidate();
    });

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("VM &name:"), m_name);
    form->addRow(tr("Guest host na&me:"), m_hostName);
    form->addRow(tr("Golden &image:"), m_image);
    form->addRow(tr("Image &folder:"), m_imageDirectory);
    form->addRow(tr("&Generation:"), m_generation);
    form->addRow(tr("&Processors:"), m_cpu);
    form->addRow(tr("&Memory:"), memoryRow);
    form->addRow(tr("&Switch:"), m_switch);
    form->addRow(tr("&VLAN:"), m_vlan);
    form->addRow(tr("&Operating system:"), m_os);
    form->addRow(QString(), m_start);
    form->addRow(tr("Provisioning &data:"), m_data);
    form->addRow(QString(), dataButtons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problems);
    layout->addWidget(m_buttons);

    for (QLineEdit *e : {m_name, m_hostName, m_image, m_imageDirectory, m_switch})
        connect(e, &QLineEdit::textChanged, this, &ProvisionDialog::revalidate);
    for (QSpinBox *s : {m_cpu, m_memory, m_memoryMin, m_memoryMax, m_vlan})
        connect(s, &QSpinBox::valueChanged, this, &ProvisionDialog::revalidate);
    for (QComboBox *c : {m_generation, m_os, m_host})
        connect(c, &QComboBox::currentIndexChanged, this, &ProvisionDialog::revalidate);
    connect(m_dynamic, &QCheckBox::toggled, this, [this](bool on) {
        m_memoryMin->setEnabled(on);
        m_memoryMax->setEnabled(on);
        revalidate();
    });
    connect(m_start, &QCheckBox::toggled, this, &ProvisionDialog::revalidate);
    connect(m_data, &QTableWidget::itemChanged, this, &ProvisionDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        revalidate();
        if (!m_issues.isEmpty())
            return;
        Q_EMIT provisionRequested(host(), job());
        accept();
    });
    revalidate();
}

void ProvisionDialog::addDataRow(const QString &key, const QString &value)
{
    const int row = m_data->rowCount();
    m_data->insertRow(row);
    m_data->setItem(row, 0, new QTableWidgetItem(key));
    m_data->setItem(row, 1, new QTableWidgetItem(value));
    if (key.isEmpty())
        m_data->editItem(m_data->item(row, 0));
    revalidate();
}

ProvisioningFields ProvisionDialog::fields() const
{
    ProvisioningFields f;
    f.jobId = m_jobId;
    f.vmName = m_name->text().trimmed();
    f.hostName = m_hostName->text().trimmed();
    f.imageName = m_image->text().trimmed();
    f.imageDirectory = m_imageDirectory->text().trimmed();
    f.generation = m_generation->currentData().toInt();
    f.processorCount = m_cpu->value();
    f.memoryStartupMB = m_memory->value();
    f.dynamicMemory = m_dynamic->isChecked();
    f.memoryMinimumMB = f.dynamicMemory ? m_memoryMin->value() : 0;
    f.memoryMaximumMB = f.dynamicMemory ? m_memoryMax->value() : 0;
    f.switchName = m_switch->text().trimmed();
    f.vlanId = m_vlan->value();
    f.os = m_os->currentData().toString();
    f.start = m_start->isChecked();
    for (int r = 0; r < m_data->rowCount(); ++r) {
        const QTableWidgetItem *k = m_data->item(r, 0);
        const QTableWidgetItem *v = m_data->item(r, 1);
        const QString key = k ? k->text().trimmed() : QString();
        if (!key.isEmpty() || (v && !v->text().isEmpty()))
            f.data.append({key, v ? v->text() : QString()});
    }
    return f;
}

void ProvisionDialog::setFields(const ProvisioningFields &f)
{
    if (!f.jobId.isEmpty())
        m_jobId = f.jobId;
    m_name->setText(f.vmName);
    m_hostName->setText(f.hostName);
    m_image->setText(f.imageName);
    m_imageDirectory->setText(f.imageDirectory);
    m_generation->setCurrentIndex(m_generation->findData(f.generation));
    m_cpu->setValue(f.processorCount);
    m_memory->setValue(int(f.memoryStartupMB));
    m_dynamic->setChecked(f.dynamicMemory);
    if (f.dynamicMemory) {
        m_memoryMin->setValue(int(f.memoryMinimumMB));
        m_memoryMax->setValue(int(f.memoryMaximumMB));
    }
    m_switch->setText(f.switchName);
    m_vlan->setValue(f.vlanId);
    m_os->setCurrentIndex(m_os->findData(f.os));
    m_start->setChecked(f.start);
    m_data->setRowCount(0);
    for (const auto &[key, value] : f.data)
        addDataRow(key, value);
    revalidate();
}

QJsonObject ProvisionDialog::job() const
{
    return provision::buildJob(fields());
}

QString ProvisionDialog::host() const
{
    return m_host->currentText();
}

QWidget *ProvisionDialog::widgetForField(const QString &field) const
{
    static const QList<std::pair<QString, int>> order{
        {QStringLiteral("vm.name"), 0},           {QStringLiteral("guest.hostName"), 1},
        {QStringLiteral("image.name"), 2},        {QStringLiteral("image.directory"), 3},
        {QStringLiteral("vm.generation"), 4},     {QStringLiteral("vm.processorCount"), 5},
        {QStringLiteral("vm.memory"), 6},         {QStringLiteral("vm.network.switchName"), 7},
        {QStringLiteral("vm.network.vlanId"), 8}, {QStringLiteral("guest.os"), 9},
        {QStringLiteral("guest.data"), 10},       {QStringLiteral("guest"), 1}};
    const QList<QWidget *> widgets{m_name,       m_hostName, m_image,  m_imageDirectory,
                                   m_generation, m_cpu,      m_memory, m_switch,
                                   m_vlan,       m_os,       m_data};
    for (const auto &[prefix, i] : order) {
        if (field == prefix || field.startsWith(prefix + u'.') || field.startsWith(prefix + u' '))
            return widgets.at(i);
    }
    if (field == u"vm")
        return m_name; // "missing required property" of the VM: its name is the one typed
    return nullptr;
}

void ProvisionDialog::revalidate()
{
    const QJsonObject j = job();
    m_issues = provision::validateJob(j);
    if (m_host->count() == 0)
        m_issues.prepend({QString(), tr("this profile has no hosts")});
    QHash<QWidget *, QStringList> marked;
    for (const JobIssue &i : std::as_const(m_issues)) {
        if (QWidget *w = widgetForField(i.field))
            marked[w] << i.reason;
    }
    const QList<QWidget *> all{m_name,       m_hostName, m_image,  m_imageDirectory,
                               m_generation, m_cpu,      m_memory, m_switch,
                               m_vlan,       m_os,       m_data};
    for (QWidget *w : all) {
        const bool bad = marked.contains(w);
        w->setProperty("invalid", bad);
        w->setStyleSheet(bad ? QStringLiteral("border: 1px solid #c0392b;") : QString());
        w->setToolTip(bad ? marked.value(w).join(u'\n') : QString());
    }
    QStringList lines;
    for (const JobIssue &i : std::as_const(m_issues))
        lines << i.toString().toHtmlEscaped();
    m_problems->setText(lines.isEmpty()
                            ? QString()
                            : u"<span style=\"color:#c0392b\">" + lines.join(u"<br>") + u"</span>");
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_issues.isEmpty());
}

} // namespace aetherv::ui
