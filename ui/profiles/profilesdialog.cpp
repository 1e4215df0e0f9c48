#include "ui/profiles/profilesdialog.h"

#include "core/config/validation.h"
#include "ui/profiles/profileeditor.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QVBoxLayout>

namespace aetherv::ui {

using config::Profile;
using config::ValidationIssue;

ProfilesDialog::ProfilesDialog(QList<Profile> profiles, const QString &currentId, QWidget *parent)
    : QDialog(parent)
    , m_profiles(std::move(profiles))
    , m_list(new QListWidget(this))
    , m_editor(new ProfileEditor(this))
    , m_issuesLabel(new QLabel(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("profilesDialog"));
    setWindowTitle(tr("Profiles"));
    for (qsizetype i = 0; i < m_profiles.size(); ++i)
        m_hostIssues << QList<ValidationIssue>();
    m_list->setObjectName(QStringLiteral("profileList"));
    m_issuesLabel->setObjectName(QStringLiteral("profileIssues"));
    m_issuesLabel->setWordWrap(true);
    m_issuesLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(QStringLiteral("profilesStatus"));
    m_status->setWordWrap(true);

    auto *add = new QPushButton(tr("&New"), this);
    m_duplicate = new QPushButton(tr("D&uplicate"), this);
    m_remove = new QPushButton(tr("De&lete"), this);
    auto *import = new QPushButton(tr("&Import…"), this);
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    add->setObjectName(QStringLiteral("newProfile"));
    m_duplicate->setObjectName(QStringLiteral("duplicateProfile"));
    m_remove->setObjectName(QStringLiteral("deleteProfile"));
    connect(add, &QPushButton::clicked, this, &ProfilesDialog::addProfile);
    connect(m_duplicate, &QPushButton::clicked, this, &ProfilesDialog::duplicateProfile);
    connect(m_remove, &QPushButton::clicked, this, &ProfilesDialog::removeProfile);
    connect(import, &QPushButton::clicked, this, &ProfilesDialog::importFile);
    connect(exportButton, &QPushButton::clicked, this, &ProfilesDialog::exportFile);
    auto *listButtons = new QVBoxLayout;
    for (QPushButton *b : {add, m_duplicate, m_remove, import, exportButton})
        listButtons->addWidget(b);
    listButtons->addStretch();

    auto *left = new QWidget(this);
    auto *leftLayout = new QHBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(listButtons);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_issuesLabel);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!hasErrors())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProfilesDialog::selectProfile);
    connect(m_editor, &ProfileEditor::edited, this, &ProfilesDialog::onEdited);

    refreshList();
    int start = 0;
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == currentId)
            start = int(i);
    }
    selectProfile(m_profiles.isEmpty() ? -1 : start);
    revalidate();
    resize(980, 680);
}

void ProfilesDialog::refreshList()
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const Profile &p : std::as_const(m_profiles)) {
        auto *item = new QListWidgetItem((p.name.isEmpty() ? tr("(unnamed)") : p.name) + u"  ["
                                             + config::environmentTagName(p.environment) + u']',
                                         m_list);
        item->setData(Qt::UserRole, p.id);
    }
    m_list->setCurrentRow(m_current);
}

void ProfilesDialog::selectProfile(int index)
{
    if (index >= int(m_profiles.size()))
        index = int(m_profiles.size()) - 1;
    m_current = index;
    {
        const QSignalBlocker block(m_list);
        m_list->setCurrentRow(index);
    }
    m_editor->setEnabled(index >= 0);
    m_remove->setEnabled(index >= 0);
    m_duplicate->setEnabled(index >= 0);
    if (index >= 0)
        m_editor->setProfile(m_profiles.at(index));
    revalidate();
}

void ProfilesDialog::onEdited()
{
    if (m_current < 0)
        return;
    m_profiles[m_current] = m_editor->profile();
    m_hostIssues[m_current] = m_editor->hostListIssues();
    if (QListWidgetItem *item = m_list->item(m_current)) {
        const Profile &p = m_profiles.at(m_current);
        item->setText((p.name.isEmpty() ? tr("(unnamed)") : p.name) + u"  ["
                      + config::environmentTagName(p.environment) + u']');
    }
    revalidate();
}

void ProfilesDialog::revalidate()
{
    m_issues.clear();
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        m_issues << m_hostIssues.value(i);
        m_issues << m_profiles.at(i).validate();
    }
    m_issues << config::validateProfiles(m_profiles);

    QList<ValidationIssue> mine;
    const QString currentId = m_current >= 0 ? m_profiles.at(m_current).id : QString();
    for (const ValidationIssue &i : std::as_const(m_issues)) {
        if (i.profileId == currentId || i.profileId.isEmpty())
            mine << i;
    }
    const QList<ValidationIssue> elsewhere = m_current >= 0 ? m_editor->showIssues(mine) : mine;
    // What the editor cannot show under a field: cross-profile findings and other profiles'.
    QStringList lines;
    for (const ValidationIssue &i : elsewhere) {
        lines << (i.isError() ? tr("Error: %1") : tr("Warning: %1")).arg(i.message);
    }
    for (const ValidationIssue &i : std::as_const(m_issues)) {
        if (i.profileId == currentId || i.profileId.isEmpty())
            continue;
        const auto it = std::ranges::find(m_profiles, i.profileId, &Profile::id);
        const QString name = it != m_profiles.end() ? it->name : i.profileId;
        lines
            << (i.isError() ? tr("Error in %1: %2") : tr("Warning in %1: %2")).arg(name, i.message);
    }
    lines.removeDuplicates();
    m_issuesLabel->setText(lines.join(u'\n'));
    m_issuesLabel->setVisible(!lines.isEmpty());
    m_issuesLabel->setStyleSheet(hasErrors() ? QStringLiteral("color: #b71c1c;")
                                             : QStringLiteral("color: #8a4b00;"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!hasErrors());
}

bool ProfilesDialog::hasErrors() const
{
    return config::hasErrors(m_issues);
}

QString ProfilesDialog::issuesText() const
{
    return m_issuesLabel->text();
}

void ProfilesDialog::addProfile()
{
    Profile p = Profile::create(tr("New profile"), config::EnvironmentTag::Development);
    m_profiles << p;
    m_hostIssues << QList<ValidationIssue>();
    refreshList();
    selectProfile(int(m_profiles.size()) - 1);
}

void ProfilesDialog::duplicateProfile()
{
    if (m_current < 0)
        return;
    Profile p = m_profiles.at(m_current);
    p.id = Profile::newId();
    p.name = tr("%1 (copy)").arg(p.name);
    m_profiles << p;
    m_hostIssues << m_hostIssues.value(m_current);
    refreshList();
    selectProfile(int(m_profiles.size()) - 1);
}

void ProfilesDialog::removeProfile()
{
    if (m_current < 0)
        return;
    m_status->setText(
        tr("Profile %1 will be deleted when you press OK.").arg(m_profiles.at(m_current).name));
    m_profiles.removeAt(m_current);
    m_hostIssues.removeAt(m_current);
    const int next = std::min(m_current, int(m_profiles.size()) - 1);
    m_current = next;
    refreshList();
    selectProfile(next);
}

QString ProfilesDialog::importJson(const QByteArray &json)
{
    const Result<QList<Profile>> imported = config::importProfiles(json);
    if (!imported) {
        m_status->setText(tr("Import failed: %1").arg(imported.error().toString()));
        return m_status->text();
    }
    int replaced = 0;
    for (const Profile &p : *imported) {
        const auto it = std::ranges::find(m_profiles, p.id, &Profile::id);
        if (it != m_profiles.end()) {
            *it = p;
            m_hostIssues[int(it - m_profiles.begin())].clear();
            ++replaced;
        } else {
            m_profiles << p;
            m_hostIssues << QList<ValidationIssue>();
        }
    }
    m_status->setText(tr("Imported %n profile(s)", nullptr, int(imported->size()))
                      + (replaced > 0 ? u"; " + tr("%n replaced", nullptr, replaced) : QString()));
    refreshList();
    selectProfile(int(m_profiles.size()) - 1);
    return QString();
}

QByteArray ProfilesDialog::exportJson(bool onlyCurrent) const
{
    if (onlyCurrent && m_current >= 0)
        return config::exportProfiles({m_profiles.at(m_current)});
    return config::exportProfiles(m_profiles);
}

void ProfilesDialog::importFile()
{
    auto *dlg = new QFileDialog(this, tr("Import profiles"), QString(),
                                tr("Profiles (*.json);;All files (*)"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setFileMode(QFileDialog::ExistingFile);
    connect(dlg, &QFileDialog::fileSelected, this, [this](const QString &file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            m_status->setText(tr("%1 cannot be read: %2").arg(file, f.errorString()));
            return;
        }
        importJson(f.readAll());
    });
    dlg->open();
}

void ProfilesDialog::exportFile()
{
    auto *dlg = new QFileDialog(this, tr("Export profiles"),
                                QStringLiteral("aetherv-profiles.json"), tr("Profiles (*.json)"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setAcceptMode(QFileDialog::AcceptSave);
    dlg->setDefaultSuffix(QStringLiteral("json"));
    connect(dlg, &QFileDialog::fileSelected, this, [this](const QString &file) {
        QSaveFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(exportJson(false)) < 0 || !f.commit()) {
            m_status->setText(tr("%1 cannot be written: %2").arg(file, f.errorString()));
            return;
        }
        m_status->setText(
            tr("Exported %n profile(s) to %1", nullptr, int(m_profiles.size())).arg(file));
    });
    dlg->open();
}

} // namespace aetherv::ui
