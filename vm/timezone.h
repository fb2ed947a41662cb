// timezone.h — local time in IANA zones, read from the system's tzdata.
//
// DND windows, `wait until 09:00`, schedules and the daily 00:00
// evaluations are all wall-clock rules in the journey's zone. Zones are read
// from the TZif files under /usr/share/zoneinfo (Debian's tzdata), so
// offsets, including daylight-saving changes, are the real ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace journey::vm {

class Zone {
 public:
  // UTC when `name` is empty or "UTC". Returns false (and stays UTC) when
  // the zone file is missing or malformed; `error` says why.
  bool load(const std::string& name, std::string& error);
  const std::string& name() const { return name_; }

  // Offset from UTC, in seconds, at the instant `utc`.
  int64_t offsetAt(int64_t utc) const;
  int64_t toLocal(int64_t utc) const { return utc + offsetAt(utc); }
  // The UTC instant of local wall-clock time `local` (the earlier one when
  // a DST change repeats it; shifted forward when a DST change skips it).
  int64_t fromLocal(int64_t local) const;
  // The first instant after `utc` whose local time is `minuteOfDay` on a
  // day in `days` (bit 0 Monday … bit 6 Sunday).
  int64_t nextAt(int64_t utc, int minuteOfDay, uint8_t days) const;
  // The next local midnight after `utc`.
  int64_t nextMidnight(int64_t utc) const { return nextAt(utc, 0, 0x7F); }
  // Local minute of day and weekday (0 Monday) at `utc`.
  int minuteOfDay(int64_t utc) const;
  int weekday(int64_t utc) const;

 private:
  std::string name_ = "UTC";
  std::vector<int64_t> transitions_;  // UTC instants
  std::vector<int32_t> offsets_;      // offset after each transition
  int32_t initialOffset_ = 0;
};

}  // namespace journey::vm
