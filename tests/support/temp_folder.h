// A fresh folder for one test under the system's temporary folder, removed with the object:
// <tmp>/geih_<tag>_<pid> (emptied first, should a crashed run have left it behind).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace geih::testing {

class TempFolder {
 public:
  explicit TempFolder(const std::string& tag)
      : m_path(std::filesystem::temp_directory_path() / ("geih_" + tag + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  operator const std::filesystem::path&() const { return m_path; }  // NOLINT: used as the folder it is
  std::filesystem::path operator/(const std::filesystem::path& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

}  // namespace geih::testing
