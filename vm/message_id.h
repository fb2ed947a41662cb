// message_id.h — the message id every send carries: its layout, in one place.
//
// A message id is `VERSION:NODE:USER:RUN:SEQ`: the journey's structural hash
// (16 lower-case hex digits), the send node's name (an identifier: no colon,
// nothing to escape), the user id (any text, colons included), the user's
// run in the journey (entry count) and the send's number within the run. It
// is also the providers' idempotency key, and the key by which a status
// event (`journey.message`) names its message: the version and the node say
// which send node the status counts for, whether or not the user is still
// in the journey. The writers are Engine::Impl::messageId and the outbox's
// SendLineText (vm/report.cpp); they must agree with SplitMessageId.
#pragma once

#include <string_view>

namespace journey::vm {

struct MessageIdParts {
  std::string_view version, node, user;
};

// The parts of `id`, or false when it is not laid out as above (a status
// event naming someone else's message, or a damaged one).
inline bool SplitMessageId(std::string_view id, MessageIdParts& parts) {
  size_t v = id.find(':');
  if (v != 16) return false;
  size_t n = id.find(':', v + 1);
  if (n == std::string_view::npos || n == v + 1) return false;
  size_t seq = id.rfind(':');
  if (seq <= n) return false;
  size_t run = id.rfind(':', seq - 1);
  if (run <= n) return false;
  parts.version = id.substr(0, v);
  parts.node = id.substr(v + 1, n - v - 1);
  parts.user = id.substr(n + 1, run - n - 1);
  return true;
}

}  // namespace journey::vm
