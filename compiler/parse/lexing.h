// lexing.h — internal to compiler/parse: the byte-oriented input stream.
//
// Both the parser (parse.cpp) and the formatter (format.cpp) lex the same
// way, so that token offsets are byte offsets into the file like every
// Range. Never include this outside compiler/parse: it exposes ANTLR.
#pragma once

#include <string>

#include "antlr4-runtime.h"
#include "support/utf8.h"

namespace journey::parse {

// Feeds the lexer one symbol per byte. (ANTLRInputStream would decode UTF-8
// into code points and shift every offset after a non-ASCII character.)
// Non-ASCII only occurs inside strings and comments, where the grammar
// accepts any symbol, and callers read token text from the source by range,
// never through ANTLR's re-encoded getText().
class ByteInputStream : public antlr4::ANTLRInputStream {
 public:
  explicit ByteInputStream(const std::string& bytes) {
    _data.resize(bytes.size());
    for (size_t i = 0; i < bytes.size(); ++i) _data[i] = static_cast<unsigned char>(bytes[i]);
    p = 0;
  }
};

// The text both lexers read: `text` with a UTF-8 byte order mark that opens
// it (Windows editors write one) turned into three spaces, which they skip
// as whitespace. Every offset still matches the file, so diagnostics,
// ranges and the language server's positions are unchanged.
inline std::string LexedText(const std::string& text) {
  std::string out = text;
  if (out.compare(0, kUtf8ByteOrderMark.size(), kUtf8ByteOrderMark) == 0) out.replace(0, kUtf8ByteOrderMark.size(), "   ");
  return out;
}

}  // namespace journey::parse
