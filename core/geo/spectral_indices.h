// Spectral indices from named bands, per pixel and streamed over a raster stack.
//   NDVI = (nir − red) / (nir + red)
//   EVI  = 2.5 (nir − red) / (nir + 6 red − 7.5 blue + 1)     (needs reflectance: see `scale`)
//   NBR  = (nir − swir2) / (nir + swir2)
//   NDMI = (nir − swir1) / (nir + swir1)
// A pixel is NaN when an input is nodata/NaN or the denominator is 0; written rasters carry
// nodata −9999 there.
//
// Which band is red, nir, ... comes from, in order: an explicit mapping ("red=3", "nir=B4"),
// a sensor preset (landsat5/7: blue 1, green 2, red 3, nir 4, swir1 5, swir2 6 of the six
// reflective bands; landsat8/9: blue 2, green 3, red 4, nir 5, swir1 6, swir2 7), or a band
// whose name is the role itself (case-insensitive).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

enum class SpectralIndex { Ndvi, Evi, Nbr, Ndmi };

// "ndvi", "evi", "nbr", "ndmi" (case-insensitive); InputError listing the known names otherwise.
SpectralIndex parseSpectralIndex(const std::string& name);
std::string indexName(SpectralIndex index);
// The band roles an index reads, e.g. {"red", "nir"} for NDVI.
std::vector<std::string> rolesOf(SpectralIndex index);

double ndvi(double red, double nir);
double evi(double blue, double red, double nir);
double nbr(double nir, double swir2);
double ndmi(double nir, double swir1);

// Role → 0-based band of a stack.
using BandRoles = std::map<std::string, int>;

// Resolves roles for `stack`. `mapping` items are "role=band" where band is a 1-based number or a
// band name; `sensor` is empty or a preset name. Throws InputError naming an unknown sensor, a
// band the stack lacks or a malformed item.
BandRoles resolveBandRoles(const RasterStack& stack, const std::vector<std::string>& mapping,
                           const std::string& sensor);

struct IndexOptions {
  std::vector<SpectralIndex> indices;
  BandRoles roles;
  // Applied to every band before the formulas (value × scale + offset), e.g. 0.0001 for
  // Sentinel-2 L2A or 2.75e-5 / −0.2 for Landsat Collection 2; ratios of differences do not
  // depend on it, EVI does.
  double scale = 1.0;
  double offset = 0.0;
};

// Computes the indices over the whole stack strip by strip and writes one Float32 band per index
// (named after it) to `output`, on the input's grid. Throws InputError when a role an index needs
// has no band (naming the index, the role and the stack's bands), IoError when writing fails;
// nothing is left at `output` then.
void writeIndexRaster(const RasterStack& stack, const IndexOptions& options,
                      const std::filesystem::path& output, Progress& progress);

// Computes one index for `pixels` pixels from the band values in `bands` (indexed by role name).
void computeIndex(SpectralIndex index, const std::map<std::string, const double*>& bands,
                  std::size_t pixels, double scale, double offset, double* out);

// Throws InputError when `roles` lacks a band `index` reads, naming the role and the stack's bands.
void requireRoles(const RasterStack& stack, const BandRoles& roles, SpectralIndex index);
// Reads the bands of the `needed` roles for rows [row, row + rows) into `buffers` (by role), with
// nodata turned into NaN.
void readRoleRows(const RasterStack& stack, const BandRoles& roles, const std::vector<std::string>& needed,
                  int row, int rows, std::map<std::string, std::vector<double>>& buffers);

}  // namespace geih::geo
