// dedup.cpp — the message-id window (see dedup.h).
//
// The table is kept at most half full, so probe runs stay short, and
// eviction uses backward-shift deletion instead of tombstones, so a table
// that churns forever never fills with dead entries.
#include "vm/events/dedup.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace journey::events {
namespace {

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;

uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace

uint64_t hash_bytes(std::string_view s) {
  uint64_t h = kMul2 ^ (s.size() * kMul1);
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = std::rotl(h ^ (w * kMul1), 29) * kMul2;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = std::rotl(h ^ (w * kMul1), 29) * kMul2;
  }
  return finish(h);
}

// The table starts at the size the expected ids need (small when unknown)
// and doubles as ids arrive, up to twice the capacity: a short stream does
// not pay for zeroing a window sized for an endless one, and a long file
// does not pay for every doubling (each fills fresh pages, a slow first
// touch on the VMs we measured).
MessageIdWindow::MessageIdWindow(size_t capacity, size_t expected_ids) : capacity_(capacity) {
  if (capacity_ == 0) return;
  size_t wanted = std::max<size_t>(1024, std::bit_ceil(std::min(expected_ids, capacity_) * 2));
  size_t slots = std::min<size_t>(std::bit_ceil(capacity_ * 2), wanted);
  table_.assign(slots, 0);
  mask_ = slots - 1;
  // The ring's room too: reserved (address space only), its pages are
  // touched as ids arrive; reserved at 2 MiB or more it lies on huge pages
  // from its first id, where growing by push_back put its first 2 MiB on
  // 512 small pages (a fault each, dearer than one huge page's on the VMs
  // we measured).
  ring_.reserve(std::min(expected_ids, capacity_));
}

void MessageIdWindow::grow() {
  vm::BigArray<uint64_t> old;
  old.assign(table_.size() * 2, 0);
  old.swap(table_);
  mask_ = table_.size() - 1;
  for (uint64_t h : old)
    if (h != 0) table_[find_slot(h)] = h;
}

size_t MessageIdWindow::find_slot(uint64_t h) const {
  size_t i = h & mask_;
  while (table_[i] != 0 && table_[i] != h) i = (i + 1) & mask_;
  return i;
}

bool MessageIdWindow::contains(std::string_view id) const {
  if (capacity_ == 0) return false;
  uint64_t h = hash_bytes(id);
  if (h == 0) h = 1;
  return table_[find_slot(h)] == h;
}

bool MessageIdWindow::insert_hash(uint64_t h) {
  if (capacity_ == 0) return true;
  if (h == 0) h = 1;  // 0 marks an empty slot
  size_t slot = find_slot(h);
  if (table_[slot] == h) return false;
  if (count_ == capacity_) {
    erase(ring_[head_]);  // forget the oldest id
    slot = find_slot(h);  // erasing may have moved entries
    ring_[head_] = h;
    head_ = head_ + 1 == capacity_ ? 0 : head_ + 1;
  } else {
    if ((count_ + 1) * 2 > table_.size()) {
      grow();
      slot = find_slot(h);
    }
    ++count_;
    ring_.push_back(h);  // filling up: the oldest is ring_[0] once full
  }
  table_[slot] = h;
  return true;
}

void MessageIdWindow::erase(uint64_t h) {
  size_t hole = find_slot(h);
  if (table_[hole] != h) return;
  table_[hole] = 0;
  // Pull later entries of the probe run back into the hole when their home
  // slot is not between the hole and where they sit (cyclically).
  for (size_t i = (hole + 1) & mask_; table_[i] != 0; i = (i + 1) & mask_) {
    size_t home = table_[i] & mask_;
    bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
    if (stays) continue;
    table_[hole] = table_[i];
    table_[i] = 0;
    hole = i;
  }
}

}  // namespace journey::events
