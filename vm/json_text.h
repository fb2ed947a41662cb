// json_text.h — a string as a JSON string literal, appended to a buffer.
//
// Shared by the event decoder (nested values kept as JSON text) and the
// reports (outbox lines, stats): one escaping rule for everything the VM
// writes as JSON. Unescaped stretches are copied in one go and nothing is
// allocated beyond the buffer's growth.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace journey::vm {

// True when one of the 8 bytes in `w` needs an escape (below 0x20, '"' or
// '\\'): the bit tricks are exact as a yes/no over the whole word, so text
// without escapes is scanned 8 bytes a step.
inline bool AnyByteNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  uint64_t below20 = (w - kOnes * 0x20) & ~w;
  uint64_t isQuote = (quote - kOnes) & ~quote;
  uint64_t isBackslash = (backslash - kOnes) & ~backslash;
  return ((below20 | isQuote | isBackslash) & kHighs) != 0;
}

inline void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  size_t run = 0;  // start of the stretch that needs no escape
  size_t i = 0;
  for (;;) {
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (AnyByteNeedsEscape(w)) break;
      i += 8;
    }
    if (i == s.size()) break;
    // Byte by byte to the end of this word (or of the text).
    size_t stop = std::min(i + 8, s.size());
    for (; i < stop; ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        }
      }
    }
    if (i == s.size()) break;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace journey::vm
