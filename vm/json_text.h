// json_text.h — a string as a JSON string literal, appended to a buffer.
//
// Shared by the event decoder (nested values kept as JSON text) and the
// reports (outbox lines, stats): one escaping rule for everything the VM
// writes as JSON. Unescaped stretches are copied in one go and nothing is
// allocated beyond the buffer's growth.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace journey::vm {

inline void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  size_t run = 0;  // start of the stretch that needs no escape
  for (size_t i = 0; i < s.size(); ++i) {
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
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace journey::vm
