// blob_store.cpp — see blob_store.h.
#include "vm/blob_store.h"

#include <bit>
#include <stdexcept>

namespace journey::vm {

size_t BlobStore::ClassOf(size_t cells) {
  if (cells <= kExactClasses) return cells;
  // 17 → 32 cells, 18 → 64, ...
  return kExactClasses + static_cast<size_t>(std::bit_width(cells - 1)) - 4;
}

size_t BlobStore::CellsOfClass(size_t sizeClass) {
  return sizeClass <= kExactClasses ? sizeClass : size_t{1} << (sizeClass - kExactClasses + 4);
}

uint32_t BlobStore::add(std::string_view bytes) {
  Made blob = make(bytes.size());
  if (!bytes.empty()) std::memcpy(blob.bytes, bytes.data(), bytes.size());
  return blob.handle;
}

BlobStore::Made BlobStore::make(size_t length) {
  if (length > (size_t{1} << 31)) throw std::length_error("a blob is limited to 2 GiB");
  size_t sizeClass = ClassOf(CellsFor(length));
  size_t cells = CellsOfClass(sizeClass);
  uint32_t handle;
  if (sizeClass < free_.size() && !free_[sizeClass].empty()) {
    handle = free_[sizeClass].back();
    free_[sizeClass].pop_back();
  } else {
    if (cells_.size() + cells > kNone) throw std::length_error("the blob store is full (64 GiB)");
    handle = static_cast<uint32_t>(cells_.size());
    cells_.resize(cells_.size() + cells);
  }
  auto stored = static_cast<uint32_t>(length);
  unsigned char* at = cells_[handle].bytes;
  std::memcpy(at, &stored, sizeof stored);
  inUse_ += cells;
  return Made{handle, reinterpret_cast<char*>(at + sizeof stored)};
}

void BlobStore::remove(uint32_t handle) {
  size_t sizeClass = ClassOf(CellsFor(get(handle).size()));
  if (free_.size() <= sizeClass) free_.resize(sizeClass + 1);
  free_[sizeClass].push_back(handle);
  inUse_ -= CellsOfClass(sizeClass);
}

void BlobStore::clear() {
  cells_.clear();
  free_.clear();
  inUse_ = 0;
}

}  // namespace journey::vm
