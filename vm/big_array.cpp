// big_array.cpp — see big_array.h: the mappings behind BigArray.
#include "vm/big_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define JOURNEY_LSAN_ROOTS 1
#endif

namespace journey::vm::big_array {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// The leak checker looks for live pointers in the heap, stacks and globals,
// not in our mappings: a std::unique_ptr kept in a BigArray would be
// reported as leaked unless its mapping is named to it.
void AddRoot([[maybe_unused]] void* p, [[maybe_unused]] size_t bytes) {
#ifdef JOURNEY_LSAN_ROOTS
  __lsan_register_root_region(p, bytes);
#endif
}
void RemoveRoot([[maybe_unused]] void* p, [[maybe_unused]] size_t bytes) {
#ifdef JOURNEY_LSAN_ROOTS
  __lsan_unregister_root_region(p, bytes);
#endif
}

void AdviseHuge(void* p, size_t bytes) {
  // Advice only: without transparent huge pages the array still works.
  if (bytes >= kHugePage) madvise(p, bytes, MADV_HUGEPAGE);
}

// `bytes` of address space at a huge-page boundary, reserved (no access, no
// memory), for a mapping to be placed on: huge pages need the alignment.
void* ReserveAligned(size_t bytes) {
  size_t span = bytes + kHugePage;
  void* raw = mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto begin = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (begin + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  if (begin + span > aligned + bytes) munmap(reinterpret_cast<void*>(aligned + bytes), begin + span - aligned - bytes);
  return reinterpret_cast<void*>(aligned);
}

}  // namespace

size_t Rounded(size_t bytes) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t unit = bytes >= kHugePage ? kHugePage : page;
  if (bytes > SIZE_MAX - unit) throw std::bad_alloc();
  return (bytes + unit - 1) / unit * unit;
}

void* Map(size_t bytes) {
  void* at = bytes >= kHugePage ? ReserveAligned(bytes) : nullptr;
  void* p = mmap(at, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);
  if (p == MAP_FAILED) {
    if (at) munmap(at, bytes);
    throw std::bad_alloc();
  }
  AdviseHuge(p, bytes);
  AddRoot(p, bytes);
  return p;
}

void* Grow(void* p, size_t from, size_t to) {
  // In place when the addresses after it are free; else onto a fresh
  // aligned range. Either way the pages move by their page tables.
  bool aligned = reinterpret_cast<uintptr_t>(p) % kHugePage == 0;
  void* q = aligned || to < kHugePage ? mremap(p, from, to, 0) : MAP_FAILED;
  if (q == MAP_FAILED) {
    void* at = to >= kHugePage ? ReserveAligned(to) : nullptr;
    q = at ? mremap(p, from, to, MREMAP_MAYMOVE | MREMAP_FIXED, at) : mremap(p, from, to, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) {
      if (at) munmap(at, to);
      throw std::bad_alloc();
    }
  }
  RemoveRoot(p, from);
  AdviseHuge(q, to);
  AddRoot(q, to);
  return q;
}

void Unmap(void* p, size_t bytes) {
  RemoveRoot(p, bytes);
  munmap(p, bytes);
}

}  // namespace journey::vm::big_array
