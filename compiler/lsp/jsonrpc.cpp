// jsonrpc.cpp — Content-Length framing over a file descriptor.
#include "lsp/jsonrpc.h"

#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace journey::lsp {

namespace {

// Case-insensitive header name match: clients differ in capitalisation.
bool HeaderIs(const std::string& line, const char* name, std::string& value) {
  size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  std::string key = line.substr(0, colon);
  std::string want = name;
  if (key.size() != want.size()) return false;
  for (size_t i = 0; i < key.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(key[i])) != std::tolower(static_cast<unsigned char>(want[i]))) return false;
  value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
  return true;
}

}  // namespace

bool MessageReader::fill() {
  if (eof_) return false;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    eof_ = true;
    return false;
  }
}

MessageReader::Scan MessageReader::scan(size_t& bodyStart, size_t& length) const {
  size_t headerEnd = buffer_.find("\r\n\r\n");
  if (headerEnd == std::string::npos) return Scan::Incomplete;
  long declared = -1;
  for (size_t pos = 0; pos < headerEnd;) {
    size_t eol = buffer_.find("\r\n", pos);
    std::string line = buffer_.substr(pos, eol - pos), value;
    if (HeaderIs(line, "Content-Length", value)) {
      char* end = nullptr;
      declared = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str()) declared = -1;
    }
    pos = eol + 2;
  }
  if (declared < 0) return Scan::Broken;
  bodyStart = headerEnd + 4;
  length = static_cast<size_t>(declared);
  return buffer_.size() - bodyStart >= length ? Scan::Whole : Scan::Incomplete;
}

std::optional<std::string> MessageReader::next() {
  for (;;) {
    size_t bodyStart = 0, length = 0;
    Scan state = broken_ ? Scan::Broken : scan(bodyStart, length);
    if (state == Scan::Whole) {
      std::string body = buffer_.substr(bodyStart, length);
      buffer_.erase(0, bodyStart + length);
      return body;
    }
    // Without a length the stream cannot be resynchronised: stop.
    if (state == Scan::Broken) {
      broken_ = true;
      return std::nullopt;
    }
    if (!fill()) return std::nullopt;
  }
}

bool MessageReader::pending() {
  size_t bodyStart = 0, length = 0;
  if (eof_ || broken_ || scan(bodyStart, length) != Scan::Incomplete) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

std::string Frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace journey::lsp
