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

#include "core/geo/raster_stack.h"
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

  void twoRastersMakeADriftMap() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // 64 x 64 pixels in 1 x 1 tile of 64: "temperature" shifted by 4, "humidity" unchanged.
    geih::geo::Grid grid;
    grid.width = 64;
    grid.height = 64;
    grid.geoTransform = {500000, 30, 0, 9000000, 0, -30};
    grid.projectionWkt = geih::geo::wktForEpsg(31985);
    std::vector<double> temperature(64 * 64), warmer(64 * 64), humidity(64 * 64);
    for (std::size_t p = 0; p < temperature.size(); ++p) {
      temperature[p] = double(p % 17);
      warmer[p] = temperature[p] + 4;
      humidity[p] = double(p % 23);
    }
    const QString before = dir.filePath("before.tif");
    const QString after = dir.filePath("after.tif");
    geih::geo::writeGeoTiff(before.toStdString(), grid, {"temperature", "humidity"}, {temperature, humidity});
    geih::geo::writeGeoTiff(after.toStdString(), grid, {"temperature", "humidity"}, {warmer, humidity});

    geih::ui::TaskRunner runner;
    DriftPanel panel(&runner);
    QSignalSpy checked(&panel, &DriftPanel::checked);
    QSignalSpy written(&panel, &DriftPanel::driftMapWritten);
    panel.runCheck(before, after);
    QVERIFY(checked.wait(20000));
    QCOMPARE(checked.at(0).at(0).toBool(), true);
    QCOMPARE(written.count(), 1);
    const QString map = written.at(0).at(0).toString();
    QVERIFY(QFile::exists(map));
    QVERIFY(map.endsWith(QStringLiteral("drift_before_vs_after.tif")));
    QCOMPARE(panel.table()->rowCount(), 2);
    for (int row = 0; row < 2; ++row) {
      const QString feature = panel.table()->item(row, 0)->text();
      QCOMPARE(panel.table()->item(row, 6)->text(),
               feature == QStringLiteral("temperature") ? QStringLiteral("100.0% of tiles") : QStringLiteral("0.0% of tiles"));
    }
    QVERIFY(panel.banner()->text().contains(QStringLiteral("Drift map")));
    QVERIFY(!panel.result().has_value());  // no table report to export

    // A raster on another grid: a readable message.
    grid.geoTransform[0] += 30;
    geih::geo::writeGeoTiff(dir.filePath("shifted.tif").toStdString(), grid, {"temperature"}, {temperature});
    checked.clear();
    panel.runCheck(before, dir.filePath("shifted.tif"));
    QVERIFY(checked.wait(20000));
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    QVERIFY(panel.banner()->text().contains(QStringLiteral("different grids")));
    QTRY_VERIFY(!runner.isBusy());
  }
};

QTEST_MAIN(DriftPanelTest)
#include "drift_panel_test.moc"
