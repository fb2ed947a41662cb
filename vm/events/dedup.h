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
  // capacity 0 turns de-duplication off: every id is new.
  explicit MessageIdWindow(size_t capacity);

  // Records `id`; returns false when it is among the remembered ids.
  bool insert(std::string_view id) { return insert_hash(hash_bytes(id)); }
  bool insert_hash(uint64_t h);

  // Starts loading the table slot for hash h (a hint; no effect on results),
  // so that an insert_hash(h) issued a little later does not wait on memory.
  void prefetch(uint64_t h) const {
    if (capacity_ != 0) __builtin_prefetch(&table_[(h == 0 ? 1 : h) & mask_]);
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
