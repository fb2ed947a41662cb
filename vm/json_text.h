// json_text.h — a string as a JSON string literal, written to a buffer.
//
// Shared by the event decoder (nested values kept as JSON text) and the
// reports (outbox lines, stats): one escaping rule for everything the VM
// writes as JSON. The outbox writes hundreds of megabytes of these, so the
// core writes through a raw pointer into room the caller made beforehand
// (JsonStringBound), 16 bytes a step where nothing needs escaping: no
// capacity check or call per piece.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace journey::vm {

// Bytes WriteJsonString may write for n bytes of text: both quotes, and
// six bytes (\u001f) for each byte at worst.
constexpr size_t JsonStringBound(size_t n) { return 6 * n + 2; }

namespace json_detail {

// The escape of byte c (below 0x20, '"' or '\\') written at dst; returns the end.
inline char* WriteEscape(char* dst, unsigned char c) {
  char short_form = 0;
  switch (c) {
    case '"': short_form = '"'; break;
    case '\\': short_form = '\\'; break;
    case '\n': short_form = 'n'; break;
    case '\r': short_form = 'r'; break;
    case '\t': short_form = 't'; break;
    case '\b': short_form = 'b'; break;
    case '\f': short_form = 'f'; break;
    default: break;
  }
  *dst++ = '\\';
  if (short_form) {
    *dst++ = short_form;
    return dst;
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::memcpy(dst, "u00", 3);
  dst[3] = kHex[c >> 4];
  dst[4] = kHex[c & 0xF];
  return dst + 5;
}

inline bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

}  // namespace json_detail

// True when one of the 8 bytes in `w` needs an escape (below 0x20, '"' or
// '\\'): the bit tricks are exact as a yes/no over the whole word.
inline bool AnyByteNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  uint64_t below20 = (w - kOnes * 0x20) & ~w;
  uint64_t isQuote = (quote - kOnes) & ~quote;
  uint64_t isBackslash = (backslash - kOnes) & ~backslash;
  return ((below20 | isQuote | isBackslash) & kHighs) != 0;
}

// Writes `s` as a JSON string literal at dst, which must have room for
// JsonStringBound(s.size()) bytes; returns the end of what was written.
// Bytes at or above 0x80 pass through (the text is UTF-8).
inline char* WriteJsonString(char* dst, std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  *dst++ = '"';
#if defined(__SSE2__)
  // Each step copies 16 bytes, then finds the first that needs an escape
  // (if any) and keeps only the bytes before it: the room for an escape is
  // at least as large as the 16 bytes stored.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), w);
    __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, quote), _mm_cmpeq_epi8(w, backslash)),
                               _mm_cmpeq_epi8(_mm_max_epu8(w, control), control));  // w <= 0x1F
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(bad));
    if (mask == 0) {
      p += 16;
      dst += 16;
      continue;
    }
    unsigned k = static_cast<unsigned>(__builtin_ctz(mask));
    dst = json_detail::WriteEscape(dst + k, static_cast<unsigned char>(p[k]));
    p += k + 1;
  }
#endif
  // Most strings here are short (ids, names, a sentence): 4 to 15 bytes
  // left are checked and copied as two overlapping words, so the byte loop
  // only sees the last 1-3 bytes or a word that needs an escape.
  size_t n = static_cast<size_t>(end - p);
  if (n >= 8 && n < 16) {
    uint64_t head, tail;
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, end - 8, 8);
    if (!AnyByteNeedsEscape(head) && !AnyByteNeedsEscape(tail)) {
      std::memcpy(dst, &head, 8);
      std::memcpy(dst + n - 8, &tail, 8);
      dst += n;
      p = end;
    }
  } else if (n >= 4 && n < 8) {
    uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, end - 4, 4);
    if (!AnyByteNeedsEscape(head | uint64_t{tail} << 32)) {
      std::memcpy(dst, &head, 4);
      std::memcpy(dst + n - 4, &tail, 4);
      dst += n;
      p = end;
    }
  }
  for (; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (json_detail::NeedsEscape(c)) dst = json_detail::WriteEscape(dst, c);
    else *dst++ = static_cast<char>(c);
  }
  *dst++ = '"';
  return dst;
}

// The same, appended to a std::string.
inline void AppendJsonString(std::string& out, std::string_view s) {
  size_t at = out.size();
  out.resize(at + JsonStringBound(s.size()));
  char* end = WriteJsonString(out.data() + at, s);
  out.resize(static_cast<size_t>(end - out.data()));
}

}  // namespace journey::vm
