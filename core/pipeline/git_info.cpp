#include "core/pipeline/git_info.h"

#include <fstream>
#include <sstream>

namespace geih::pipeline {
namespace {

std::string firstLine(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

bool isCommitHash(const std::string& text) {
  if (text.size() != 40) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string gitCommitOf(const std::filesystem::path& start) {
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::absolute(start, ec);
  if (ec) return {};
  while (true) {
    const std::filesystem::path gitDir = folder / ".git";
    if (std::filesystem::is_directory(gitDir, ec)) {
      const std::string head = firstLine(gitDir / "HEAD");
      if (isCommitHash(head)) return head;  // detached HEAD
      const std::string prefix = "ref: ";
      if (head.rfind(prefix, 0) != 0) return {};
      const std::string ref = head.substr(prefix.size());
      const std::string loose = firstLine(gitDir / ref);
      if (isCommitHash(loose)) return loose;
      std::ifstream packed(gitDir / "packed-refs");
      std::string line;
      while (std::getline(packed, line)) {
        if (line.size() > 41 && line.compare(41, std::string::npos, ref) == 0 &&
            isCommitHash(line.substr(0, 40))) {
          return line.substr(0, 40);
        }
      }
      return {};
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) return {};
    folder = folder.parent_path();
  }
}

}  // namespace geih::pipeline
