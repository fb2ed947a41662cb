// entry_props.cpp — see entry_props.h.
#include "vm/entry_props.h"

#include <cstring>
#include <stdexcept>

namespace journey::vm {

namespace {

// A hash for the pool's table only (never stored or compared across runs):
// eight bytes a step, since FNV's byte a step cost 2% of a run's
// instructions here (callgrind, cart at 100k users).
uint64_t HashPacked(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    h = (h ^ word) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

}  // namespace

uint32_t EntryPropsStore::find(std::string_view packed, uint64_t hash, size_t& slot) const {
  const size_t mask = table_.size() - 1;
  for (slot = hash & mask;; slot = (slot + 1) & mask) {
    uint32_t h = table_[slot];
    if (h == kNone || pool_.get(h) == packed) return h;
  }
}

void EntryPropsStore::growTable() {
  std::vector<uint32_t> old = std::move(table_);
  table_.assign(old.empty() ? 1024 : old.size() * 2, kNone);
  for (uint32_t h : old) {
    if (h == kNone) continue;
    size_t slot;
    find(pool_.get(h), HashPacked(pool_.get(h)), slot);
    table_[slot] = h;
  }
}

uint32_t EntryPropsStore::add(std::string_view packed) {
  bool look = packed.size() <= kPoolableBytes;
  if (look && paused_) {
    --paused_;
    look = false;
  }
  if (look) {
    if (table_.empty()) growTable();
    size_t slot;
    uint64_t hash = HashPacked(packed);
    uint32_t found = find(packed, hash, slot);
    ++looked_;
    if (found != kNone) ++repeats_;
    if (looked_ == kWindow) {
      if (repeats_ < kWorthRepeats) paused_ = kPause;
      looked_ = repeats_ = 0;
    }
    if (found != kNone) return found | kPooledBit;
    if (pooledCount_ < kMaxPooled) {
      uint32_t h = pool_.add(packed);
      if (h & kPooledBit) throw std::length_error("the pool of entry properties is full");
      table_[slot] = h;
      // At most half full, so probes stay short and find() always ends.
      if (++pooledCount_ * 2 > table_.size()) growTable();
      return h | kPooledBit;
    }
  }
  BlobStore::Made made = makeUnshared(packed.size());
  if (!packed.empty()) std::memcpy(made.bytes, packed.data(), packed.size());
  return made.handle;
}

BlobStore::Made EntryPropsStore::makeUnshared(size_t length) {
  BlobStore::Made made = own_.make(length);
  if (made.handle & kPooledBit) {
    own_.remove(made.handle);
    throw std::length_error("the store of entry properties is full (32 GiB)");
  }
  return made;
}

void EntryPropsStore::clear() {
  own_.clear();
  pool_.clear();
  table_.clear();
  pooledCount_ = 0;
  looked_ = repeats_ = paused_ = 0;
}

}  // namespace journey::vm
