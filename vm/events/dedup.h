// dedup.h — remembers the last N message ids, to drop redelivered events.
//
// Senders retry, so the same event (same messageId) can arrive twice;
// applying it twice would double-count a goal or re-enter a journey.
// Memory must stay bounded on an endless stream, so only the most recent
// `capacity` ids are remembered (first in, first out). Ids are stored as
// 64-bit hashes, not strings: 8 bytes an id, no allocation per event. The
// price is a chance of about capacity / 2^64 that a new id collides with a
// remembered one and its event is wrongly dropped (with a million ids
// remembered, about one in 10^13 events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vm/big_array.h"

namespace journey::events {

// A 64-bit hash of a byte string (ours; fast on short ids, well mixed).
uint64_t hash_bytes(std::string_view s);

class MessageIdWindow {
 public:
  // capacity 0 turns de-duplication off: every id is new. `expected_ids`
  // (a guess, 0 when unknown) sizes the table from the start, so that it
  // is not rebuilt into fresh memory at every doubling on a long stream.
  explicit MessageIdWindow(size_t capacity, size_t expected_ids = 0);

  // Records `id`; returns false when it is among the remembered ids.
  bool insert(std::string_view id) { return insert_hash(hash_bytes(id)); }
  bool insert_hash(uint64_t h);

  // Reads the table slots where the n hashes (none 0) would go, and, once
  // the window is full, those of the n ids that their inserts will evict
  // after `inserts_before` other inserts: no effect on results, but each
  // insert_hash() a little later then finds its slots in the cache. These
  // are plain loads issued back to back, so their misses overlap; on the
  // VM we measured, prefetch instructions for this table were mostly
  // dropped (bench/README.md). Returns what it read, for the caller to keep
  // so that the loads are not optimised away.
  uint64_t touch(const uint64_t* hashes, size_t n, size_t inserts_before) const {
    uint64_t seen = 0;
    if (capacity_ == 0) return seen;
    for (size_t k = 0; k < n; ++k) seen += table_[hashes[k] & mask_];
    if (count_ == capacity_)
      for (size_t k = 0; k < n; ++k) seen += table_[ring_[(head_ + inserts_before + k) % capacity_] & mask_];
    return seen;
  }

  bool contains(std::string_view id) const;
  size_t size() const { return count_; }
  size_t capacity() const { return capacity_; }

 private:
  size_t find_slot(uint64_t h) const;  // the slot holding h, or the empty slot where it would go
  void erase(uint64_t h);
  void grow();  // doubles the table (it stays at most half full)

  size_t capacity_;
  vm::BigArray<uint64_t> table_;  // open addressing, linear probing; 0 = empty
  size_t mask_ = 0;
  vm::BigArray<uint64_t> ring_;   // ids in arrival order, for eviction; grows to capacity
  size_t head_ = 0;              // once full: the next ring position to write (the oldest)
  size_t count_ = 0;
};

}  // namespace journey::events
