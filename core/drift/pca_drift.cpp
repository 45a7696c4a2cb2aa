#include "core/drift/pca_drift.h"

#include <cmath>

#include <Eigen/Dense>

#include "core/common/error.h"

namespace geih::drift {
namespace {

Eigen::MatrixXd standardised(const table::Table& data, const std::vector<std::string>& columns,
                             const Eigen::VectorXd& mean, const Eigen::VectorXd& scale) {
  const Eigen::Index n = Eigen::Index(data.rowCount()), p = Eigen::Index(columns.size());
  Eigen::MatrixXd x(n, p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const table::Column& column = data.column(columns[std::size_t(j)]);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double value = column.numberAt(std::size_t(i));
      x(i, j) = std::isnan(value) ? 0.0 : (value - mean[j]) / scale[j];
    }
  }
  return x;
}

Eigen::VectorXd rowErrors(const Eigen::MatrixXd& x, const Eigen::MatrixXd& basis) {
  const Eigen::MatrixXd reconstructed = (x * basis) * basis.transpose();
  return (x - reconstructed).rowwise().norm();
}

}  // namespace

PcaDrift pcaReconstructionDrift(const table::Table& reference, const table::Table& current,
                                const PcaDriftOptions& options) {
  PcaDrift result;
  for (const std::string& name : reference.columnNames()) {
    if (!current.hasColumn(name)) continue;
    if (reference.column(name).type() == table::ColumnType::Categorical ||
        current.column(name).type() == table::ColumnType::Categorical) {
      continue;
    }
    result.columns.push_back(name);
  }
  const std::size_t p = result.columns.size();
  if (p < 2) {
    throw InputError("multivariate drift needs at least two numeric columns on both sides, found " +
                     std::to_string(p));
  }
  const std::size_t n = reference.rowCount();
  if (n < std::size_t(std::max(options.chunks, 2)) * 2 || current.rowCount() == 0) {
    throw InputError("multivariate drift needs at least " + std::to_string(options.chunks * 2) +
                     " reference rows and one current row");
  }
  // Reference means and standard deviations over the present values.
  Eigen::VectorXd mean(static_cast<Eigen::Index>(p)), scale(static_cast<Eigen::Index>(p));
  for (std::size_t j = 0; j < p; ++j) {
    const table::Column& column = reference.column(result.columns[j]);
    double sum = 0, squares = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double value = column.numberAt(i);
      if (std::isnan(value)) continue;
      sum += value;
      ++count;
    }
    const double m = count ? sum / double(count) : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double value = column.numberAt(i);
      if (!std::isnan(value)) squares += (value - m) * (value - m);
    }
    const double sd = count > 1 ? std::sqrt(squares / double(count)) : 0.0;
    mean[Eigen::Index(j)] = m;
    scale[Eigen::Index(j)] = sd > 0 ? sd : 1.0;
  }
  const Eigen::MatrixXd x = standardised(reference, result.columns, mean, scale);
  const Eigen::MatrixXd covariance = (x.transpose() * x) / double(n);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(covariance);
  // Eigenvalues ascend: take components from the largest down.
  const Eigen::VectorXd values = eigen.eigenvalues();
  const double total = std::max(values.sum(), 1e-300);
  double kept = 0;
  int k = 0;
  while (k < int(p) && kept / total < options.varianceKept) kept += values[Eigen::Index(p) - 1 - k++];
  k = std::min(std::max(k, 1), int(p) - 1);  // keep something, and leave something to lose
  kept = values.tail(k).sum();
  const Eigen::MatrixXd basis = eigen.eigenvectors().rightCols(k);
  result.components = k;
  result.explainedVariance = kept / total;

  const Eigen::VectorXd referenceErrors = rowErrors(x, basis);
  result.referenceError = referenceErrors.mean();
  std::vector<double> chunkMeans;
  for (int c = 0; c < options.chunks; ++c) {
    const Eigen::Index begin = Eigen::Index(n) * c / options.chunks;
    const Eigen::Index end = Eigen::Index(n) * (c + 1) / options.chunks;
    chunkMeans.push_back(referenceErrors.segment(begin, end - begin).mean());
  }
  double chunkMean = 0, chunkSpread = 0;
  for (const double m : chunkMeans) chunkMean += m / double(chunkMeans.size());
  for (const double m : chunkMeans) chunkSpread += (m - chunkMean) * (m - chunkMean);
  chunkSpread = std::sqrt(chunkSpread / double(chunkMeans.size()));
  result.lowerThreshold = chunkMean - options.sigmas * chunkSpread;
  result.upperThreshold = chunkMean + options.sigmas * chunkSpread;
  result.currentError = rowErrors(standardised(current, result.columns, mean, scale), basis).mean();
  result.drifted =
      result.currentError > result.upperThreshold || result.currentError < result.lowerThreshold;
  return result;
}

nlohmann::json toJson(const PcaDrift& drift) {
  return {{"method", "pca_reconstruction"},  {"columns", drift.columns},
          {"components", drift.components},  {"explained_variance", drift.explainedVariance},
          {"reference_error", drift.referenceError}, {"current_error", drift.currentError},
          {"lower_threshold", drift.lowerThreshold}, {"upper_threshold", drift.upperThreshold},
          {"drifted", drift.drifted}};
}

}  // namespace geih::drift
