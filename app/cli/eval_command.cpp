// geih eval --predictions FILE --label COL --score COL: metrics of any model's predictions.
#include <cmath>
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/eval/binary_metrics.h"
#include "core/table/csv_reader.h"

namespace geih::cli {
namespace {

// Reads a column as numbers, naming file, line and column on the first bad value.
std::vector<double> numericColumn(const table::Table& data, const std::string& name,
                                  const std::string& file, bool binary) {
  if (!data.hasColumn(name)) {
    std::string available;
    for (const auto& column : data.columnNames()) available += (available.empty() ? "" : ", ") + column;
    throw InputError(file + ": no column '" + name + "' (columns: " + available + ")");
  }
  const table::Column& column = data.column(name);
  if (column.type() == table::ColumnType::Categorical) {
    throw InputError(file + ": column '" + name + "' is not numeric (e.g. '" + column.textAt(0) +
                     "' on line 2)");
  }
  std::vector<double> values(column.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    values[row] = column.numberAt(row);
    const std::string where = file + ":" + std::to_string(row + 2) + ": column '" + name + "'";
    if (std::isnan(values[row])) throw InputError(where + " is missing");
    if (binary && values[row] != 0.0 && values[row] != 1.0) {
      throw InputError(where + " must be 0 or 1, found " + column.textAt(row));
    }
  }
  return values;
}

}  // namespace

void addEvalCommand(CLI::App& app) {
  struct Options {
    CommonOptions common;
    std::string predictions;
    std::string label = "label";
    std::string score = "score";
    double threshold = 0.5;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("eval", "Evaluate predictions: a CSV with a 0/1 label and a score column");
  command->add_option("--predictions", options->predictions, "CSV of predictions")->required();
  command->add_option("--label", options->label, "Label column (0/1)")->capture_default_str();
  command->add_option("--score", options->score, "Score column (higher = more positive)")
      ->capture_default_str();
  command->add_option("--threshold", options->threshold, "Decision threshold")->capture_default_str();
  command->add_option("--format,-f", options->common.format, "Output format: table|json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command->callback([options] {
    const table::CsvReadResult read = table::readCsv(options->predictions);
    printWarnings(read.warnings);
    const std::vector<double> labels =
        numericColumn(read.table, options->label, options->predictions, true);
    const std::vector<double> scores =
        numericColumn(read.table, options->score, options->predictions, false);
    const eval::BinaryMetrics metrics = eval::evaluateBinary(labels, scores, options->threshold);
    if (options->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = {{"count", metrics.count},
                             {"positives", metrics.positives},
                             {"threshold", metrics.threshold},
                             {"confusion_matrix",
                              {{"tp", metrics.confusion.truePositives},
                               {"fp", metrics.confusion.falsePositives},
                               {"tn", metrics.confusion.trueNegatives},
                               {"fn", metrics.confusion.falseNegatives}}}};
      for (const auto& [key, value] : metrics.named()) json[key] = value;
      printJson(json);
      return;
    }
    std::cout << metrics.count << " predictions, " << metrics.positives << " positive, threshold "
              << metrics.threshold << "\n";
    TextTable table{{"METRIC", "VALUE"}, {}};
    for (const auto& [key, value] : metrics.named()) table.rows.push_back({key, formatNumber(value, 6)});
    printTable(table, OutputFormat::Table);
    std::cout << "\nconfusion  TP " << metrics.confusion.truePositives << "  FP "
              << metrics.confusion.falsePositives << "  TN " << metrics.confusion.trueNegatives
              << "  FN " << metrics.confusion.falseNegatives << "\n";
  });
}

}  // namespace geih::cli
