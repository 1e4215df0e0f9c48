#include "ui/diagnostics/diagnosticsdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QSet>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace aetherv::ui {

DiagnosticsDialog::DiagnosticsDialog(Source source, QWidget *parent)
    : QDialog(parent)
    , m_source(std::move(source))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("diagnosticsDialog"));
    setWindowTitle(tr("Diagnostics"));
    m_tree->setObjectName(QStringLiteral("metricsTree"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Metric"), tr("Value")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy as JSON"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyJson"));
    QPushButton *refreshButton = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, &DiagnosticsDialog::copyJson);
    connect(refreshButton, &QPushButton::clicked, this, &DiagnosticsDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    auto *timer = new QTimer(this);
    timer->setInterval(2000);
    connect(timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    timer->start();
    resize(640, 560);
    refresh();
}

void DiagnosticsDialog::refresh()
{
    m_current = m_source ? m_source() : QJsonObject();
    fill(m_tree, m_current);
}

QString DiagnosticsDialog::json() const
{
    return QString::fromUtf8(QJsonDocument(m_current).toJson(QJsonDocument::Indented));
}

void DiagnosticsDialog::copyJson() const
{
    QApplication::clipboard()->setText(json());
}

void DiagnosticsDialog::fill(QTreeWidget *tree, const QJsonObject &object)
{
    // Keep the operator's expanded branches across refreshes.
    QSet<QString> expanded;
    std::function<void(QTreeWidgetItem *, const QString &)> collect
        = [&](QTreeWidgetItem *item, const QString &path) {
              const QString p = path + u'/' + item->text(0);
              if (item->isExpanded())
                  expanded.insert(p);
              for (int i = 0; i < item->childCount(); ++i)
                  collect(item->child(i), p);
          };
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        collect(tree->topLevelItem(i), QString());
    const bool first = tree->topLevelItemCount() == 0;

    tree->clear();
    for (auto it = object.begin(); it != object.end(); ++it)
        addValue(tree->invisibleRootItem(), it.key(), it.value());

    std::function<void(QTreeWidgetItem *, const QString &)> restore
        = [&](QTreeWidgetItem *item, const QString &path) {
              const QString p = path + u'/' + item->text(0);
              item->setExpanded(first ? path.isEmpty() : expanded.contains(p));
              for (int i = 0; i < item->childCount(); ++i)
                  restore(item->child(i), p);
          };
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        restore(tree->topLevelItem(i), QString());
}

void DiagnosticsDialog::addValue(QTreeWidgetItem *parent, const QString &key,
                                 const QJsonValue &value)
{
    auto *item = new QTreeWidgetItem(parent, {key});
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            addValue(item, it.key(), it.value());
        item->setText(1, tr("%n entries", nullptr, int(o.size())));
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonValue v = a.at(i);
            // Name array elements by their "host" or "name" when they have one.
            QString label = QString::number(i);
            if (v.isObject()) {
                const QJsonObject o = v.toObject();
                const QString n = o.value(QStringLiteral("host"))
                                      .toString(o.value(QStringLiteral("name")).toString());
                if (!n.isEmpty())
                    label = n;
            }
            addValue(item, label, v);
        }
        item->setText(1, tr("%n items", nullptr, int(a.size())));
    } else if (value.isBool()) {
        item->setText(1, value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    } else if (value.isDouble()) {
        item->setText(1, QString::number(value.toDouble(), 'g', 15));
    } else if (value.isNull()) {
        item->setText(1, QStringLiteral("null"));
    } else {
        item->setText(1, value.toString());
    }
}

} // namespace aetherv::ui
