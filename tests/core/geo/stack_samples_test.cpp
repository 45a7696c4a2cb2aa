// Feature stacks from several rasters and training samples from label rasters and point layers,
// on small grids whose every value is known.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/error.h"
#include "core/geo/raster_stack.h"
#include "core/geo/sample_extraction.h"
#include "core/geo/stack_builder.h"
#include "core/table/csv_writer.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
const fs::path kOlinda = fs::path(GEIH_TEST_DATA_DIR) / "olinda_l7_crop.tif";
const fs::path kDem = fs::path(GEIH_TEST_DATA_DIR) / "olinda_dem_utm25s.tif";

class StackSamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 20 x 10 pixels of 10 m; band f = column, band g = row; label 1 left of column 5.
    m_grid.width = 20;
    m_grid.height = 10;
    m_grid.geoTransform = {1000, 10, 0, 2000, 0, -10};
    m_grid.projectionWkt = wktForEpsg(31985);
    std::vector<double> f(200), g(200), label(200);
    for (int r = 0; r < 10; ++r) {
      for (int c = 0; c < 20; ++c) {
        const std::size_t p = std::size_t(r * 20 + c);
        f[p] = c;
        g[p] = r;
        label[p] = c < 5 ? 1 : 0;
      }
    }
    f[3 * 20 + 2] = -1;    // a nodata feature at a positive pixel
    label[9 * 20 + 19] = 255;  // an unlabelled pixel
    writeGeoTiff(m_folder / "features.tif", m_grid, {"f", "g"}, {f, g}, -1.0);
    writeGeoTiff(m_folder / "labels.tif", m_grid, {"burned"}, {label}, 255.0);
  }

  static double pixel(const RasterStack& stack, int band, int row, int col) {
    std::vector<double> values(std::size_t(stack.grid().width));
    stack.readRows(band, row, 1, values.data());
    return values[std::size_t(col)];
  }

  testing::TempFolder m_folder{"stack"};
  Grid m_grid;
};

TEST(StackInputParsing, NamesBandsAndCategories) {
  StackInput a = parseStackInput("red=scene.tif:3");
  EXPECT_EQ(a.name, "red");
  EXPECT_EQ(a.path, "scene.tif");
  EXPECT_EQ(a.band, 3);
  EXPECT_FALSE(a.categorical);
  StackInput b = parseStackInput("landcover=lc.tif@cat");
  EXPECT_EQ(b.name, "landcover");
  EXPECT_EQ(b.band, 0);
  EXPECT_TRUE(b.categorical);
  StackInput c = parseStackInput("C:/data/x.tif");
  EXPECT_EQ(c.path, "C:/data/x.tif");
  EXPECT_THROW(parseStackInput("=x.tif"), InputError);
  EXPECT_THROW(parseStackInput("x.tif:0"), InputError);
}

TEST_F(StackSamplesTest, StackKeepsValuesNamesAndRefusesOtherGridsUnlessWarping) {
  const fs::path output = m_folder / "stack.tif";
  StackOptions options;
  const StackSummary summary = writeStack(
      {parseStackInput("red=" + kOlinda.string() + ":3"), parseStackInput("nir=" + kOlinda.string() + ":4")},
      options, output, Progress::none());
  EXPECT_EQ(summary.bandNames, (std::vector<std::string>{"red", "nir"}));
  const RasterStack stack = RasterStack::open(output);
  EXPECT_EQ(stack.bandNames(), summary.bandNames);
  EXPECT_EQ(pixel(stack, 0, 70, 5), 40.0);
  EXPECT_EQ(pixel(stack, 1, 70, 5), 94.0);
  EXPECT_EQ(stack.grid().projectionWkt, RasterStack::open(kOlinda).grid().projectionWkt);

  // The DEM is 90 m pixels: refused, then warped onto the 28.5 m grid.
  const std::vector<StackInput> mixed = {parseStackInput("red=" + kOlinda.string() + ":3"),
                                         parseStackInput("elevation=" + kDem.string())};
  try {
    writeStack(mixed, options, m_folder / "mixed.tif", Progress::none());
    FAIL() << "other grid";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("another grid (111 x 111 pixels of 89.99"), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(fs::exists(m_folder / "mixed.tif"));
  options.warp = true;
  const StackSummary warped = writeStack(mixed, options, m_folder / "mixed.tif", Progress::none());
  ASSERT_EQ(warped.warped.size(), 1u);
  const RasterStack stackWarped = RasterStack::open(m_folder / "mixed.tif");
  EXPECT_EQ(stackWarped.grid().width, 96);
  EXPECT_EQ(stackWarped.grid().height, 80);
  // The crop lies inside the DEM: every warped elevation is a value between the DEM's extremes.
  std::vector<double> dem(111 * 111);
  RasterStack::open(kDem).readRows(0, 0, 111, dem.data());
  const auto [low, high] = std::minmax_element(dem.begin(), dem.end());
  for (int row = 0; row < 80; row += 7) {
    const double z = pixel(stackWarped, 1, row, 40);
    EXPECT_GE(z, *low);
    EXPECT_LE(z, *high);
  }
}

TEST_F(StackSamplesTest, CategoricalBandsKeepTheirClassNames) {
  writeGeoTiff(m_folder / "lc.tif", m_grid, {"landcover"}, {std::vector<double>(200, 1.0)}, std::nullopt,
               {{"water", "forest", "savanna"}});
  writeStack({parseStackInput((m_folder / "features.tif").string()), parseStackInput((m_folder / "lc.tif").string() + "@cat")},
             {}, m_folder / "stack.tif", Progress::none());
  const RasterStack stack = RasterStack::open(m_folder / "stack.tif");
  EXPECT_EQ(stack.bandNames(), (std::vector<std::string>{"f", "g", "landcover"}));
  EXPECT_EQ(stack.categoryNames(2), (std::vector<std::string>{"water", "forest", "savanna"}));
  EXPECT_EQ(stack.nodata(0), -9999.0);
  EXPECT_EQ(pixel(stack, 0, 3, 2), -9999.0);  // the input's nodata became the stack's
}

TEST_F(StackSamplesTest, EveryLabelledPixelWithCoordinates) {
  const RasterStack features = RasterStack::open(m_folder / "features.tif");
  const RasterStack labels = RasterStack::open(m_folder / "labels.tif");
  SampleSummary summary;
  const table::Table samples =
      samplesFromLabelRaster(features, labels, 0, {}, summary, Progress::none());
  EXPECT_EQ(samples.rowCount(), 198u);  // 200 − one nodata feature − one unlabelled
  EXPECT_EQ(summary.positives, 49u);
  EXPECT_EQ(summary.negatives, 149u);
  EXPECT_EQ(summary.skippedNodata, 1u);
  const auto f = samples.column("f").numbers();
  const auto g = samples.column("g").numbers();
  const auto label = samples.column("label").numbers();
  const auto x = samples.column("x").numbers();
  const auto y = samples.column("y").numbers();
  for (std::size_t i = 0; i < samples.rowCount(); ++i) {
    EXPECT_EQ(label[i], f[i] < 5 ? 1.0 : 0.0);
    EXPECT_DOUBLE_EQ(x[i], 1000 + 10 * (f[i] + 0.5));  // f is the column
    EXPECT_DOUBLE_EQ(y[i], 2000 - 10 * (g[i] + 0.5));  // g is the row
    EXPECT_EQ(samples.column("col").numbers()[i], f[i]);
  }
}

TEST_F(StackSamplesTest, AtMostNPerClassIsSeededAndUniform) {
  const RasterStack features = RasterStack::open(m_folder / "features.tif");
  const RasterStack labels = RasterStack::open(m_folder / "labels.tif");
  SampleOptions options;
  options.maxPerClass = 10;
  options.labelColumn = "fire";
  SampleSummary first;
  SampleSummary second;
  const table::Table a = samplesFromLabelRaster(features, labels, 0, options, first, Progress::none());
  const table::Table b = samplesFromLabelRaster(features, labels, 0, options, second, Progress::none());
  EXPECT_EQ(first.positives, 10u);
  EXPECT_EQ(first.negatives, 10u);
  EXPECT_EQ(table::toCsv(a), table::toCsv(b));
  options.seed = 7;
  SampleSummary third;
  EXPECT_NE(table::toCsv(samplesFromLabelRaster(features, labels, 0, options, third, Progress::none())),
            table::toCsv(a));
  double positives = 0;
  for (std::size_t i = 0; i < a.rowCount(); ++i) {
    EXPECT_EQ(a.column("fire").numbers()[i], a.column("f").numbers()[i] < 5 ? 1.0 : 0.0);
    positives += a.column("fire").numbers()[i];
  }
  EXPECT_EQ(positives, 10.0);
}

TEST_F(StackSamplesTest, PointsGivePositivesAndBackgroundAtARatio) {
  const RasterStack features = RasterStack::open(m_folder / "features.tif");
  const fs::path csv = m_folder / "hotspots.csv";
  // Pixel (row 1, col 2), the same pixel again, pixel (row 8, col 15), and one far away.
  std::ofstream(csv) << "x,y\n1025,1985\n1021,1981\n1155,1915\n9000,9000\n";
  SampleOptions options;
  options.backgroundRatio = 2;
  SampleSummary summary;
  const table::Table samples = samplesFromPoints(features, {csv, "", ""}, options, summary, Progress::none());
  EXPECT_EQ(summary.positives, 2u);
  EXPECT_EQ(summary.negatives, 4u);
  EXPECT_EQ(summary.duplicatePoints, 1u);
  EXPECT_EQ(summary.pointsOutside, 1u);
  ASSERT_EQ(samples.rowCount(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    const double row = samples.column("row").numbers()[i];
    const double col = samples.column("col").numbers()[i];
    const bool hotspot = (row == 1 && col == 2) || (row == 8 && col == 15);
    EXPECT_EQ(samples.column("label").numbers()[i], hotspot ? 1.0 : 0.0);
    EXPECT_EQ(samples.column("f").numbers()[i], col);
    EXPECT_FALSE(row == 3 && col == 2);  // nodata never sampled
  }
  std::ofstream(m_folder / "far.csv") << "x,y\n9000,9000\n";
  EXPECT_THROW(samplesFromPoints(features, {m_folder / "far.csv", "", ""}, options, summary, Progress::none()),
               InputError);
}

TEST_F(StackSamplesTest, LabelsOnAnotherGridAreRefused) {
  const RasterStack olinda = RasterStack::open(kOlinda);
  const RasterStack labels = RasterStack::open(m_folder / "labels.tif");
  SampleSummary summary;
  EXPECT_THROW(samplesFromLabelRaster(olinda, labels, 0, {}, summary, Progress::none()), InputError);
  const RasterStack features = RasterStack::open(m_folder / "features.tif");
  EXPECT_THROW(samplesFromLabelRaster(features, labels, 3, {}, summary, Progress::none()), InputError);
}

}  // namespace
}  // namespace geih::geo
