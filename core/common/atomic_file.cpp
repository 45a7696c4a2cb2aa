#include "core/common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/common/error.h"

namespace geih {
namespace {

std::string systemError() { return std::strerror(errno); }

}  // namespace

void writeFileAtomic(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw IoError("cannot create folder '" + folder.string() + "': " + ec.message());

  std::string temp = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw IoError("cannot create a temporary file in '" + folder.string() + "': " + systemError());
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = systemError();
      ::close(fd);
      ::unlink(temp.c_str());
      throw IoError("cannot write '" + path.string() + "': " + why);
    }
    written += std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = systemError();
    ::unlink(temp.c_str());
    throw IoError("cannot flush '" + path.string() + "': " + why);
  }
  ::chmod(temp.c_str(), 0644);  // mkstemp creates 0600; artifacts are ordinary files
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = systemError();
    ::unlink(temp.c_str());
    throw IoError("cannot move '" + temp + "' to '" + path.string() + "': " + why);
  }
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw IoError("cannot open '" + path.string() + "' for reading");
  std::string bytes(std::size_t(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), std::streamsize(bytes.size()));
  if (!in) throw IoError("error while reading '" + path.string() + "'");
  return bytes;
}

}  // namespace geih
