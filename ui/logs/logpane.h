#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace aetherv::ui {

class HostLogBook;
struct LogEntry;

// Shows the log book's lines for one host (or the console-wide lines when no host is selected):
// timestamped, selectable, with a button that copies everything shown.
class LogPane : public QWidget
{
    Q_OBJECT
public:
    explicit LogPane(HostLogBook *book, QWidget *parent = nullptr);

    void showHost(const QString &host); // empty: console-wide events
    QString host() const { return m_host; }
    QString shownText() const;
    void copyAll() const;

private:
    void onAppended(const QString &host, const LogEntry &entry);
    void reload();

    HostLogBook *m_book;
    QString m_host;
    QLabel *m_title;
    QPlainTextEdit *m_view;
};

} // namespace aetherv::ui
