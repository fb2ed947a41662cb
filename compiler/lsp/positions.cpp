// positions.cpp — UTF-8 byte offsets ↔ UTF-16 line/character positions.
#include "lsp/positions.h"

#include <algorithm>

namespace journey::lsp {

uint32_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;  // a stray continuation or invalid byte: step over it alone
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  // LSP counts \n, \r\n and a lone \r as line ends.
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) starts_.push_back(i + 1);
  }
}

uint32_t LineIndex::lineEnd(uint32_t line) const {
  uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<uint32_t>(text_.size());
  while (end > starts_[line] && (text_[end - 1] == '\n' || text_[end - 1] == '\r') && line + 1 < starts_.size()) --end;
  return end;
}

uint32_t LineIndex::offset(Position p) const {
  if (p.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t at = starts_[p.line], end = lineEnd(p.line), units = 0;
  while (at < end) {
    uint32_t len = Utf8SequenceLength(static_cast<unsigned char>(text_[at]));
    uint32_t width = len == 4 ? 2 : 1;  // astral characters are surrogate pairs
    if (units + width > p.character) break;
    units += width;
    at = std::min(at + len, end);
  }
  return at;
}

Position LineIndex::position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t at = starts_[line], units = 0;
  while (at < offset) {
    uint32_t len = Utf8SequenceLength(static_cast<unsigned char>(text_[at]));
    units += len == 4 ? 2 : 1;
    at += len;
  }
  return {line, units};
}

nlohmann::json ToJson(Position p) { return {{"line", p.line}, {"character", p.character}}; }

nlohmann::json RangeJson(const LineIndex& index, uint32_t begin, uint32_t end) {
  return {{"start", ToJson(index.position(begin))}, {"end", ToJson(index.position(end))}};
}

Position PositionFromJson(const nlohmann::json& j) {
  Position p;
  p.line = j.value("line", 0u);
  p.character = j.value("character", 0u);
  return p;
}

}  // namespace journey::lsp
