// The map view on real GeoTIFFs: a classified map written with a colour table shows its colours
// where its pixels are, opacity fades it, swipe shows the layer below on the right, the value
// under the cursor names the class, a layer in another CRS is refused, and the whole-map export
// writes a PNG whose map area holds the class colours.
#include <QCheckBox>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

#include "core/geo/geotiff_output.h"
#include "core/geo/raster_stack.h"
#include "ui/common/task_runner.h"
#include "ui/map/map_canvas.h"
#include "ui/map/map_panel.h"

using geih::ui::MapPanel;

namespace {

// 40 x 20 pixels of 30 m in UTM 25S: class `left` in columns 0..19, `right` in 20..39.
void writeClasses(const QString& path, int epsg, std::uint8_t left, std::uint8_t right) {
  geih::geo::Grid grid;
  grid.width = 40;
  grid.height = 20;
  grid.geoTransform = {290000, 30, 0, 9110000, 0, -30};
  grid.projectionWkt = geih::geo::wktForEpsg(epsg);
  geih::geo::PendingFiles files;
  geih::geo::GeoTiffOutput output(files, path.toStdString(), grid, 1, geih::geo::PixelType::Byte);
  geih::geo::ClassLegend legend;
  legend.names = {"low", "high", "critical"};
  legend.colours = {{{0, 160, 0}}, {{230, 120, 0}}, {{200, 0, 0}}};
  output.setLegend(0, legend);
  std::vector<std::uint8_t> values(40 * 20);
  for (int r = 0; r < 20; ++r) {
    for (int c = 0; c < 40; ++c) values[std::size_t(r * 40 + c)] = c < 20 ? left : right;
  }
  output.writeRows(0, 0, 20, values.data());
  output.finish();
  files.publish();
}

bool waitForMap(MapPanel& panel) {
  for (int i = 0; i < 200; ++i) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    panel.canvas()->repaint();
    if (panel.canvas()->isComplete()) return true;
    QTest::qWait(20);
  }
  return false;
}

QColor colourAt(MapPanel& panel, double x, double y) {
  const QImage image = panel.canvas()->grab().toImage();
  const QPointF screen = panel.canvas()->toScreen(QPointF(x, y));
  return image.pixelColor(int(screen.x()), int(screen.y()));
}

}  // namespace

class MapPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void showsClassesOpacitySwipeAndValues() {
    QTemporaryDir dir;
    writeClasses(dir.filePath("a.tif"), 31985, 0, 2);  // low | critical
    writeClasses(dir.filePath("b.tif"), 31985, 1, 1);  // high everywhere
    geih::ui::TaskRunner runner;
    MapPanel panel(&runner);
    panel.resize(900, 600);
    panel.show();
    QSignalSpy added(&panel, &MapPanel::layerAdded);
    panel.addRaster(dir.filePath("b.tif"));
    panel.addRaster(dir.filePath("a.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 2, 10000);
    // Asked-for order: a.tif on top, listed first.
    QCOMPARE(panel.layerList()->item(0)->text(), QStringLiteral("a.tif"));
    QVERIFY(waitForMap(panel));
    // Map point of pixel (row 10, col 5) and (row 10, col 30).
    const double leftX = 290000 + 30 * 5.5, rightX = 290000 + 30 * 30.5, y = 9110000 - 30 * 10.5;
    QCOMPARE(colourAt(panel, leftX, y), QColor(0, 160, 0));
    QCOMPARE(colourAt(panel, rightX, y), QColor(200, 0, 0));
    QVERIFY(panel.probe(leftX, y).contains(QStringLiteral("a.tif: low")));
    QVERIFY(panel.probe(rightX, y).contains(QStringLiteral("b.tif: high")));

    // Swipe: the top layer only left of the middle; b.tif shows on the right.
    panel.canvas()->setSwipePosition(panel.canvas()->toScreen(QPointF(290000 + 30 * 20, y)).x() /
                                     panel.canvas()->width());
    panel.swipeBox()->setChecked(true);
    QVERIFY(waitForMap(panel));
    QCOMPARE(colourAt(panel, leftX, y), QColor(0, 160, 0));
    QCOMPARE(colourAt(panel, rightX, y), QColor(230, 120, 0));
    panel.swipeBox()->setChecked(false);

    // Opacity 0 on the top layer: b.tif everywhere.
    panel.layerList()->setCurrentRow(0);
    panel.opacitySlider()->setValue(0);
    QVERIFY(waitForMap(panel));
    QCOMPARE(colourAt(panel, leftX, y), QColor(230, 120, 0));

    // Hidden: same.
    panel.opacitySlider()->setValue(100);
    panel.layerList()->item(0)->setCheckState(Qt::Unchecked);
    QVERIFY(waitForMap(panel));
    QCOMPARE(colourAt(panel, leftX, y), QColor(230, 120, 0));
    QVERIFY(!panel.probe(leftX, y).contains(QStringLiteral("a.tif")));
  }

  void refusesAnotherCrsAndExportsTheWholeMap() {
    QTemporaryDir dir;
    writeClasses(dir.filePath("a.tif"), 31985, 0, 2);
    writeClasses(dir.filePath("other.tif"), 4326, 0, 0);
    geih::ui::TaskRunner runner;
    MapPanel panel(&runner);
    panel.resize(900, 600);
    QSignalSpy added(&panel, &MapPanel::layerAdded);
    QSignalSpy failed(&panel, &MapPanel::layerFailed);
    panel.addRaster(dir.filePath("a.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 10000);
    panel.addRaster(dir.filePath("other.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("another CRS")));
    panel.addRaster(dir.filePath("missing.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 10000);
    QCOMPARE(panel.layers().size(), 1);

    QSignalSpy exported(&panel, &MapPanel::exported);
    const QString png = dir.filePath("map.png");
    panel.exportTo(png, true, QStringLiteral("Fire risk"));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 10000);
    const QImage image(png);
    QVERIFY(!image.isNull());
    // The map image starts at (24, 72) and is 40 x 20 (the raster's own size).
    QCOMPARE(image.pixelColor(24 + 5, 72 + 10), QColor(0, 160, 0));
    QCOMPARE(image.pixelColor(24 + 30, 72 + 10), QColor(200, 0, 0));
    const QString pdf = dir.filePath("map.pdf");
    panel.exportTo(pdf, false);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 10000);
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(5) == "%PDF-");
    panel.exportTo(dir.filePath("map.bmp"), true);
    QTRY_VERIFY_WITH_TIMEOUT(panel.messageLabel()->text().contains(QStringLiteral(".png or .pdf")), 10000);

    // With the only layer removed the refusal no longer holds: its message goes, and the layer
    // in the other CRS can be shown on its own.
    panel.addRaster(dir.filePath("other.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 3, 10000);
    QVERIFY(!panel.messageLabel()->isHidden());
    panel.removeLayer(0);
    QVERIFY(panel.messageLabel()->isHidden());
    panel.addRaster(dir.filePath("other.tif"));
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 2, 10000);
  }
};

QTEST_MAIN(MapPanelTest)
#include "map_panel_test.moc"
