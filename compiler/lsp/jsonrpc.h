// jsonrpc.h — JSON-RPC 2.0 message framing for the language server.
//
// LSP frames every message as `Content-Length: N\r\n\r\n` followed by N
// bytes of JSON. The reader buffers raw input from a file descriptor so the
// server can ask whether another message is already waiting: that is how
// it coalesces a burst of edits into one re-check (see server.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace journey::lsp {

class MessageReader {
 public:
  explicit MessageReader(int fd) : fd_(fd) {}
  // The next message body; blocks. nullopt at end of input or when the
  // stream is corrupt beyond recovery (no Content-Length).
  std::optional<std::string> next();
  // True when a complete message is buffered or the descriptor has data
  // (or end of input) ready, so reading would not block.
  bool pending();

 private:
  enum class Scan : uint8_t { Incomplete, Whole, Broken };
  // Looks for the first framed message in buffer_; when Whole, fills where
  // its body starts and how long it is.
  Scan scan(size_t& bodyStart, size_t& length) const;
  bool fill();  // reads more bytes; false at end of input

  int fd_;
  std::string buffer_;
  bool eof_ = false;
  bool broken_ = false;
};

// Frames `body` for writing to the client.
std::string Frame(const std::string& body);

}  // namespace journey::lsp
