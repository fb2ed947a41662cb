// positions.h — LSP positions (line, UTF-16 code unit) ↔ byte offsets.
//
// The compiler measures text in bytes of UTF-8; LSP clients count UTF-16
// code units within a line, so a character outside the Basic Multilingual
// Plane counts two and any non-ASCII character before a range shifts its
// columns. Every range the server sends or receives passes through here.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace journey::lsp {

struct Position {
  uint32_t line = 0;       // 0-based
  uint32_t character = 0;  // UTF-16 code units from the line start
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The byte offset of `p`. Positions past the end of a line clamp to the
  // line end (as LSP asks); positions inside a character snap to its start.
  uint32_t offset(Position p) const;
  Position position(uint32_t offset) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  uint32_t lineEnd(uint32_t line) const;  // offset of the terminator (or text end)
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

// UTF-16 length of one UTF-8 sequence starting with byte `lead`.
uint32_t Utf8SequenceLength(unsigned char lead);

nlohmann::json ToJson(Position p);
nlohmann::json RangeJson(const LineIndex& index, uint32_t begin, uint32_t end);
Position PositionFromJson(const nlohmann::json& j);

}  // namespace journey::lsp
