// utf8.cpp — see utf8.h.
#include "support/utf8.h"

#include <cstdio>

namespace journey {

Utf8Char DecodeUtf8(std::string_view s) {
  if (s.empty()) return {};
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length;
  char32_t c, least;  // least: the smallest code point that needs `length` bytes (smaller is overlong)
  if ((lead & 0xE0) == 0xC0) length = 2, c = lead & 0x1F, least = 0x80;
  else if ((lead & 0xF0) == 0xE0) length = 3, c = lead & 0x0F, least = 0x800;
  else if ((lead & 0xF8) == 0xF0) length = 4, c = lead & 0x07, least = 0x10000;
  else return {};  // a continuation byte, or a lead byte no code point uses
  if (s.size() < length) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    c = c << 6 | (byte(i) & 0x3F);
  }
  if (c < least || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {};
  return {c, length};
}

int DisplayColumns(char32_t c) {
  // Combining marks and the zero-width characters text editors hide.
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
      (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x200B && c <= 0x200F) || c == 0x2060 ||
      c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F))
    return 0;
  // East Asian wide and full-width blocks, and the emoji planes.
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
      (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
      (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x1FA70 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  while (!s.empty()) {
    Utf8Char ch = DecodeUtf8(s);
    if (ch.length == 0) {
      ++width;
      s.remove_prefix(1);
      continue;
    }
    width += static_cast<size_t>(DisplayColumns(ch.codePoint));
    s.remove_prefix(ch.length);
  }
  return width;
}

size_t Utf16Units(std::string_view s) {
  size_t units = 0;
  while (!s.empty()) {
    Utf8Char ch = DecodeUtf8(s);
    size_t length = ch.length ? ch.length : 1;
    units += ch.codePoint > 0xFFFF ? 2 : 1;
    s.remove_prefix(length);
  }
  return units;
}

std::string CodePointName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace journey
