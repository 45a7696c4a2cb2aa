#include "core/geo/geotiff_output.h"

#include <gdal_priv.h>
#include <gdal_utils.h>

#include <random>

#include "core/common/error.h"
#include "core/geo/overview_pyramid.h"
#include "core/geo/tile_row_writer.h"

namespace geih::geo {

namespace fs = std::filesystem;

namespace {

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const {
    if (dataset) GDALClose(GDALDataset::ToHandle(dataset));
  }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

fs::path auxOf(const fs::path& path) { return fs::path(path.string() + ".aux.xml"); }

// Overview factors 2, 4, ... while the overview still has 256 pixels along its longer side.
std::vector<int> overviewLevels(int width, int height) {
  std::vector<int> levels;
  for (int level = 2; std::max(width, height) / level >= 256; level *= 2) levels.push_back(level);
  return levels;
}

void buildOverviews(GDALDataset& dataset, const char* resampling, int threads) {
  // GDAL computes and compresses overview blocks on GDAL_NUM_THREADS threads.
  const std::string previous = CPLGetConfigOption("GDAL_NUM_THREADS", "");
  CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", threads > 0 ? std::to_string(threads).c_str() : "ALL_CPUS");
  struct Restore {
    std::string value;
    ~Restore() { CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", value.empty() ? nullptr : value.c_str()); }
  } restore{previous};
  std::vector<int> levels = overviewLevels(dataset.GetRasterXSize(), dataset.GetRasterYSize());
  if (levels.empty()) return;
  if (dataset.BuildOverviews(resampling, int(levels.size()), levels.data(), 0, nullptr, nullptr,
                             nullptr) != CE_None) {
    throw IoError(std::string("cannot build overviews: ") + CPLGetLastErrorMsg());
  }
}

}  // namespace

Compression compressionFromName(const std::string& name) {
  if (name == "zstd") return Compression::Zstd;
  if (name == "deflate") return Compression::Deflate;
  if (name == "none") return Compression::None;
  throw InputError("unknown compression '" + name + "' (valid: zstd, deflate, none)");
}

namespace {

// GTiff (or, when `cog`, COG driver) creation options for `compression` of pixels of `type`.
char** withCompression(char** options, Compression compression, PixelType type, bool cog) {
  switch (compression) {
    case Compression::Zstd:
      // Level 1 and no predictor: the predictor doubled the time for 7% of size.
      options = CSLSetNameValue(options, "COMPRESS", "ZSTD");
      return CSLSetNameValue(options, cog ? "LEVEL" : "ZSTD_LEVEL", "1");
    case Compression::Deflate:
      // Level 1: on a 10000² map level 6 cost a fifth of the scoring time for a few percent of
      // size. The floating-point predictor lets smooth float fields compress at all.
      options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
      options = CSLSetNameValue(options, cog ? "LEVEL" : "ZLEVEL", "1");
      if (type == PixelType::Float32) {
        options = CSLSetNameValue(options, "PREDICTOR", cog ? "FLOATING_POINT" : "3");
      }
      return options;
    case Compression::None:
      return CSLSetNameValue(options, "COMPRESS", "NONE");
  }
  return options;
}

}  // namespace

fs::path temporaryBeside(const fs::path& target) {
  std::random_device random;
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  return folder / (".tmp-" + std::to_string(random()) + "-" + target.filename().string());
}

PendingFiles::~PendingFiles() {
  if (m_published) return;
  std::error_code ec;
  for (const auto& [temporary, target] : m_files) {
    fs::remove(temporary, ec);
    fs::remove(auxOf(temporary), ec);
  }
}

void PendingFiles::add(const fs::path& temporary, const fs::path& target) {
  m_files.emplace_back(temporary, target);
}

void PendingFiles::publish() {
  std::error_code ec;
  for (const auto& [temporary, target] : m_files) {
    fs::rename(temporary, target, ec);
    if (ec) throw IoError("cannot move '" + temporary.string() + "' to '" + target.string() + "': " + ec.message());
    if (fs::exists(auxOf(temporary), ec)) {
      fs::rename(auxOf(temporary), auxOf(target), ec);
    } else {
      fs::remove(auxOf(target), ec);  // a stale side file of an older product
    }
  }
  m_published = true;
}

struct GeoTiffOutput::Impl {
  fs::path temporary;
  DatasetPtr dataset;
  PixelType type = PixelType::Float32;
  int width = 0;
  int threads = 0;
  Compression compression = Compression::Zstd;
  // Overviews written as the rows arrive (overview_pyramid.h) while every band is written in
  // order from row 0; otherwise, or if GDAL cannot add empty overviews, built at finish().
  int height = 0;
  std::vector<int> levels;  // overview factors 2, 4, ...
  bool inlineOverviews = false;
  bool overviewsCreated = false;
  std::vector<int> nextRow;                         // per band
  std::vector<std::optional<double>> nodata;        // per band
  std::vector<std::unique_ptr<OverviewPyramid<float>>> floatPyramids;
  std::vector<std::unique_ptr<OverviewPyramid<std::uint8_t>>> bytePyramids;
  // Per band: [0] the band's rows, [k] overview level k's rows (tile_row_writer.h).
  std::vector<std::vector<std::unique_ptr<TileRowWriter>>> writers;
  bool overviewsComplete = false;

  TileRowWriter& writer(int band, int level, GDALRasterBand* raster, GDALDataType type, const fs::path& target) {
    auto& bandWriters = writers[std::size_t(band)];
    if (bandWriters.size() <= std::size_t(level)) bandWriters.resize(std::size_t(level) + 1);
    auto& slot = bandWriters[std::size_t(level)];
    if (!slot) slot = std::make_unique<TileRowWriter>(raster, type, target);
    return *slot;
  }
  void flushWriters(bool overviewsToo) {
    for (auto& bandWriters : writers) {
      for (std::size_t level = 0; level < bandWriters.size(); ++level) {
        if (bandWriters[level] && (level == 0 || overviewsToo)) bandWriters[level]->flush();
      }
    }
  }
};

GeoTiffOutput::GeoTiffOutput(PendingFiles& files, const fs::path& target, const Grid& grid, int bands,
                             PixelType type, int threads, Compression compression)
    : m_impl(std::make_unique<Impl>()), m_target(target) {
  if (target.extension() != ".tif" && target.extension() != ".tiff") {
    throw InputError("'" + target.string() + "': use a .tif file name");
  }
  GDALAllRegister();
  std::error_code ec;
  if (!target.parent_path().empty()) fs::create_directories(target.parent_path(), ec);
  m_impl->temporary = temporaryBeside(target);
  m_impl->type = type;
  m_impl->width = grid.width;
  m_impl->threads = threads;
  m_impl->compression = compression;
  files.add(m_impl->temporary, target);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  char** options = nullptr;
  options = CSLSetNameValue(options, "TILED", "YES");
  options = withCompression(options, compression, type, false);
  options = CSLSetNameValue(options, "BIGTIFF", "IF_SAFER");
  if (bands > 1) options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
  options = CSLSetNameValue(options, "NUM_THREADS", threads > 0 ? std::to_string(threads).c_str() : "ALL_CPUS");
  m_impl->dataset.reset(driver->Create(m_impl->temporary.string().c_str(), grid.width, grid.height,
                                       bands, type == PixelType::Byte ? GDT_Byte : GDT_Float32,
                                       options));
  CSLDestroy(options);
  if (!m_impl->dataset) {
    throw IoError("cannot create '" + target.string() + "': " + CPLGetLastErrorMsg());
  }
  m_impl->height = grid.height;
  m_impl->nextRow.assign(std::size_t(bands), 0);
  m_impl->nodata.assign(std::size_t(bands), std::nullopt);
  m_impl->floatPyramids.resize(std::size_t(bands));
  m_impl->bytePyramids.resize(std::size_t(bands));
  m_impl->writers.resize(std::size_t(bands));
  m_impl->levels = overviewLevels(grid.width, grid.height);
  m_impl->inlineOverviews = !m_impl->levels.empty();
  std::array<double, 6> transform = grid.geoTransform;
  m_impl->dataset->SetGeoTransform(transform.data());
  if (!grid.projectionWkt.empty()) m_impl->dataset->SetProjection(grid.projectionWkt.c_str());
}

GeoTiffOutput::~GeoTiffOutput() = default;

void GeoTiffOutput::describeBand(int band, const std::string& name, std::optional<double> nodata) {
  GDALRasterBand* raster = m_impl->dataset->GetRasterBand(band + 1);
  raster->SetDescription(name.c_str());
  if (nodata) raster->SetNoDataValue(*nodata);
  m_impl->nodata[std::size_t(band)] = nodata;
}

void GeoTiffOutput::setLegend(int band, const ClassLegend& legend) {
  GDALRasterBand* raster = m_impl->dataset->GetRasterBand(band + 1);
  GDALColorTable colours;
  char** names = nullptr;
  for (std::size_t i = 0; i < legend.names.size(); ++i) {
    const auto& rgb = legend.colours.at(i);
    const GDALColorEntry entry{short(rgb[0]), short(rgb[1]), short(rgb[2]), 255};
    colours.SetColorEntry(int(i), &entry);
    names = CSLAddString(names, legend.names[i].c_str());
  }
  const GDALColorEntry transparent{0, 0, 0, 0};
  colours.SetColorEntry(legend.nodataCode, &transparent);
  raster->SetNoDataValue(legend.nodataCode);
  raster->SetColorTable(&colours);
  raster->SetCategoryNames(names);
  CSLDestroy(names);
}

void GeoTiffOutput::setCategoryNames(int band, const std::vector<std::string>& names) {
  char** list = nullptr;
  for (const std::string& name : names) list = CSLAddString(list, name.c_str());
  m_impl->dataset->GetRasterBand(band + 1)->SetCategoryNames(list);
  CSLDestroy(list);
}

// Feeds rows to the band's pyramid, made on first use; rows out of order end inline overviews.
template <typename T>
void GeoTiffOutput::feedOverviews(int band, int row, int rows, const T* values) {
  Impl& impl = *m_impl;
  if (!impl.inlineOverviews) return;
  if (row != impl.nextRow[std::size_t(band)]) {
    impl.inlineOverviews = false;
    return;
  }
  if (!impl.overviewsCreated) {
    // Empty overviews, made at the first write so that they take the band's palette, if any.
    impl.overviewsCreated = true;
    if (impl.dataset->BuildOverviews("NONE", int(impl.levels.size()), impl.levels.data(), 0, nullptr,
                                     nullptr, nullptr) != CE_None) {
      impl.inlineOverviews = false;
      return;
    }
  }
  auto& pyramid = [&]() -> auto& {
    if constexpr (std::is_same_v<T, float>) {
      return impl.floatPyramids[std::size_t(band)];
    } else {
      return impl.bytePyramids[std::size_t(band)];
    }
  }();
  if (!pyramid) {
    GDALRasterBand* raster = impl.dataset->GetRasterBand(band + 1);
    const GDALDataType type = std::is_same_v<T, float> ? GDT_Float32 : GDT_Byte;
    pyramid = std::make_unique<OverviewPyramid<T>>(
        impl.width, int(impl.levels.size()), impl.nodata[std::size_t(band)],
        [&impl, band, raster, type, target = m_target](int level, int outRow, const T* out) {
          GDALRasterBand* overview = raster->GetOverview(level - 1);
          if (!overview) throw IoError("cannot write the overviews of '" + target.string() + "'");
          impl.writer(band, level, overview, type, target).add(outRow, 1, out);
        });
  }
  pyramid->addRows(values, rows);
  impl.nextRow[std::size_t(band)] = row + rows;
}

void GeoTiffOutput::writeRows(int band, int row, int rows, const float* values) {
  m_impl->writer(band, 0, m_impl->dataset->GetRasterBand(band + 1), GDT_Float32, m_target).add(row, rows, values);
  feedOverviews(band, row, rows, values);
}

void GeoTiffOutput::writeRows(int band, int row, int rows, const std::uint8_t* values) {
  m_impl->writer(band, 0, m_impl->dataset->GetRasterBand(band + 1), GDT_Byte, m_target).add(row, rows, values);
  feedOverviews(band, row, rows, values);
}

void GeoTiffOutput::completeOverviews() {
  Impl& impl = *m_impl;
  if (impl.overviewsComplete || !impl.dataset) return;
  impl.overviewsComplete = true;
  impl.flushWriters(false);
  bool complete = impl.inlineOverviews;
  for (std::size_t band = 0; band < impl.nextRow.size(); ++band) {
    complete = complete && impl.nextRow[band] == impl.height;
  }
  if (complete) {
    for (auto& pyramid : impl.floatPyramids) {
      if (pyramid) pyramid->finish();
    }
    for (auto& pyramid : impl.bytePyramids) {
      if (pyramid) pyramid->finish();
    }
    impl.flushWriters(true);
  } else {
    buildOverviews(*impl.dataset, impl.type == PixelType::Byte ? "NEAREST" : "AVERAGE", impl.threads);
  }
}

void GeoTiffOutput::finish(bool cloudOptimized) {
  if (!m_impl->dataset) return;
  completeOverviews();
  if (cloudOptimized) {
    GDALDriver* cog = GetGDALDriverManager()->GetDriverByName("COG");
    if (!cog) throw IoError("this GDAL has no COG driver");
    const fs::path copy = m_impl->temporary.string() + ".cog.tif";
    char** options = withCompression(nullptr, m_impl->compression, m_impl->type, true);
    DatasetPtr converted(cog->CreateCopy(copy.string().c_str(), m_impl->dataset.get(), FALSE,
                                         options, nullptr, nullptr));
    CSLDestroy(options);
    if (!converted) {
      std::error_code ec;
      fs::remove(copy, ec);
      throw IoError("cannot write a Cloud Optimized GeoTIFF for '" + m_target.string() +
                    "': " + CPLGetLastErrorMsg());
    }
    converted.reset();
    m_impl->dataset.reset();
    fs::rename(copy, m_impl->temporary);
    std::error_code ec;
    if (fs::exists(auxOf(copy), ec)) fs::rename(auxOf(copy), auxOf(m_impl->temporary), ec);
  }
  m_impl->dataset.reset();
}

void GeoTiffOutput::copyAsPng(PendingFiles& files, const fs::path& target, int maxSide) {
  DatasetPtr reopened;
  GDALDataset* source = m_impl->dataset.get();
  if (!source) {
    reopened.reset(GDALDataset::FromHandle(GDALOpen(m_impl->temporary.string().c_str(), GA_ReadOnly)));
    source = reopened.get();
    if (!source) throw IoError("cannot reopen '" + m_target.string() + "': " + CPLGetLastErrorMsg());
  } else {
    completeOverviews();  // the preview is read from them
  }
  const fs::path temporary = temporaryBeside(target);
  files.add(temporary, target);
  source->FlushCache();
  const int longest = std::max(source->GetRasterXSize(), source->GetRasterYSize());
  const double factor = longest > maxSide ? double(maxSide) / longest : 1.0;
  // zlib level 1: a preview of classes compresses almost as well, in a fraction of level 6's time.
  std::vector<std::string> args = {"-of", "PNG", "-b", "1", "-r", "nearest", "-co", "ZLEVEL=1"};
  if (factor < 1.0) {
    args.insert(args.end(), {"-outsize", std::to_string(std::max(1, int(source->GetRasterXSize() * factor))),
                             std::to_string(std::max(1, int(source->GetRasterYSize() * factor)))});
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  GDALTranslateOptions* options = GDALTranslateOptionsNew(argv.data(), nullptr);
  int usageError = 0;
  DatasetPtr copy(GDALDataset::FromHandle(GDALTranslate(temporary.string().c_str(), GDALDataset::ToHandle(source),
                                                        options, &usageError)));
  GDALTranslateOptionsFree(options);
  if (!copy) throw IoError("cannot write the PNG '" + target.string() + "': " + CPLGetLastErrorMsg());
}

}  // namespace geih::geo
