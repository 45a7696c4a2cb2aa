#include "core/common/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/common/error.h"

namespace geih {

MappedFile::MappedFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open '" + path.string() + "': " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw IoError("cannot read '" + path.string() + "': " + why);
  }
  m_size = std::size_t(info.st_size);
  if (m_size > 0) {
    // MAP_POPULATE reads the file in one go instead of one page fault per 4 KiB.
    m_data = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m_data == MAP_FAILED) {
      m_data = nullptr;
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw IoError("cannot map '" + path.string() + "': " + why);
    }
    ::madvise(m_data, m_size, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (m_data) ::munmap(m_data, m_size);
}

}  // namespace geih
