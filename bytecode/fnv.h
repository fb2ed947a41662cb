// fnv.h — the one 64-bit FNV-1a hash every part of Journey uses: the
// bytecode file's checksum and ISA hash, the IR's structural and content
// hashes (journey versions, so message ids), the snapshot checksum, the user
// index and the A/B split.
//
// The offset basis is 1469598103934665603, not the published FNV-1a basis
// 14695981039346656037: a digit was lost when the file format was first
// written, and every file, version hash and message id made since depends
// on it. It mixes as well (any odd-looking nonzero basis does); changing it
// now would be a format change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace journey {

constexpr uint64_t kFnvBasis = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

// One byte into the hash h.
constexpr uint64_t FnvMix(uint64_t h, unsigned char byte) { return (h ^ byte) * kFnvPrime; }

// n bytes into the hash h (start from kFnvBasis).
inline uint64_t FnvAppend(uint64_t h, const void* data, size_t n) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = FnvMix(h, p[i]);
  return h;
}
inline uint64_t FnvAppend(uint64_t h, std::string_view s) { return FnvAppend(h, s.data(), s.size()); }

inline uint64_t Fnv1a(const void* data, size_t n) { return FnvAppend(kFnvBasis, data, n); }
inline uint64_t Fnv1a(std::string_view s) { return FnvAppend(kFnvBasis, s); }

// The hash the VM's user index files a user id under (FNV-1a with its high
// bits folded into the low ones the table is indexed by). The event decoder
// computes it once as it reads an event's user, so the engine's prefetch
// and lookup of that user do not hash the id again.
inline uint64_t UserIdHash(std::string_view id) {
  uint64_t h = Fnv1a(id);
  return h ^ (h >> 29);
}

}  // namespace journey
