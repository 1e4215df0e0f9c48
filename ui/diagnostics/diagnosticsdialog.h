#pragma once

#include <QDialog>
#include <QJsonObject>

#include <functional>

class QTreeWidget;
class QTreeWidgetItem;
class QJsonValue;

namespace aetherv::ui {

// The session's metrics (deployment service, task runner, artifact server, bundle) as a tree,
// refreshed while open, copyable as JSON.
class DiagnosticsDialog : public QDialog
{
    Q_OBJECT
public:
    using Source = std::function<QJsonObject()>;
    explicit DiagnosticsDialog(Source source, QWidget *parent = nullptr);

    void refresh();
    QJsonObject current() const { return m_current; }
    QString json() const;
    void copyJson() const;
    QTreeWidget *tree() const { return m_tree; }

    // Fills `parent` (or the tree's top level) with one item per key / array element.
    static void fill(QTreeWidget *tree, const QJsonObject &object);

private:
    static void addValue(QTreeWidgetItem *parent, const QString &key, const QJsonValue &value);

    Source m_source;
    QJsonObject m_current;
    QTreeWidget *m_tree;
};

} // namespace aetherv::ui
