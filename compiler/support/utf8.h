// utf8.h — reading UTF-8 source text a character at a time.
//
// The compiler measures text in bytes (every Range is a byte range), but
// people see characters: a diagnostic names a stray character by what it
// looks like and its code point, and carets sit under the characters a
// terminal shows, one column for most, two for wide ones (CJK, emoji),
// none for combining marks. Source text need not be valid UTF-8; bytes that
// are not are reported as bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace journey {

// The UTF-8 byte order mark, ignored where it opens a source file.
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// One character decoded from the start of `s`: its code point and length
// in bytes. `length` is 0 when `s` does not start with well-formed UTF-8
// (a stray continuation byte, a sequence cut short, an overlong form, a
// surrogate or a code point past U+10FFFF) or is empty.
struct Utf8Char {
  char32_t codePoint = 0;
  size_t length = 0;
};
Utf8Char DecodeUtf8(std::string_view s);

// Columns a terminal gives code point `c`: 0 for combining marks and
// zero-width characters, 2 for East Asian wide characters and emoji, else 1.
int DisplayColumns(char32_t c);
// Columns a terminal gives `s`; a byte that is not UTF-8 counts as one (it
// is shown as one replacement character).
size_t DisplayWidth(std::string_view s);

// UTF-16 code units of `s` (two for a character past U+FFFF), the columns
// of SARIF and of editors; a byte that is not UTF-8 counts as one.
size_t Utf16Units(std::string_view s);

// "U+201C"
std::string CodePointName(char32_t c);

}  // namespace journey
