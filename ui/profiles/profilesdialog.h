#pragma once

#include "core/config/profile.h"
#include "core/config/validationissue.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace aetherv::ui {

class ProfileEditor;

// Creates, edits, duplicates and deletes environment profiles, imports and exports them as JSON,
// and validates every profile (and all of them together) as the operator types. OK is only
// possible while no profile has an error; warnings are shown and do not block.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    ProfilesDialog(QList<config::Profile> profiles, const QString &currentId,
                   QWidget *parent = nullptr);

    QList<config::Profile> profiles() const { return m_profiles; }
    int currentIndex() const { return m_current; }
    void selectProfile(int index);
    ProfileEditor *editor() const { return m_editor; }

    void addProfile();
    void duplicateProfile();
    void removeProfile();
    // Adds the profiles of a JSON document (one profile or {"profiles": [...]}); a profile whose
    // id exists replaces it. Returns the error text, empty on success.
    QString importJson(const QByteArray &json);
    QByteArray exportJson(bool onlyCurrent) const;

    // Every issue of every profile (own rules, host list syntax, cross-profile rules).
    QList<config::ValidationIssue> issues() const { return m_issues; }
    bool hasErrors() const;
    QString issuesText() const;

private:
    void onEdited();
    void revalidate();
    void refreshList();
    void importFile();
    void exportFile();

    QList<config::Profile> m_profiles;
    QList<QList<config::ValidationIssue>> m_hostIssues; // per profile: host list syntax
    QList<config::ValidationIssue> m_issues;
    int m_current = -1;
    QListWidget *m_list;
    ProfileEditor *m_editor;
    QLabel *m_issuesLabel;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_remove;
    QPushButton *m_duplicate;
};

} // namespace aetherv::ui
