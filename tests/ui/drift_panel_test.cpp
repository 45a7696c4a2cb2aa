// The drift view on two CSV files with one shifted column: the check runs through the
// TaskRunner, the banner gives the verdict, the drifted feature's row is marked, the chart shows
// its histograms, and Export writes the HTML report.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/common/task_runner.h"
#include "ui/drift/drift_panel.h"

using geih::ui::DriftPanel;

namespace {

// x ~ U(0,1) on both sides; shifted ~ U(0,1) before and U(0.5,1.5) now; 1500 rows each.
void writeCsv(const QString& path, bool shift, quint64 seed) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  QTextStream out(&file);
  out << "x,shifted\n";
  quint64 state = seed;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  };
  for (int i = 0; i < 1500; ++i) out << uniform() << "," << uniform() + (shift ? 0.5 : 0.0) << "\n";
}

}  // namespace

class DriftPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void checksShowsAndExports() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeCsv(dir.filePath("ref.csv"), false, 1);
    writeCsv(dir.filePath("cur.csv"), true, 2);
    geih::ui::TaskRunner runner;
    DriftPanel panel(&runner);
    QSignalSpy checked(&panel, &DriftPanel::checked);
    panel.runCheck(dir.filePath("ref.csv"), dir.filePath("cur.csv"));
    QVERIFY(checked.wait(20000));
    QVERIFY2(checked.at(0).at(0).toBool(), qPrintable(checked.at(0).at(1).toString()));
    QVERIFY(panel.result().has_value());
    QCOMPARE(panel.result()->report.driftedCount, std::size_t(1));
    QVERIFY(panel.banner()->text().contains(QStringLiteral("Dataset drift detected")));  // 1 of 2
    QCOMPARE(panel.table()->rowCount(), 2);
    int drifted = -1;
    for (int row = 0; row < 2; ++row) {
      if (panel.table()->item(row, 6)->text() == QStringLiteral("DRIFT")) drifted = row;
    }
    QVERIFY(drifted >= 0);
    QCOMPARE(panel.table()->item(drifted, 0)->text(), QStringLiteral("shifted"));
    QCOMPARE(panel.chartFeature(), QStringLiteral("shifted"));  // the drifted one is shown first

    const QString report = dir.filePath("report.html");
    QVERIFY(panel.exportReport(report));
    QFile html(report);
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().contains("Dataset drift detected"));
    const QString pdfPath = dir.filePath("report.pdf");
    QVERIFY(panel.exportReport(pdfPath));
    QFile pdf(pdfPath);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray pdfBytes = pdf.readAll();
    QVERIFY(pdfBytes.startsWith("%PDF-"));
    QVERIFY(pdfBytes.size() > 2000);

    // A missing file: a readable message, no crash.
    checked.clear();
    panel.runCheck(dir.filePath("ref.csv"), dir.filePath("missing.csv"));
    QVERIFY(checked.wait(20000));
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    QVERIFY(panel.banner()->text().contains(QStringLiteral("missing.csv")));
    QTRY_VERIFY(!runner.isBusy());
  }
};

QTEST_MAIN(DriftPanelTest)
#include "drift_panel_test.moc"
