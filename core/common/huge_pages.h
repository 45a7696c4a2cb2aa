// Asks the kernel to back a large buffer with transparent huge pages. On virtual machines a 4 KiB
// page fault costs more than the arithmetic done on the page, so big column buffers filled once
// (CSV columns, sort keys, design matrices) are several times faster to fill with 2 MiB pages.
// A no-op for small buffers and where the kernel does not support it.
#pragma once

#include <cstddef>

namespace geih {

void adviseHugePages(void* data, std::size_t bytes);

}  // namespace geih
