// blob_store.h — many small byte strings in one array, by 32-bit handle.
//
// Each instance keeps the entry-event properties its templates read (a
// packed string of a few dozen bytes). As a std::string each cost a 32-byte
// object, a heap block with its header, a malloc and a free, and two cache
// misses to read (the object, then the bytes). Here a blob is a run of
// 16-byte cells in one BigArray — a 4-byte length, then the bytes — named by
// the index of its first cell: one miss to read, no allocation once the
// store has grown, 16-byte granularity.
//
// Freed runs are kept on a free list per size class and reused by blobs of
// the same class: exact cell counts up to 16 cells (252 bytes), powers of
// two above. Runs are not merged; a workload's blobs are mostly of a few
// sizes, so the lists stay short and the space is reused.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "vm/big_array.h"

namespace journey::vm {

class BlobStore {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Stores a copy of `bytes` (at most 2^31 bytes; throws std::length_error
  // beyond) and returns its handle.
  uint32_t add(std::string_view bytes);
  // Makes a blob of `length` bytes for the caller to fill (same limits as
  // add): its handle and where its bytes go, valid until the store next
  // changes. Spares a caller that packs its bytes a copy through a buffer.
  struct Made {
    uint32_t handle;
    char* bytes;
  };
  Made make(size_t length);
  // The blob's bytes, valid until the store next changes.
  std::string_view get(uint32_t handle) const {
    const Cell& head = cells_[handle];
    uint32_t length;
    std::memcpy(&length, head.bytes, sizeof length);
    return {reinterpret_cast<const char*>(head.bytes) + sizeof length, length};
  }
  // Frees the blob for reuse.
  void remove(uint32_t handle);
  // Where a blob starts in memory, to prefetch (a hint; no effect).
  const void* address(uint32_t handle) const { return &cells_[handle]; }
  // Whether `handle` could name a blob (inside the store): for checks.
  bool inside(uint32_t handle) const { return handle < cells_.size(); }
  void clear();

  size_t cellsInUse() const { return inUse_; }

 private:
  static constexpr size_t kCell = 16;
  struct alignas(kCell) Cell {
    unsigned char bytes[kCell];
  };
  static constexpr size_t kExactClasses = 16;
  static size_t CellsFor(size_t length) { return (sizeof(uint32_t) + length + kCell - 1) / kCell; }
  // Size class and the cells a blob of that class occupies.
  static size_t ClassOf(size_t cells);
  static size_t CellsOfClass(size_t sizeClass);

  BigArray<Cell> cells_;
  std::vector<std::vector<uint32_t>> free_;  // by size class: first cells of free runs
  size_t inUse_ = 0;
};

}  // namespace journey::vm
