// entry_props.h — where instances keep the entry-event properties their
// templates read (Instance::entryProps), shared when they are the same.
//
// An instance's kept properties are one packed byte string (engine.cpp,
// PackScalar). Most are the same as many others': a campaign's name, a
// product from a catalogue, a sign-up method. Kept once per instance they
// were 16–48 bytes of every waiting user (a quarter of promo's resident
// memory at a million users, bench/README.md). So a short packed string is
// first looked up in a pool of the ones seen before and, found or added
// there, shared by handle; an instance leaving does not free it. The rest
// (long ones, and all of them once the pool is full) go to a BlobStore of
// their own, freed on leaving, as before.
//
// Values that never repeat (an order id) would only fill the pool and cost
// a lookup each: the pool holds at most kMaxPooled strings, and when a
// window of lookups finds few repeats it stops looking for a while.
//
// Handles: a pooled string's has the top bit set; the others are the
// BlobStore's (below 2^31). Bytes from get() are valid until the store next
// changes, as with the BlobStore.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vm/blob_store.h"

namespace journey::vm {

class EntryPropsStore {
 public:
  static constexpr uint32_t kNone = BlobStore::kNone;
  // Packed strings up to this long are pooled (the longest most kept
  // properties are: a product's name and id together).
  static constexpr size_t kPoolableBytes = 124;
  static constexpr size_t kMaxPooled = size_t{1} << 16;

  // Keeps `packed` (shared when the pool has it or takes it) and returns
  // its handle. Throws std::length_error past the BlobStore's limits.
  uint32_t add(std::string_view packed);
  // Room for a packed string too long to pool (longer than
  // kPoolableBytes), for the caller to fill: never shared.
  BlobStore::Made makeUnshared(size_t length);
  // The packed bytes of a handle from add().
  std::string_view get(uint32_t handle) const {
    return pooled(handle) ? pool_.get(handle & ~kPooledBit) : own_.get(handle);
  }
  // The instance that held `handle` no longer does (a pooled string stays).
  void remove(uint32_t handle) {
    if (!pooled(handle)) own_.remove(handle);
  }
  // Where a handle's bytes start, to prefetch (a hint).
  const void* address(uint32_t handle) const {
    return pooled(handle) ? pool_.address(handle & ~kPooledBit) : own_.address(handle);
  }
  // Whether `handle` could name kept bytes (inside the store): for checks.
  bool inside(uint32_t handle) const {
    return pooled(handle) ? pool_.inside(handle & ~kPooledBit) : own_.inside(handle);
  }
  void clear();

  size_t pooledCount() const { return pooledCount_; }
  size_t ownCellsInUse() const { return own_.cellsInUse(); }

 private:
  static constexpr uint32_t kPooledBit = 0x80000000u;
  // Lookups per window, and the repeats a window must find for the next
  // one to look; after a poor window, this many adds skip the pool.
  static constexpr uint32_t kWindow = 4096, kWorthRepeats = kWindow / 8, kPause = 16 * kWindow;
  static bool pooled(uint32_t handle) { return handle != kNone && (handle & kPooledBit); }
  // The pooled string equal to `packed` (its BlobStore handle), or kNone;
  // `slot` is where the table has it or where it would go.
  uint32_t find(std::string_view packed, uint64_t hash, size_t& slot) const;
  void growTable();

  BlobStore own_;                // unshared strings, one per instance
  BlobStore pool_;               // shared strings, never freed (until clear)
  std::vector<uint32_t> table_;  // open addressing: pool_ handles, kNone = empty
  size_t pooledCount_ = 0;
  uint32_t looked_ = 0, repeats_ = 0, paused_ = 0;
};

}  // namespace journey::vm
