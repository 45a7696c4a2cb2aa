#include "ui/report/preview_legend.h"

#include <QBuffer>
#include <QFont>
#include <QFontMetrics>
#include <QHash>
#include <QImage>
#include <QPainter>

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>
#include <optional>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace geih::ui {

namespace fs = std::filesystem;

namespace {

// A palette entry as it shows over white (the preview has no transparency; nodata shows white).
QRgb overWhite(QRgb colour) {
  const int alpha = qAlpha(colour);
  const auto blend = [alpha](int channel) { return (channel * alpha + 255 * (255 - alpha) + 127) / 255; };
  return qRgb(blend(qRed(colour)), blend(qGreen(colour)), blend(qBlue(colour)));
}

// Antialiased text is drawn in up to 256 greys; 65 look the same and leave room in a palette.
QRgb fewerGreys(QRgb colour) {
  const int grey = qGreen(colour);
  if (qRed(colour) != grey || qBlue(colour) != grey) return colour | 0xff000000u;
  const int level = std::min(255, (grey + 2) / 4 * 4);
  return qRgb(level, level, level);
}

// The map above the legend as a paletted image: the map's pixels keep their palette indices (only
// the colours in use are kept), the legend's colours are added to the palette. A paletted PNG is a
// quarter of the bytes of an RGB one to compress, and smaller. Empty when the map is not paletted
// or the two together have more than 256 colours.
std::optional<QImage> stackIndexed(const QImage& map, const QImage& legend) {
  if (map.format() != QImage::Format_Indexed8) return std::nullopt;
  const QList<QRgb> mapColours = map.colorTable();
  const int mapWidth = map.width();
  const int mapHeight = map.height();
  std::array<bool, 256> used{};
  for (int y = 0; y < mapHeight; ++y) {
    const uchar* row = map.constScanLine(y);
    for (int x = 0; x < mapWidth; ++x) used[row[x]] = true;
  }
  QList<QRgb> palette;
  QHash<QRgb, int> indexOf;
  const auto entry = [&](QRgb colour) {
    const auto found = indexOf.constFind(colour);
    if (found != indexOf.constEnd()) return *found;
    palette.push_back(colour);
    return *indexOf.insert(colour, int(palette.size()) - 1);
  };
  std::array<uchar, 256> remap{};
  for (int i = 0; i < 256; ++i) {
    if (used[std::size_t(i)]) remap[std::size_t(i)] = uchar(entry(overWhite(i < mapColours.size() ? mapColours[i] : qRgb(0, 0, 0))));
  }
  const int whiteIndex = entry(qRgb(255, 255, 255));
  if (whiteIndex > 255) return std::nullopt;
  const auto white = uchar(whiteIndex);
  const int width = legend.width();
  QImage out(width, mapHeight + legend.height(), QImage::Format_Indexed8);
  const int left = (width - mapWidth) / 2;
  for (int y = 0; y < mapHeight; ++y) {
    const uchar* from = map.constScanLine(y);
    uchar* to = out.scanLine(y);
    std::fill(to, to + width, white);
    for (int x = 0; x < mapWidth; ++x) to[left + x] = remap[from[x]];
  }
  for (int y = 0; y < legend.height(); ++y) {
    const auto* from = reinterpret_cast<const QRgb*>(legend.constScanLine(y));
    uchar* to = out.scanLine(mapHeight + y);
    for (int x = 0; x < width; ++x) {
      const int index = entry(fewerGreys(from[x]));
      if (index > 255) return std::nullopt;
      to[x] = uchar(index);
    }
  }
  out.setColorTable(palette);
  return out;
}

// The same as true colour, for maps that are not paletted.
QImage stackRgb(const QImage& map, const QImage& legend) {
  QImage out(legend.width(), map.height() + legend.height(), QImage::Format_RGB32);
  out.fill(Qt::white);
  QPainter painter(&out);
  painter.drawImage((legend.width() - map.width()) / 2, 0, map);
  painter.drawImage(0, map.height(), legend);
  return out;
}

// The map with the legend drawn below it; `info` holds "model" and "classes" as in the sidecar.
QImage withLegend(const QImage& map, const nlohmann::json& info) {
  QFont font;
  font.setPixelSize(13);
  // Grey-level antialiasing (no coloured subpixel fringes) keeps the legend within a palette.
  font.setStyleStrategy(QFont::NoSubpixelAntialias);
  QFont bold = font;
  bold.setBold(true);
  const QFontMetrics metrics(font);
  const int line = metrics.height() + 6;
  const int margin = 10;
  const auto& classes = info.at("classes");
  QStringList rows;
  double lower = 0;
  int textWidth = 0;
  for (const auto& c : classes) {
    const double upper = c.value("upper", 1.0);
    const QString row = QStringLiteral("%1   %2–%3   %4 km²   %5 %")
                            .arg(QString::fromStdString(c.value("name", std::string("?"))))
                            .arg(lower, 0, 'g', 3)
                            .arg(upper, 0, 'g', 3)
                            .arg(c.value("area_km2", 0.0), 0, 'g', 5)
                            .arg(100.0 * c.value("share", 0.0), 0, 'f', 1);
    rows << row;
    textWidth = std::max(textWidth, metrics.horizontalAdvance(row));
    lower = upper;
  }
  const QString title = QString::fromStdString(info.value("model", std::string("risk map")));
  textWidth = std::max(textWidth + 26, QFontMetrics(bold).horizontalAdvance(title));
  const int width = std::max(map.width(), textWidth + 2 * margin);
  const int legendHeight = margin + line * (int(rows.size()) + 1) + margin;
  QImage legend(width, legendHeight, QImage::Format_RGB32);
  legend.fill(Qt::white);
  {
    QPainter painter(&legend);
    int y = margin;
    painter.setFont(bold);
    painter.setPen(Qt::black);
    painter.drawText(margin, y + metrics.ascent(), title);
    painter.setFont(font);
    int k = 0;
    for (const auto& c : classes) {
      y += line;
      const auto rgb = c.value("rgb", std::vector<int>{128, 128, 128});
      painter.fillRect(margin, y, 16, metrics.height(), QColor(rgb.at(0), rgb.at(1), rgb.at(2)));
      painter.drawRect(margin, y, 16, metrics.height());
      painter.drawText(margin + 24, y + metrics.ascent(), rows[k++]);
    }
  }
  const std::optional<QImage> indexed = stackIndexed(map, legend);
  return indexed ? *indexed : stackRgb(map, legend);
}

std::string pngBytes(const QImage& image) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  // Qt maps quality 80 to zlib level 1 (see preview PNGs in geotiff_output.cpp).
  image.save(&buffer, "PNG", 80);
  return std::string(bytes.constData(), std::size_t(bytes.size()));
}

}  // namespace

void addLegendToPreview(const fs::path& sidecar) {
  nlohmann::json info;
  try {
    info = nlohmann::json::parse(readFile(sidecar));
  } catch (const std::exception& error) {
    throw InputError("cannot read the risk-map sidecar '" + sidecar.string() + "': " + error.what());
  }
  if (!info.contains("outputs") || !info.contains("classes")) {
    throw InputError("'" + sidecar.string() + "' is not a risk-map sidecar (no outputs or classes)");
  }
  const fs::path previewPath = sidecar.parent_path() / info["outputs"].value("preview", std::string());
  QImage map;
  if (!map.load(QString::fromStdU16String(previewPath.u16string()))) {
    throw InputError("cannot read the preview '" + previewPath.string() + "'");
  }
  writeFileAtomic(previewPath, pngBytes(withLegend(map, info)));
}

void drawPreviewWithLegend(const geo::PreviewImage& image, const nlohmann::json& legend, const fs::path& png) {
  QImage map(image.width, image.height, QImage::Format_Indexed8);
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(map.scanLine(y), image.pixels.data() + std::size_t(y) * std::size_t(image.width),
                std::size_t(image.width));
  }
  QList<QRgb> colours;
  for (int i = 0; i < 256; ++i) {
    if (std::size_t(i) < image.palette.size()) {
      const auto& rgba = image.palette[std::size_t(i)];
      colours.push_back(qRgba(rgba[0], rgba[1], rgba[2], rgba[3]));
    } else {
      colours.push_back(image.palette.empty() ? qRgb(i, i, i) : qRgb(0, 0, 0));
    }
  }
  map.setColorTable(colours);
  writeFileAtomic(png, pngBytes(withLegend(map, legend)));
}

}  // namespace geih::ui
