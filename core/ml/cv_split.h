// Cross-validation splitters: which rows train and which test in each fold.
//
//   kfold       rows shuffled (seeded), cut into k nearly equal parts; each part tests once.
//   stratified  as kfold, but every class is dealt over the folds separately, so each fold keeps
//               the class shares of the whole (binary or categorical target).
//   timeseries  rows ordered by a time column (numbers, or text such as ISO dates), cut into k + 1
//               consecutive segments; fold i trains on segments 0..i and tests on segment i + 1
//               (an expanding window: a fold never trains on rows after its test rows).
//   spatial     rows grouped into square blocks of `blockSize` in the units of the x/y columns;
//               whole blocks go to folds (largest first, to the fold with the fewest rows), so
//               neighbouring cells never sit in train and test at once.
// Every fold's train and test rows are ascending row indices into the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/table/table.h"

namespace geih::ml {

// Auto: stratified for a binary target, kfold otherwise (resolved by the caller that knows the
// task; makeFolds treats it as stratified).
enum class CvKind { KFold, Stratified, TimeSeries, Spatial, Auto };

struct CvSpec {
  CvKind kind = CvKind::KFold;
  int folds = 5;
  std::string timeColumn;          // timeseries
  std::string xColumn, yColumn;    // spatial
  double blockSize = 0;            // spatial; 0 = about 10 blocks per fold along the wider side
  std::uint64_t seed = 42;
};

// "kfold:5" | "stratified:5" | "timeseries:4" | "spatial:5" (the count defaults to 5). Throws
// InputError naming the text.
CvSpec parseCvSpec(const std::string& text);
const char* cvKindName(CvKind kind);

struct Fold {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

// Throws InputError for too few rows for the folds, a missing or unusable column (naming it and
// the row), a stratified split on a non-categorical target with more than 50 distinct values.
std::vector<Fold> makeFolds(const table::Table& data, const std::string& target,
                            const CvSpec& spec);

}  // namespace geih::ml
