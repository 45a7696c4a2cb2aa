#include "core/ml/cv_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::ml {
namespace {

const table::Column& requireColumn(const table::Table& data, const std::string& name,
                                   const char* role) {
  if (name.empty()) throw InputError(std::string("cross-validation needs ") + role);
  if (!data.hasColumn(name)) {
    throw InputError(std::string("cross-validation: ") + role + " '" + name + "' not found");
  }
  return data.column(name);
}

std::vector<Fold> foldsFromAssignment(const std::vector<int>& foldOf, int folds) {
  std::vector<Fold> result(static_cast<std::size_t>(folds));
  for (std::size_t row = 0; row < foldOf.size(); ++row) {
    for (int f = 0; f < folds; ++f) {
      (foldOf[row] == f ? result[std::size_t(f)].test : result[std::size_t(f)].train).push_back(row);
    }
  }
  return result;
}

std::vector<Fold> kFold(std::size_t n, int folds, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(order);
  std::vector<int> foldOf(n);
  // The first n % k folds get one row more.
  std::size_t at = 0;
  for (int f = 0; f < folds; ++f) {
    const std::size_t size = n / std::size_t(folds) + (std::size_t(f) < n % std::size_t(folds));
    for (std::size_t i = 0; i < size; ++i) foldOf[order[at++]] = f;
  }
  return foldsFromAssignment(foldOf, folds);
}

std::vector<Fold> stratified(const table::Table& data, const std::string& target, int folds,
                             std::uint64_t seed) {
  const table::Column& label = requireColumn(data, target, "a target column");
  std::map<std::string, std::vector<std::size_t>> classes;
  for (std::size_t row = 0; row < label.size(); ++row) {
    classes[label.isMissing(row) ? std::string("\x01missing") : label.textAt(row)].push_back(row);
  }
  if (classes.size() > 50) {
    throw InputError("stratified cross-validation needs a class target; '" + target + "' has " +
                     std::to_string(classes.size()) + " distinct values (use kfold)");
  }
  Rng rng(seed);
  std::vector<int> foldOf(label.size());
  // Deal each class round-robin, continuing where the previous class stopped so fold sizes stay
  // within one row of each other.
  int next = 0;
  for (auto& [name, rows] : classes) {
    rng.shuffle(rows);
    for (const std::size_t row : rows) {
      foldOf[row] = next;
      next = (next + 1) % folds;
    }
  }
  return foldsFromAssignment(foldOf, folds);
}

std::vector<Fold> timeSeries(const table::Table& data, const std::string& timeColumn, int folds) {
  const table::Column& time = requireColumn(data, timeColumn, "a time column (--time-column)");
  const std::size_t n = time.size();
  for (std::size_t row = 0; row < n; ++row) {
    if (time.isMissing(row)) {
      throw InputError("time column '" + timeColumn + "' is missing at data row " +
                       std::to_string(row + 1));
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (time.type() == table::ColumnType::Categorical) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return time.textAt(a) < time.textAt(b); });
  } else {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return time.numberAt(a) < time.numberAt(b);
    });
  }
  const std::size_t segments = std::size_t(folds) + 1;
  auto segmentStart = [&](std::size_t s) { return n * s / segments; };
  std::vector<Fold> result(static_cast<std::size_t>(folds));
  for (std::size_t f = 0; f < std::size_t(folds); ++f) {
    Fold& fold = result[f];
    fold.train.assign(order.begin(), order.begin() + std::ptrdiff_t(segmentStart(f + 1)));
    fold.test.assign(order.begin() + std::ptrdiff_t(segmentStart(f + 1)),
                     order.begin() + std::ptrdiff_t(segmentStart(f + 2)));
    std::sort(fold.train.begin(), fold.train.end());
    std::sort(fold.test.begin(), fold.test.end());
  }
  return result;
}

std::vector<Fold> spatial(const table::Table& data, const CvSpec& spec) {
  const table::Column& x = requireColumn(data, spec.xColumn, "an x column (--x-column)");
  const table::Column& y = requireColumn(data, spec.yColumn, "a y column (--y-column)");
  const std::size_t n = x.size();
  double minX = INFINITY, maxX = -INFINITY, minY = INFINITY, maxY = -INFINITY;
  for (std::size_t row = 0; row < n; ++row) {
    const double xv = x.numberAt(row), yv = y.numberAt(row);
    if (!std::isfinite(xv) || !std::isfinite(yv)) {
      throw InputError("spatial cross-validation: '" + spec.xColumn + "'/'" + spec.yColumn +
                       "' is missing or not a number at data row " + std::to_string(row + 1));
    }
    minX = std::min(minX, xv);
    maxX = std::max(maxX, xv);
    minY = std::min(minY, yv);
    maxY = std::max(maxY, yv);
  }
  double size = spec.blockSize;
  if (size <= 0) {
    const double side = std::max(maxX - minX, maxY - minY);
    const double perSide = std::ceil(std::sqrt(10.0 * spec.folds));
    size = side > 0 ? side / perSide : 1.0;
  }
  // Block of each row, then the blocks' row counts.
  std::map<std::pair<long long, long long>, std::vector<std::size_t>> blocks;
  for (std::size_t row = 0; row < n; ++row) {
    const auto bx = (long long)std::floor((x.numberAt(row) - minX) / size);
    const auto by = (long long)std::floor((y.numberAt(row) - minY) / size);
    blocks[{bx, by}].push_back(row);
  }
  if (blocks.size() < std::size_t(spec.folds)) {
    throw InputError("spatial cross-validation: only " + std::to_string(blocks.size()) +
                     " blocks of size " + std::to_string(size) + " for " +
                     std::to_string(spec.folds) + " folds (use a smaller --block-size)");
  }
  std::vector<const std::vector<std::size_t>*> order;
  for (const auto& [key, rows] : blocks) order.push_back(&rows);
  Rng rng(spec.seed);
  rng.shuffle(order);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->size() > b->size(); });
  std::vector<std::size_t> filled(std::size_t(spec.folds), 0);
  std::vector<int> foldOf(n);
  for (const auto* rows : order) {
    const auto fold = std::size_t(std::min_element(filled.begin(), filled.end()) - filled.begin());
    for (const std::size_t row : *rows) foldOf[row] = int(fold);
    filled[fold] += rows->size();
  }
  return foldsFromAssignment(foldOf, spec.folds);
}

}  // namespace

const char* cvKindName(CvKind kind) {
  switch (kind) {
    case CvKind::KFold: return "kfold";
    case CvKind::Stratified: return "stratified";
    case CvKind::TimeSeries: return "timeseries";
    case CvKind::Spatial: return "spatial";
    case CvKind::Auto: return "auto";
  }
  return "kfold";
}

CvSpec parseCvSpec(const std::string& text) {
  CvSpec spec;
  const std::size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  if (kind == "kfold") {
    spec.kind = CvKind::KFold;
  } else if (kind == "stratified") {
    spec.kind = CvKind::Stratified;
  } else if (kind == "timeseries") {
    spec.kind = CvKind::TimeSeries;
  } else if (kind == "spatial") {
    spec.kind = CvKind::Spatial;
  } else {
    throw InputError("--cv '" + text + "': unknown kind '" + kind +
                     "' (known: kfold, stratified, timeseries, spatial)");
  }
  if (colon != std::string::npos) {
    const std::string count = text.substr(colon + 1);
    std::size_t used = 0;
    int folds = 0;
    try {
      folds = std::stoi(count, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != count.size() || count.empty() || folds < 2 || folds > 100) {
      throw InputError("--cv '" + text + "': the fold count must be an integer in [2, 100]");
    }
    spec.folds = folds;
  }
  return spec;
}

std::vector<Fold> makeFolds(const table::Table& data, const std::string& target,
                            const CvSpec& spec) {
  const std::size_t n = data.rowCount();
  const std::size_t needed = spec.kind == CvKind::TimeSeries ? std::size_t(spec.folds) + 1
                                                              : std::size_t(spec.folds);
  if (spec.folds < 2) throw InputError("cross-validation needs at least 2 folds");
  if (n < needed * 2) {
    throw InputError(std::string(cvKindName(spec.kind)) + " cross-validation with " +
                     std::to_string(spec.folds) + " folds needs at least " +
                     std::to_string(needed * 2) + " rows, the data has " + std::to_string(n));
  }
  switch (spec.kind) {
    case CvKind::KFold: return kFold(n, spec.folds, spec.seed);
    case CvKind::Stratified:
    case CvKind::Auto: return stratified(data, target, spec.folds, spec.seed);
    case CvKind::TimeSeries: return timeSeries(data, spec.timeColumn, spec.folds);
    case CvKind::Spatial: return spatial(data, spec);
  }
  return {};
}

}  // namespace geih::ml
