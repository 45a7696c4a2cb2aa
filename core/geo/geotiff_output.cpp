#include "core/geo/geotiff_output.h"

#include <gdal_priv.h>

#include <random>
#include <thread>

#include "core/common/error.h"
#include "core/geo/direct_tile_writer.h"
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

// The file written under `temporary` opened again by GDAL (`flags`: GDAL_OF_*), `target` naming it
// in the error when it cannot be.
DatasetPtr reopen(const fs::path& temporary, const fs::path& target, unsigned flags,
                  const char* const* openOptions = nullptr) {
  DatasetPtr dataset(GDALDataset::FromHandle(
      GDALOpenEx(temporary.string().c_str(), GDAL_OF_RASTER | flags, nullptr, openOptions, nullptr)));
  if (!dataset) throw IoError("cannot reopen '" + target.string() + "': " + CPLGetLastErrorMsg());
  return dataset;
}

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
  fs::path target;
  DatasetPtr dataset;  // GDAL's handle: until the first rows in direct mode, else to the end
  PixelType type = PixelType::Float32;
  int width = 0;
  int height = 0;
  int threads = 0;
  Compression compression = Compression::Zstd;
  // Direct mode (Zstd or no compression): GDAL lays the file out, closes it at the first rows,
  // and the tiles are compressed on `encoders` and appended by `direct` (direct_tile_writer.h).
  // Rows out of order leave direct mode: GDAL reopens the file and writes the rest.
  bool directMode = false;
  JobQueue* encoders = nullptr;
  std::unique_ptr<JobQueue> ownEncoders;
  std::unique_ptr<DirectTileWriter> direct;
  std::vector<int> levelImage;  // direct: the image of level k in the file's table (0 = base)
  // Overviews written as the rows arrive (overview_pyramid.h) while every band is written in
  // order from row 0; otherwise, or if GDAL cannot add empty overviews, built at finish().
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
  bool finished = false;

  GDALDataType gdalType() const { return type == PixelType::Byte ? GDT_Byte : GDT_Float32; }

  GDALRasterBand* gdalBand(int band, int level) const {
    GDALRasterBand* raster = dataset->GetRasterBand(band + 1);
    if (level > 0 && raster) raster = raster->GetOverview(level - 1);
    if (!raster) throw IoError("cannot write the overviews of '" + target.string() + "'");
    return raster;
  }

  TileRowWriter& writer(int band, int level) {
    auto& bandWriters = writers[std::size_t(band)];
    if (bandWriters.size() <= std::size_t(level)) bandWriters.resize(std::size_t(level) + 1);
    auto& slot = bandWriters[std::size_t(level)];
    if (!slot) {
      int levelWidth = 0;
      int levelHeight = 0;
      int tileHeight = 0;
      if (direct) {
        const TiffImage& image = direct->table().images[std::size_t(levelImage[std::size_t(level)])];
        levelWidth = image.width;
        levelHeight = image.height;
        tileHeight = image.tileHeight;
      } else {
        GDALRasterBand* raster = gdalBand(band, level);
        int tileWidth = 0;
        raster->GetBlockSize(&tileWidth, &tileHeight);
        levelWidth = raster->GetXSize();
        levelHeight = raster->GetYSize();
      }
      slot = std::make_unique<TileRowWriter>(
          levelWidth, levelHeight, tileHeight, type == PixelType::Byte ? 1 : 4,
          [this, band, level](int row, int rows, const void* values) { write(band, level, row, rows, values); });
    }
    return *slot;
  }

  void write(int band, int level, int row, int rows, const void* values) {
    if (direct) {
      direct->writeRows(levelImage[std::size_t(level)], band, row, rows, values);
      return;
    }
    GDALRasterBand* raster = gdalBand(band, level);
    if (raster->RasterIO(GF_Write, 0, row, raster->GetXSize(), rows, const_cast<void*>(values),
                         raster->GetXSize(), rows, gdalType(), 0, 0) != CE_None) {
      throw IoError("cannot write '" + target.string() + "': " + CPLGetLastErrorMsg());
    }
  }

  void flushWriters(bool overviewsToo) {
    for (auto& bandWriters : writers) {
      for (std::size_t level = 0; level < bandWriters.size(); ++level) {
        if (bandWriters[level] && (level == 0 || overviewsToo)) bandWriters[level]->flush();
      }
    }
  }

  // Empty overviews, made before the first rows so that they take the band's palette, if any.
  void createOverviews() {
    if (overviewsCreated || !inlineOverviews) return;
    overviewsCreated = true;
    if (dataset->BuildOverviews("NONE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) !=
        CE_None) {
      inlineOverviews = false;
    }
  }

  // At the first rows in direct mode: the layout GDAL made is closed and read back, tiles from
  // now on go to `direct`.
  void startDirect() {
    createOverviews();
    if (!levels.empty() && !inlineOverviews) {
      directMode = false;  // the overviews will be GDAL's, built from the file at the end
      return;
    }
    dataset.reset();
    TiffTileTable table = readTiffTileTable(temporary);
    levelImage.assign(levels.size() + 1, -1);
    for (std::size_t level = 0; level <= levels.size(); ++level) {
      const int factor = level == 0 ? 1 : levels[level - 1];
      for (std::size_t i = 0; i < table.images.size(); ++i) {
        if (table.images[i].width == (width + factor - 1) / factor &&
            table.images[i].height == (height + factor - 1) / factor) {
          levelImage[level] = int(i);
          break;
        }
      }
      if (levelImage[level] < 0) {
        throw IoError("'" + target.string() + "' has no image for overview factor " + std::to_string(factor));
      }
    }
    if (!encoders) {
      ownEncoders = std::make_unique<JobQueue>(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
      encoders = ownEncoders.get();
    }
    direct = std::make_unique<DirectTileWriter>(temporary, target, std::move(table), *encoders);
  }

  // Rows out of order in direct mode: the tiles written so far stay, GDAL reopens the file for
  // the rest (rows waiting in the writers go to GDAL, which merges partial tiles), and the
  // overviews are built from the file at the end.
  void leaveDirect() {
    direct->finish(false);
    direct.reset();
    directMode = false;
    inlineOverviews = false;
    const std::string threadOption = "NUM_THREADS=" + (threads > 0 ? std::to_string(threads) : std::string("ALL_CPUS"));
    const char* openOptions[] = {threadOption.c_str(), nullptr};
    dataset = reopen(temporary, target, GDAL_OF_UPDATE, openOptions);
    // The writers' geometry may differ from GDAL's (overview tiles): they are made again.
    for (auto& bandWriters : writers) {
      for (std::size_t level = 1; level < bandWriters.size(); ++level) bandWriters[level].reset();
    }
  }
};

GeoTiffOutput::GeoTiffOutput(PendingFiles& files, const fs::path& target, const Grid& grid, int bands,
                             PixelType type, int threads, Compression compression, JobQueue* encoders)
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
  m_impl->target = target;
  m_impl->directMode = compression != Compression::Deflate;
  m_impl->encoders = encoders;
  files.add(m_impl->temporary, target);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  char** options = nullptr;
  options = CSLSetNameValue(options, "TILED", "YES");
  options = withCompression(options, compression, type, false);
  options = CSLSetNameValue(options, "BIGTIFF", "IF_SAFER");
  if (bands > 1) options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
  options = CSLSetNameValue(options, "NUM_THREADS", threads > 0 ? std::to_string(threads).c_str() : "ALL_CPUS");
  // In direct mode GDAL writes the layout only; every tile is absent until this writer adds it.
  if (m_impl->directMode) options = CSLSetNameValue(options, "SPARSE_OK", "TRUE");
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

// Feeds rows in order to the band's pyramid, made on first use.
template <typename T>
void GeoTiffOutput::feedOverviews(int band, const T* values, int rows) {
  Impl& impl = *m_impl;
  if (!impl.inlineOverviews) return;
  impl.createOverviews();
  if (!impl.inlineOverviews) return;
  auto& pyramid = [&]() -> auto& {
    if constexpr (std::is_same_v<T, float>) {
      return impl.floatPyramids[std::size_t(band)];
    } else {
      return impl.bytePyramids[std::size_t(band)];
    }
  }();
  if (!pyramid) {
    pyramid = std::make_unique<OverviewPyramid<T>>(
        impl.width, int(impl.levels.size()), impl.nodata[std::size_t(band)],
        [&impl, band](int level, int outRow, const T* out) { impl.writer(band, level).add(outRow, 1, out); });
  }
  pyramid->addRows(values, rows);
}

template <typename T>
void GeoTiffOutput::write(int band, int row, int rows, const T* values) {
  Impl& impl = *m_impl;
  if (impl.directMode && !impl.direct) impl.startDirect();
  if (row != impl.nextRow[std::size_t(band)]) {
    if (impl.direct) impl.leaveDirect();
    impl.inlineOverviews = false;
  }
  impl.writer(band, 0).add(row, rows, values);
  feedOverviews(band, values, rows);
  impl.nextRow[std::size_t(band)] = row + rows;
}

void GeoTiffOutput::writeRows(int band, int row, int rows, const float* values) { write(band, row, rows, values); }

void GeoTiffOutput::writeRows(int band, int row, int rows, const std::uint8_t* values) {
  write(band, row, rows, values);
}

void GeoTiffOutput::completeOverviews() {
  Impl& impl = *m_impl;
  if (impl.overviewsComplete || impl.finished) return;
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
    if (impl.direct) impl.leaveDirect();
    buildOverviews(*impl.dataset, impl.type == PixelType::Byte ? "NEAREST" : "AVERAGE", impl.threads);
  }
  if (impl.direct) {
    impl.direct->finish();
    impl.direct.reset();
  }
}

void GeoTiffOutput::finish(bool cloudOptimized) {
  if (m_impl->finished) return;
  completeOverviews();
  m_impl->finished = true;
  if (cloudOptimized) {
    if (!m_impl->dataset) m_impl->dataset = reopen(m_impl->temporary, m_target, GDAL_OF_READONLY);
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

PreviewImage GeoTiffOutput::preview(int maxSide) {
  completeOverviews();  // the preview is read from them
  // From the closed file when it is closed: reading through the dataset still open for writing
  // went through its compression threads' machinery (a 2048² preview took 95 ms instead of 11).
  DatasetPtr reopened;
  GDALDataset* source = m_impl->dataset.get();
  if (source) {
    source->FlushCache();
  } else {
    reopened = reopen(m_impl->temporary, m_target, GDAL_OF_READONLY);
    source = reopened.get();
  }
  GDALRasterBand* band = source->GetRasterBand(1);
  const int width = source->GetRasterXSize();
  const int height = source->GetRasterYSize();
  const int longest = std::max(width, height);
  const double factor = longest > maxSide ? double(maxSide) / longest : 1.0;
  PreviewImage image;
  image.width = std::max(1, int(width * factor));
  image.height = std::max(1, int(height * factor));
  image.pixels.resize(std::size_t(image.width) * std::size_t(image.height));
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG(extra);
  extra.eResampleAlg = GRIORA_NearestNeighbour;
  if (band->RasterIO(GF_Read, 0, 0, width, height, image.pixels.data(), image.width, image.height, GDT_Byte, 0, 0,
                     &extra) != CE_None) {
    throw IoError("cannot read '" + m_target.string() + "' for its preview: " + CPLGetLastErrorMsg());
  }
  if (const GDALColorTable* colours = band->GetColorTable()) {
    for (int i = 0; i < colours->GetColorEntryCount(); ++i) {
      const GDALColorEntry* entry = colours->GetColorEntry(i);
      image.palette.push_back({std::uint8_t(entry->c1), std::uint8_t(entry->c2), std::uint8_t(entry->c3),
                               std::uint8_t(entry->c4)});
    }
  }
  return image;
}

void GeoTiffOutput::copyAsPng(PendingFiles& files, const fs::path& target, int maxSide) {
  PreviewImage image = preview(maxSide);
  const fs::path temporary = temporaryBeside(target);
  files.add(temporary, target);
  GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
  if (!memory || !png) throw IoError("this GDAL cannot write PNG files");
  DatasetPtr pixels(memory->Create("", image.width, image.height, 1, GDT_Byte, nullptr));
  GDALRasterBand* band = pixels->GetRasterBand(1);
  if (band->RasterIO(GF_Write, 0, 0, image.width, image.height, image.pixels.data(), image.width, image.height,
                     GDT_Byte, 0, 0) != CE_None) {
    throw IoError(std::string("cannot make the preview: ") + CPLGetLastErrorMsg());
  }
  if (!image.palette.empty()) {
    GDALColorTable colours;
    for (std::size_t i = 0; i < image.palette.size(); ++i) {
      const auto& rgba = image.palette[i];
      const GDALColorEntry entry{short(rgba[0]), short(rgba[1]), short(rgba[2]), short(rgba[3])};
      colours.SetColorEntry(int(i), &entry);
    }
    band->SetColorTable(&colours);
  }
  // zlib level 1: a preview of classes compresses almost as well, in a fraction of level 6's time.
  const char* options[] = {"ZLEVEL=1", nullptr};
  DatasetPtr copy(png->CreateCopy(temporary.string().c_str(), pixels.get(), FALSE, const_cast<char**>(options),
                                  nullptr, nullptr));
  if (!copy) throw IoError("cannot write the PNG '" + target.string() + "': " + CPLGetLastErrorMsg());
}

}  // namespace geih::geo
