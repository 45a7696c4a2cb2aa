// One feature stack from several rasters: each input contributes its bands (all, or one chosen),
// renamed as asked, into a single Float32 GeoTIFF on one grid, so a model's features are matched
// to bands by name. The grid is the first input's, or a reference raster's. An input on another
// grid (size, origin, pixel size or CRS) is an error naming both grids — unless warping is asked
// for, then GDAL warps it onto the grid on the fly while the stack streams strip by strip
// (bilinear for continuous bands, nearest neighbour for categorical ones, whose class names are
// kept). Nodata of any input becomes −9999.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

struct StackInput {
  std::filesystem::path path;
  int band = 0;            // 1-based band to take; 0 = every band
  std::string name;        // the band's name in the stack (one band only); empty = its own name
  bool categorical = false;
};

// "NAME=PATH", "NAME=PATH:BAND", "PATH" (every band, own names), with a trailing "@cat" marking a
// categorical input ("landcover=lc.tif@cat"). InputError for a malformed item.
StackInput parseStackInput(const std::string& text);

struct StackOptions {
  std::optional<std::filesystem::path> reference;  // grid to use; default: the first input's
  bool warp = false;
};

struct StackSummary {
  Grid grid;
  std::vector<std::string> bandNames;
  std::vector<std::string> warped;  // inputs that were warped onto the grid
};

StackSummary writeStack(const std::vector<StackInput>& inputs, const StackOptions& options,
                        const std::filesystem::path& output, Progress& progress);

}  // namespace geih::geo
