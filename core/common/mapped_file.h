// A read-only memory map of a whole file (RAII). Lets parsers read large inputs without copying
// them into the heap first. Throws IoError naming the path.
#pragma once

#include <filesystem>
#include <string_view>

namespace geih {

class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const { return {static_cast<const char*>(m_data), m_size}; }

 private:
  void* m_data = nullptr;
  std::size_t m_size = 0;
};

}  // namespace geih
