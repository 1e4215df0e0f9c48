#include "ui/logs/logpane.h"

#include "ui/logs/hostlogbook.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace aetherv::ui {

LogPane::LogPane(HostLogBook *book, QWidget *parent)
    : QWidget(parent)
    , m_book(book)
    , m_title(new QLabel(this))
    , m_view(new QPlainTextEdit(this))
{
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setMaximumBlockCount(HostLogBook::kMaxPerHost);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("copyLog"));
    copy->setText(tr("Copy log"));
    copy->setToolTip(tr("Copy every line shown to the clipboard"));
    connect(copy, &QToolButton::clicked, this, &LogPane::copyAll);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    connect(m_book, &HostLogBook::appended, this, &LogPane::onAppended);
    connect(m_book, &HostLogBook::cleared, this, &LogPane::reload);
    reload();
}

void LogPane::showHost(const QString &host)
{
    if (host == m_host && !m_view->document()->isEmpty())
        return;
    m_host = host;
    reload();
}

QString LogPane::shownText() const
{
    return m_view->toPlainText();
}

void LogPane::copyAll() const
{
    QApplication::clipboard()->setText(m_view->toPlainText());
}

void LogPane::reload()
{
    m_title->setText(m_host.isEmpty() ? tr("Console events") : tr("Log of %1").arg(m_host));
    m_view->clear();
    QStringList lines;
    for (const LogEntry &e : m_book->entries(m_host))
        lines << e.format();
    m_view->setPlainText(lines.join(u'\n'));
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

void LogPane::onAppended(const QString &host, const LogEntry &entry)
{
    if (host != m_host)
        return;
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    m_view->appendPlainText(entry.format());
    if (atEnd)
        bar->setValue(bar->maximum());
}

} // namespace aetherv::ui
