// dedup.h — remembers the recent message ids, to drop redelivered events.
//
// Senders retry, so the same event (same messageId) can arrive twice;
// applying it twice would double-count a goal or re-enter a journey.
// Memory must stay bounded on an endless stream, so only recent ids are
// remembered: at least the last `capacity`, and at most a seventh more.
// Ids are stored as hashes, not strings: 8 bytes an id, no allocation per
// event. The price is a chance of about capacity / 2^61 that a new id
// collides with a remembered one and its event is wrongly dropped (with a
// million ids remembered, about one in 10^12 events).
//
// Ids are forgotten by epochs, not one by one. The ids arrive in epochs of
// capacity / 7 (rounded up); each table entry carries its epoch's number
// in its three low bits, and when an eighth epoch begins, the oldest one's
// entries are swept out of the table in one pass. A window that forgot the
// oldest id at every insert kept the ids in arrival order as well (8 more
// bytes an id, the first touch of their pages a slow one on the VMs we
// measured) and paid a second table miss per insert to delete it; a sweep
// reads the table in order, about 110 bytes an insert.
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

  // Reads the table slots where the n hashes would go: no effect on
  // results, but each insert_hash() a little later then finds its slot in
  // the cache. These are plain loads issued back to back, so their misses
  // overlap; on the VM we measured, prefetch instructions for this table
  // were mostly dropped (bench/README.md). Returns what it read, for the
  // caller to keep so that the loads are not optimised away.
  uint64_t touch(const uint64_t* hashes, size_t n) const {
    uint64_t seen = 0;
    if (capacity_ == 0) return seen;
    for (size_t k = 0; k < n; ++k) seen += table_[home(key_of(hashes[k]))];
    return seen;
  }

  bool contains(std::string_view id) const;
  size_t size() const { return count_; }
  size_t capacity() const { return capacity_; }
  // Ids per epoch: the window remembers the last 7 epochs and the current one.
  size_t epoch_ids() const { return epoch_ids_; }

 private:
  static constexpr unsigned kTagBits = 3;
  static constexpr uint64_t kTags = uint64_t{1} << kTagBits;  // 7 full epochs + the one filling
  static constexpr uint64_t kTagMask = kTags - 1;
  // The part of a hash that is compared (never 0: 0 is an empty slot).
  static uint64_t key_of(uint64_t h) {
    uint64_t k = h & ~kTagMask;
    return k ? k : kTags;
  }
  size_t home(uint64_t key) const { return (key >> kTagBits) & mask_; }
  size_t find_slot(uint64_t key) const;  // the slot holding key, or the empty slot where it would go
  void erase_at(size_t hole);             // backward-shift deletion
  void sweep(uint64_t tag);               // removes every entry of epoch `tag`
  void grow();                            // doubles the table (it stays at most 60% full)

  size_t capacity_;
  size_t epoch_ids_ = 0;
  vm::BigArray<uint64_t> table_;  // open addressing, linear probing: key | epoch; 0 = empty
  size_t mask_ = 0;
  size_t count_ = 0;              // entries in the table
  uint64_t epoch_ = 0;            // the epoch filling (its tag)
  size_t in_epoch_ = 0;           // ids it holds
  size_t per_epoch_[kTags] = {};  // entries of each epoch in the table
};

}  // namespace journey::events
