// heap.cpp — see heap.h.
#include "support/heap.h"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace journey {

void UseHugePagesForHeap() {
  constexpr size_t kHugePage = size_t{2} << 20;
  constexpr size_t kArena = size_t{30} << 20;  // under the mmap threshold set below
  mallopt(M_MMAP_THRESHOLD, 32 << 20);         // glibc's largest allowed value
  mallopt(M_TRIM_THRESHOLD, 64 << 20);         // keep the arena when it is freed
  // Grow the heap by the arena once, advise it, and hand it back: later
  // allocations are carved out of it, on huge pages.
  void* block = std::malloc(kArena);
  if (!block) return;
  auto begin = (reinterpret_cast<uintptr_t>(block) + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  auto end = (reinterpret_cast<uintptr_t>(block) + kArena) & ~(uintptr_t{kHugePage} - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  std::free(block);
}

}  // namespace journey
