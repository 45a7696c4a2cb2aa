// GeoTIFFs written all-or-nothing. A GeoTiffOutput is created under a temporary name beside its
// target (tiled, compressed, BigTIFF when needed, the grid's transform and CRS), filled strip by strip,
// closed by finish() (overviews, optional Cloud Optimized conversion), and moved into place by the
// PendingFiles it belongs to, together with every other file of the same product. Until publish(),
// nothing is visible under a target name; a PendingFiles destroyed unpublished removes its temporaries.
// With Zstandard or no compression GDAL only lays the file out and the tiles are compressed and
// written by direct_tile_writer.h. No GDAL type appears here.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/job_queue.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

// A temporary name in the target's folder (so the final rename stays on one file system).
std::filesystem::path temporaryBeside(const std::filesystem::path& target);

// Files written under temporary names and renamed into place together.
class PendingFiles {
 public:
  PendingFiles() = default;
  ~PendingFiles();
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;

  // Registers `temporary` to become `target` on publish(); GDAL's side file (.aux.xml) follows.
  void add(const std::filesystem::path& temporary, const std::filesystem::path& target);
  // Renames every temporary into place. Throws IoError naming the file that could not move.
  void publish();

 private:
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> m_files;
  bool m_published = false;
};

enum class PixelType { Byte, Float32 };

// How pixel blocks are compressed. Zstd (level 1) is the default: on a 10000² probability map it
// costs a quarter of the CPU time of Deflate with the floating-point predictor, for a file 5%
// larger; every GDAL build since 2.3 reads it (QGIS, rasterio, R). Deflate (level 1, predictor 3
// for floats) is for readers outside GDAL; None for speed at any size.
enum class Compression { Zstd, Deflate, None };
// "zstd" | "deflate" | "none"; throws InputError naming the valid choices.
Compression compressionFromName(const std::string& name);

// A colour table with category names for a classified band (code k is names[k]).
struct ClassLegend {
  std::vector<std::string> names;
  std::vector<std::array<std::uint8_t, 3>> colours;
  std::uint8_t nodataCode = 255;  // drawn transparent
};

// A classified band shrunk for looking at: palette indices row by row, and the band's palette.
struct PreviewImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
  std::vector<std::array<std::uint8_t, 4>> palette;  // RGBA by index; empty without a colour table
};

class GeoTiffOutput {
 public:
  // Creates the temporary file for `target` and registers it with `files`. Throws IoError when the
  // folder cannot be written and InputError when the name does not end in .tif/.tiff.
  // `threads` compress blocks in parallel (GDAL's NUM_THREADS); 0 = every core.
  // With Zstd or no compression, tiles are compressed on `encoders` (shared by the outputs of one
  // product, serviced by its threads) or, when null, on `threads` threads of this output's own,
  // and written without GDAL (direct_tile_writer.h).
  GeoTiffOutput(PendingFiles& files, const std::filesystem::path& target, const Grid& grid,
                int bands, PixelType type, int threads = 0,
                Compression compression = Compression::Zstd, JobQueue* encoders = nullptr);
  ~GeoTiffOutput();
  GeoTiffOutput(const GeoTiffOutput&) = delete;
  GeoTiffOutput& operator=(const GeoTiffOutput&) = delete;

  void describeBand(int band, const std::string& name, std::optional<double> nodata);
  // Before the first writeRows: a TIFF's photometric interpretation is fixed once writing began.
  void setLegend(int band, const ClassLegend& legend);
  // Class names of a categorical band (code k is names[k]), without colours.
  void setCategoryNames(int band, const std::vector<std::string>& names);
  // Writes rows [row, row + rows) of `band` (0-based); `values` holds width * rows pixels. Rows
  // reach the file as whole rows of tiles (tile_row_writer.h), so any strip height writes each
  // tile once, however wide the raster. Every band written in order from row 0 is the fast way
  // (direct tiles, overviews as the rows come); other orders work, through GDAL.
  void writeRows(int band, int row, int rows, const float* values);
  void writeRows(int band, int row, int rows, const std::uint8_t* values);
  // Completes the overviews (AVERAGE for Float32, NEAREST for Byte): the rows still waiting, or a
  // build from the file when the bands were not written in order. Nothing may be written
  // afterwards. finish() and copyAsPng() call it.
  void completeOverviews();
  // Completes the overviews, converts to a Cloud Optimized GeoTIFF when asked, and closes the
  // file. Nothing may be written afterwards.
  void finish(bool cloudOptimized = false);
  // The first band (a Byte band) with its colour table, shrunk to `maxSide` pixels along its
  // longer side when larger (nearest neighbour, read from the overviews): a preview is for
  // looking at, and PNG encoding of 10⁸ pixels takes seconds. Completes the overviews first.
  PreviewImage preview(int maxSide = 2048);
  // Writes preview(maxSide) as a paletted PNG to `target` through `files`.
  void copyAsPng(PendingFiles& files, const std::filesystem::path& target, int maxSide = 2048);

  const std::filesystem::path& target() const { return m_target; }

 private:
  struct Impl;
  // Rows just written, into the band's inline overviews (see Impl).
  template <typename T>
  void write(int band, int row, int rows, const T* values);
  template <typename T>
  void feedOverviews(int band, const T* values, int rows);

  std::unique_ptr<Impl> m_impl;
  std::filesystem::path m_target;
};

}  // namespace geih::geo
