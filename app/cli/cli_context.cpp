#include "app/cli/cli_context.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "core/common/error.h"
#include "core/common/time_util.h"

namespace geih::cli {

std::filesystem::path CommonOptions::workspacePath() const {
  return workspace.empty() ? store::defaultWorkspacePath() : std::filesystem::path(workspace);
}

OutputFormat CommonOptions::outputFormat() const {
  if (format == "json") return OutputFormat::Json;
  if (format == "csv") return OutputFormat::Csv;
  return OutputFormat::Table;
}

store::Workspace CommonOptions::openWorkspace(bool mustExist) const {
  return store::Workspace::open(workspacePath(),
                                mustExist ? store::OpenMode::MustExist : store::OpenMode::CreateIfMissing);
}

void addCommonOptions(CLI::App& command, CommonOptions& options, bool withFormat,
                      const std::string& formats) {
  command.add_option("--workspace,-w", options.workspace,
                     "Workspace folder (default: $GEIH_WORKSPACE, else ./geih-workspace)");
  if (withFormat) {
    std::vector<std::string> allowed;
    std::stringstream split(formats);
    for (std::string item; std::getline(split, item, '|');) allowed.push_back(item);
    command.add_option("--format,-f", options.format, "Output format: " + formats)
        ->check(CLI::IsMember(allowed))
        ->capture_default_str();
  }
  command.add_flag("--quiet,-q", options.quiet, "No progress on stderr");
}

namespace {

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Display width of UTF-8 text: counts code points, which is right for the text we print.
std::size_t displayWidth(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

}  // namespace

void printTable(const TextTable& table, OutputFormat format) {
  if (format == OutputFormat::Csv) {
    for (std::size_t i = 0; i < table.headers.size(); ++i) {
      std::cout << (i ? "," : "") << csvField(table.headers[i]);
    }
    std::cout << '\n';
    for (const auto& row : table.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << csvField(row[i]);
      std::cout << '\n';
    }
    return;
  }
  std::vector<std::size_t> widths(table.headers.size());
  for (std::size_t i = 0; i < widths.size(); ++i) widths[i] = displayWidth(table.headers[i]);
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
  }
  auto printRow = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - displayWidth(row[i]) + 2, ' ');
    }
    std::cout << line << '\n';
  };
  printRow(table.headers);
  std::vector<std::string> rule;
  for (std::size_t width : widths) rule.push_back(std::string(width, '-'));
  printRow(rule);
  for (const auto& row : table.rows) printRow(row);
}

void printJson(const nlohmann::json& json) { std::cout << json.dump(2) << '\n'; }

void printResult(const CommonOptions& common, const nlohmann::json& json, const std::string& text) {
  if (common.outputFormat() == OutputFormat::Json) {
    printJson(json);
  } else {
    std::cout << text;
  }
}

namespace {

class StderrProgress : public Progress {
 public:
  explicit StderrProgress(bool quiet) : m_quiet(quiet), m_terminal(isatty(STDERR_FILENO) != 0) {}
  ~StderrProgress() override {
    if (m_drawn) std::fprintf(stderr, "\n");
  }

  void report(double fraction, std::string_view stage) override {
    Progress::report(fraction, stage);
    if (m_quiet) return;
    const int percent = int(std::lround(this->fraction() * 100));
    const std::string label = this->stage();
    if (m_terminal) {
      if (percent == m_lastPercent && label == m_lastStage) return;
      std::fprintf(stderr, "\r\033[K[%3d%%] %s", percent, label.c_str());
      std::fflush(stderr);
      m_drawn = true;
    } else {
      if (label == m_lastStage && percent / 10 == m_lastPercent / 10) return;
      std::fprintf(stderr, "[%3d%%] %s\n", percent, label.c_str());
    }
    m_lastPercent = percent;
    m_lastStage = label;
  }

 private:
  bool m_quiet;
  bool m_terminal;
  bool m_drawn = false;
  int m_lastPercent = -1;
  std::string m_lastStage;
};

}  // namespace

std::unique_ptr<Progress> makeStderrProgress(bool quiet) {
  return std::make_unique<StderrProgress>(quiet);
}

void printWarnings(const std::vector<table::Diagnostic>& warnings) {
  constexpr std::size_t kShown = 20;
  for (std::size_t i = 0; i < warnings.size() && i < kShown; ++i) {
    std::cerr << "warning: " << warnings[i].toString() << '\n';
  }
  if (warnings.size() > kShown) {
    std::cerr << "warning: ... and " << warnings.size() - kShown << " more\n";
  }
}

std::string formatNumber(double value, int precision) {
  if (std::isnan(value)) return "";
  std::ostringstream text;
  text << std::fixed << std::setprecision(precision) << value;
  return text.str();
}

std::string formatTime(std::int64_t millis) {
  std::string iso = isoUtc(millis);  // 2026-11-22T11:27:04.123Z -> 2026-11-22 11:27:04
  iso[10] = ' ';
  return iso.substr(0, 19);
}

}  // namespace geih::cli
