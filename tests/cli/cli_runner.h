// What the end-to-end CLI tests share: running the geih binary (GEIH_CLI_PATH) with arguments,
// capturing its exit code, stdout and stderr, and a temporary folder per test.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace geih::cli::testing {

namespace fs = std::filesystem;

struct Result {
  int exitCode = -1;
  std::string out;
  std::string err;
};

inline std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

inline Result runGeih(const std::vector<std::string>& args) {
  static int counter = 0;
  const fs::path errFile = fs::temp_directory_path() /
                           ("geih_cli_err_" + std::to_string(getpid()) + "_" + std::to_string(++counter));
  std::string command = shellQuote(GEIH_CLI_PATH);
  for (const auto& arg : args) command += " " + shellQuote(arg);
  command += " 2>" + shellQuote(errFile.string());
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(errFile);
  std::stringstream text;
  text << err.rdbuf();
  result.err = text.str();
  fs::remove(errFile);
  return result;
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(fs::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() { fs::remove_all(m_path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }
  std::string operator/(const std::string& child) const { return (m_path / child).string(); }

 private:
  fs::path m_path;
};

}  // namespace geih::cli::testing
