// Atomic file writes: the bytes go to a temporary file in the destination's folder, are flushed
// to disk, and the file is renamed over the destination. A reader sees the old file or the new
// one, never half of one, even if the process is killed mid-write.
#pragma once

#include <filesystem>
#include <string_view>

namespace geih {

// Throws IoError naming the path when the folder is not writable or the disk is full.
void writeFileAtomic(const std::filesystem::path& path, std::string_view bytes);

// Reads a whole file. Throws IoError naming the path.
std::string readFile(const std::filesystem::path& path);

}  // namespace geih
