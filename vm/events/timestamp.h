// timestamp.h — ISO-8601 / RFC 3339 timestamps to and from epoch milliseconds.
//
// Segment sends `timestamp` as an ISO-8601 date-time with an explicit UTC
// offset ("2026-03-01T09:30:00Z", "2026-03-01T15:00:00.250+05:30"). We take
// exactly that family and refuse anything without an offset: a local time
// without a zone is ambiguous, and guessing would shift a user's journey by
// hours. Parsing is on the hot path, so it reports failure with a reason
// code and only builds message text when asked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace journey::events {

struct TimestampResult {
  bool ok = false;
  int64_t ms = 0;       // ms since the Unix epoch, UTC (when ok)
  const char* why = ""; // what is wrong (when !ok), e.g. "day 30 is out of range for 2026-02"
  int detail = 0;       // the offending number for range errors
};

// Accepts YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM); 'T' and 'Z' may be
// lower case. Fractions may have any number of digits; digits beyond
// milliseconds are truncated. Leap seconds (:60) and 24:00 are refused.
TimestampResult parse_timestamp(std::string_view text);

// The reason for a failed parse as a sentence fragment, e.g.
// "day 30 is out of range for 2026-02".
std::string describe_failure(const TimestampResult& r, std::string_view text);

// Formats as "YYYY-MM-DDTHH:MM:SS.mmmZ" (for logs, tests and tools).
std::string format_timestamp(int64_t ms);

}  // namespace journey::events
