// The risk map's PNG preview with its legend: a paletted preview stays paletted (each map pixel
// keeps its colour, transparent nodata shows white, the legend below shows every class colour);
// a true-colour preview gets the same layout in true colour; a bad sidecar is an InputError.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "ui/report/preview_legend.h"

namespace {

const QRgb kLow = qRgb(26, 150, 65);
const QRgb kHigh = qRgb(215, 25, 28);

nlohmann::json sidecar() {
  return {{"model", "fire@3"},
          {"outputs", {{"preview", "map_classes.png"}}},
          {"classes",
           {{{"name", "low"}, {"upper", 0.5}, {"rgb", {26, 150, 65}}, {"area_km2", 1.5}, {"share", 0.75}},
            {{"name", "high"}, {"upper", 1.0}, {"rgb", {215, 25, 28}}, {"area_km2", 0.5}, {"share", 0.25}}}}};
}

// 60 x 40: left half low, right half high, the first row nodata (palette entry 255, transparent).
QImage paletted() {
  QImage map(60, 40, QImage::Format_Indexed8);
  QList<QRgb> palette(256, qRgba(0, 0, 0, 255));
  palette[0] = kLow;
  palette[1] = kHigh;
  palette[255] = qRgba(0, 0, 0, 0);
  map.setColorTable(palette);
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 60; ++x) map.setPixel(x, y, y == 0 ? 255 : x < 30 ? 0 : 1);
  }
  return map;
}

bool hasColour(const QImage& image, int top, QRgb colour) {
  for (int y = top; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      if ((image.pixel(x, y) & 0xffffffu) == (colour & 0xffffffu)) return true;
    }
  }
  return false;
}

}  // namespace

class PreviewLegendTest : public QObject {
  Q_OBJECT

 private slots:
  void palettedPreviewStaysPaletted() {
    QTemporaryDir folder;
    const std::string root = folder.path().toStdString();
    QVERIFY(paletted().save(folder.filePath(QStringLiteral("map_classes.png"))));
    geih::writeFileAtomic(root + "/map.json", sidecar().dump());
    geih::ui::addLegendToPreview(root + "/map.json");

    QImage out(folder.filePath(QStringLiteral("map_classes.png")));
    QCOMPARE(out.format(), QImage::Format_Indexed8);
    QVERIFY(out.height() > 40 + 2 * 20);  // the title and two class rows below the map
    QVERIFY(out.width() >= 60);
    const int left = (out.width() - 60) / 2;
    QCOMPARE(out.pixel(left + 5, 0) & 0xffffffu, 0xffffffu);  // nodata: white
    QCOMPARE(out.pixel(left + 5, 10), kLow);
    QCOMPARE(out.pixel(left + 45, 39), kHigh);
    QVERIFY(hasColour(out, 40, kLow));
    QVERIFY(hasColour(out, 40, kHigh));
    QVERIFY(hasColour(out, 40, qRgb(0, 0, 0)));  // the text
  }

  void trueColourPreviewKeepsItsPixels() {
    QTemporaryDir folder;
    const std::string root = folder.path().toStdString();
    QImage map(60, 40, QImage::Format_RGB32);
    map.fill(kHigh);
    map.setPixel(3, 4, kLow);
    QVERIFY(map.save(folder.filePath(QStringLiteral("map_classes.png"))));
    geih::writeFileAtomic(root + "/map.json", sidecar().dump());
    geih::ui::addLegendToPreview(root + "/map.json");

    QImage out(folder.filePath(QStringLiteral("map_classes.png")));
    QVERIFY(out.height() > 40 + 2 * 20);
    const int left = (out.width() - 60) / 2;
    QCOMPARE(out.pixel(left + 3, 4) & 0xffffffu, kLow & 0xffffffu);
    QCOMPARE(out.pixel(left + 50, 30) & 0xffffffu, kHigh & 0xffffffu);
    QVERIFY(hasColour(out, 40, kLow));
  }

  void aSidecarWithoutClassesIsAnInputError() {
    QTemporaryDir folder;
    const std::string root = folder.path().toStdString();
    geih::writeFileAtomic(root + "/map.json", R"({"outputs": {}})");
    QVERIFY_THROWS_EXCEPTION(geih::InputError, geih::ui::addLegendToPreview(root + "/map.json"));
  }
};

QTEST_MAIN(PreviewLegendTest)
#include "preview_legend_test.moc"
