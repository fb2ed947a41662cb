// dedup.cpp — the message-id window (see dedup.h).
//
// The table is kept at most 60% full, so probe runs stay short, and a
// sweep deletes by backward shift instead of leaving tombstones, so a table
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
// and doubles as ids arrive, up to what eight epochs need: a short stream
// does not pay for zeroing a window sized for an endless one, and a long
// file does not pay for every doubling (each fills fresh pages, a slow
// first touch on the VMs we measured).
MessageIdWindow::MessageIdWindow(size_t capacity, size_t expected_ids) : capacity_(capacity) {
  if (capacity_ == 0) return;
  epoch_ids_ = (capacity_ + kTags - 2) / (kTags - 1);
  size_t most = epoch_ids_ * kTags;  // entries the table can come to hold
  auto slots_for = [](size_t entries) { return std::max<size_t>(1024, std::bit_ceil(entries * 5 / 3 + 1)); };
  table_.assign(std::min(slots_for(most), slots_for(std::min(expected_ids, most))), 0);
  mask_ = table_.size() - 1;
}

void MessageIdWindow::grow() {
  vm::BigArray<uint64_t> old;
  old.assign(table_.size() * 2, 0);
  old.swap(table_);
  mask_ = table_.size() - 1;
  for (uint64_t e : old)
    if (e != 0) table_[find_slot(e & ~kTagMask)] = e;
}

size_t MessageIdWindow::find_slot(uint64_t key) const {
  size_t i = home(key);
  while (table_[i] != 0 && (table_[i] & ~kTagMask) != key) i = (i + 1) & mask_;
  return i;
}

bool MessageIdWindow::contains(std::string_view id) const {
  if (capacity_ == 0) return false;
  return table_[find_slot(key_of(hash_bytes(id)))] != 0;
}

bool MessageIdWindow::insert_hash(uint64_t h) {
  if (capacity_ == 0) return true;
  uint64_t key = key_of(h);
  size_t slot = find_slot(key);
  if (table_[slot] != 0) return false;
  if (in_epoch_ == epoch_ids_) {
    // The next epoch begins: the one that used its tag eight epochs ago is
    // forgotten. The last seven full epochs (at least `capacity` ids) stay.
    epoch_ = (epoch_ + 1) & kTagMask;
    in_epoch_ = 0;
    if (per_epoch_[epoch_]) {
      sweep(epoch_);
      slot = find_slot(key);  // the sweep moved entries
    }
  }
  if ((count_ + 1) * 5 > table_.size() * 3) {
    grow();
    slot = find_slot(key);
  }
  table_[slot] = key | epoch_;
  ++count_;
  ++in_epoch_;
  ++per_epoch_[epoch_];
  return true;
}

void MessageIdWindow::erase_at(size_t hole) {
  table_[hole] = 0;
  // Pull later entries of the probe run back into the hole when their home
  // slot is not between the hole and where they sit (cyclically).
  for (size_t i = (hole + 1) & mask_; table_[i] != 0; i = (i + 1) & mask_) {
    size_t h = home(table_[i] & ~kTagMask);
    bool stays = hole <= i ? (hole < h && h <= i) : (hole < h || h <= i);
    if (stays) continue;
    table_[hole] = table_[i];
    table_[i] = 0;
    hole = i;
  }
}

// One pass over the table, starting just after an empty slot: no probe run
// crosses that slot, so a deletion only ever pulls back entries the pass
// has not reached yet, and a slot that took one is looked at again.
void MessageIdWindow::sweep(uint64_t tag) {
  size_t start = 0;
  while (table_[start] != 0) ++start;  // there is one: the table is at most 60% full
  size_t n = table_.size();
  for (size_t k = 1; k <= n && per_epoch_[tag];) {
    size_t i = (start + k) & mask_;
    if (table_[i] != 0 && (table_[i] & kTagMask) == tag) {
      erase_at(i);
      --count_;
      --per_epoch_[tag];
    } else {
      ++k;
    }
  }
}

}  // namespace journey::events
