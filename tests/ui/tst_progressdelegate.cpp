#include "ui/hosts/hosttablemodel.h"
#include "ui/hosts/progressdelegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStyleOptionProgressBar>
#include <QTableView>
#include <QTest>

using namespace aetherv;
using namespace aetherv::ui;
using deploy::HostState;
using deploy::HostStatus;

class tst_ProgressDelegate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void optionCarriesPercentAndBytes();
    void noBarWithoutProgress();
    void preparingBarWhileDeployingWithoutSizes();
    void paintsABarProportionalToProgress();
    void viewUsesNoWidgetPerRow();

private:
    QImage paint(int row, int width = 300, int height = 24);
    HostTableModel m_model;
    QTableView m_view;
    ProgressDelegate *m_delegate = nullptr;
};

void tst_ProgressDelegate::init()
{
    QList<HostStatus> list(4);
    for (int i = 0; i < 4; ++i)
        list[i].host = QStringLiteral("hv%1").arg(i);
    list[0].state = HostState::Deploying;
    list[0].bytesDone = 150LL * 1024 * 1024;
    list[0].bytesTotal = 300LL * 1024 * 1024;
    list[1].state = HostState::Current;
    list[2].state = HostState::Deploying;
    list[3].state = HostState::Deploying;
    list[3].bytesDone = 300;
    list[3].bytesTotal = 300;
    m_model.setStatuses(list);
    m_view.setModel(&m_model);
    m_delegate = new ProgressDelegate(&m_view);
    m_view.setItemDelegateForColumn(HostTableModel::Progress, m_delegate);
}

QImage tst_ProgressDelegate::paint(int row, int width, int height)
{
    QImage img(width, height, QImage::Format_ARGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    QStyleOptionViewItem opt;
    opt.initFrom(&m_view);
    opt.rect = QRect(0, 0, width, height);
    opt.widget = &m_view;
    m_delegate->paint(&p, opt, m_model.index(row, HostTableModel::Progress));
    p.end();
    return img;
}

void tst_ProgressDelegate::optionCarriesPercentAndBytes()
{
    QStyleOptionViewItem opt;
    opt.initFrom(&m_view);
    opt.rect = QRect(0, 0, 300, 24);
    opt.widget = &m_view;
    QStyleOptionProgressBar bar;
    QVERIFY(
        ProgressDelegate::progressOption(opt, m_model.index(0, HostTableModel::Progress), &bar));
    QCOMPARE(bar.minimum, 0);
    QCOMPARE(bar.maximum, 10000);
    QCOMPARE(bar.progress, 5000);
    QVERIFY(bar.textVisible);
    QVERIFY2(bar.text.startsWith(u"50 %"), qPrintable(bar.text));
    QVERIFY2(bar.text.contains(QLocale().formattedDataSize(300LL * 1024 * 1024)),
             qPrintable(bar.text));
    QVERIFY(
        ProgressDelegate::progressOption(opt, m_model.index(3, HostTableModel::Progress), &bar));
    QCOMPARE(bar.progress, 10000);
}

void tst_ProgressDelegate::noBarWithoutProgress()
{
    QStyleOptionViewItem opt;
    opt.rect = QRect(0, 0, 300, 24);
    QStyleOptionProgressBar bar;
    QVERIFY(
        !ProgressDelegate::progressOption(opt, m_model.index(1, HostTableModel::Progress), &bar));
    // The painted cell is plain background.
    const QImage img = paint(1);
    const QRgb bg = img.pixel(150, 12);
    int different = 0;
    for (int x = 0; x < img.width(); x += 3)
        different += img.pixel(x, 12) != bg ? 1 : 0;
    QCOMPARE(different, 0);
}

void tst_ProgressDelegate::preparingBarWhileDeployingWithoutSizes()
{
    QStyleOptionViewItem opt;
    opt.rect = QRect(0, 0, 300, 24);
    QStyleOptionProgressBar bar;
    QVERIFY(
        ProgressDelegate::progressOption(opt, m_model.index(2, HostTableModel::Progress), &bar));
    QCOMPARE(bar.progress, 0);
    QVERIFY(!bar.text.isEmpty());
}

void tst_ProgressDelegate::paintsABarProportionalToProgress()
{
    // Half done and fully done must paint differently, and both differ from no bar at all.
    const QImage half = paint(0);
    const QImage full = paint(3);
    const QImage none = paint(1);
    QVERIFY(half != none);
    QVERIFY(full != half);
    // The right quarter of the half bar looks like an empty groove, of the full bar like the
    // filled chunk: compare a pixel row away from the centred text.
    const int y = 5;
    const QRgb halfRight = half.pixel(280, y);
    const QRgb fullRight = full.pixel(280, y);
    QVERIFY2(halfRight != fullRight, "the filled part of the bar must reach further when done");
    const QRgb halfLeft = half.pixel(20, y);
    QCOMPARE(halfLeft, full.pixel(20, y)); // both filled on the left
    QImage out = half;
    QVERIFY(out.save(qEnvironmentVariable("AETHERV_BUILD_DIR", QStringLiteral("."))
                     + QStringLiteral("/progressdelegate-half.png")));
}

void tst_ProgressDelegate::viewUsesNoWidgetPerRow()
{
    m_view.resize(800, 200);
    m_view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m_view));
    // Only the viewport, scroll bars and header: no index widgets, no persistent editors.
    for (int r = 0; r < m_model.rowCount(); ++r)
        QVERIFY(!m_view.indexWidget(m_model.index(r, HostTableModel::Progress)));
    QVERIFY(m_view.findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly).size() < 12);
    const QImage shot = m_view.grab().toImage();
    QVERIFY(!shot.isNull());
}

QTEST_MAIN(tst_ProgressDelegate)
#include "tst_progressdelegate.moc"
