// format.cpp — serialisation of a Module to .jbc bytes and back.
//
// Every read goes through Reader, which checks the remaining length first
// and records the first failure with the section and offset; callers check
// `ok()` once per section instead of after each field.
#include "bytecode/format.h"

#include <cstring>

#include "bytecode/fnv.h"

namespace journey::bc {
namespace {

enum SectionId : uint32_t {
  kMeta = 1, kStrings, kConsts, kCode, kPredicates, kAggregates, kInactions, kSends, kNodes, kCallables, kSchema, kDebug
};
const char* SectionName(uint32_t id) {
  static const char* kNames[] = {"?", "META", "STRINGS", "CONSTS", "CODE", "PREDICATES", "AGGREGATES",
                                 "INACTIONS", "SENDS", "NODES", "CALLABLES", "SCHEMA", "DEBUG"};
  return id <= kDebug ? kNames[id] : "?";
}
constexpr size_t kHeaderSize = 32;
// No table in a real journey comes near this; larger counts are corruption.
constexpr uint32_t kMaxCount = 1u << 24;

uint64_t Checksum(const uint8_t* p, size_t n) { return Fnv1a(p, n); }

class Writer {
 public:
  std::vector<uint8_t> out;
  template <typename T>
  void raw(T v) {
    uint8_t b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.insert(out.end(), b, b + sizeof(T));
  }
  void u8(uint8_t v) { raw(v); }
  void u16(uint16_t v) { raw(v); }
  void u32(uint32_t v) { raw(v); }
  void i32(int32_t v) { raw(v); }
  void i64(int64_t v) { raw(v); }
  void u64(uint64_t v) { raw(v); }
  void f64(double v) { raw(v); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  void ids(const std::vector<uint32_t>& v) {
    u32(static_cast<uint32_t>(v.size()));
    for (uint32_t x : v) u32(x);
  }
};

class Reader {
 public:
  Reader(const uint8_t* p, size_t n, size_t base, const char* section) : p_(p), n_(n), base_(base), section_(section) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool atEnd() const { return pos_ == n_; }
  size_t offset() const { return base_ + pos_; }

  template <typename T>
  T raw() {
    T v{};
    if (!need(sizeof(T))) return v;
    std::memcpy(&v, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  uint8_t u8() { return raw<uint8_t>(); }
  uint16_t u16() { return raw<uint16_t>(); }
  uint32_t u32() { return raw<uint32_t>(); }
  int32_t i32() { return raw<int32_t>(); }
  int64_t i64() { return raw<int64_t>(); }
  uint64_t u64() { return raw<uint64_t>(); }
  double f64() { return raw<double>(); }
  // A table's entry count. Each entry takes at least `minBytes` bytes of the
  // section, so a count the remaining bytes cannot hold is corruption, and
  // it is refused before anything is allocated: otherwise a few bytes could
  // make the loader allocate gigabytes (up to kMaxCount entries of 70+ bytes).
  uint32_t count(size_t minBytes) {
    uint32_t n = u32();
    if (ok() && n > kMaxCount) fail("implausible count " + std::to_string(n));
    if (ok() && n * minBytes > n_ - pos_)
      fail("count " + std::to_string(n) + " needs at least " + std::to_string(n * minBytes) + " bytes, " +
           std::to_string(n_ - pos_) + " left");
    return ok() ? n : 0;
  }
  std::string str() {
    uint32_t len = u32();
    if (!need(len)) return {};
    std::string s(reinterpret_cast<const char*>(p_ + pos_), len);
    pos_ += len;
    return s;
  }
  std::vector<uint32_t> ids() {
    std::vector<uint32_t> v(count(4));
    for (uint32_t& x : v) x = u32();
    return v;
  }
  // An enum stored as u8 must be below `limit`.
  template <typename E>
  E enumOf(unsigned limit, const char* what) {
    uint8_t v = u8();
    if (ok() && v >= limit) fail(std::string("invalid ") + what + " " + std::to_string(v));
    return static_cast<E>(v);
  }
  void fail(const std::string& why) {
    if (error_.empty()) error_ = std::string("section ") + section_ + " at byte " + std::to_string(offset()) + ": " + why;
  }

 private:
  bool need(size_t k) {
    if (!ok()) return false;
    if (n_ - pos_ < k) {
      fail("truncated (needs " + std::to_string(k) + " more bytes, " + std::to_string(n_ - pos_) + " left)");
      return false;
    }
    return true;
  }
  const uint8_t* p_;
  size_t n_, pos_ = 0, base_;
  const char* section_;
  std::string error_;
};

void WriteMeta(Writer& w, const Module& m) {
  w.u32(m.name);
  w.u32(m.description);
  w.u32(m.timezone);
  w.u8(m.userTimezone);
  const Entry& e = m.entry;
  w.u8(static_cast<uint8_t>(e.kind));
  w.i32(e.predicate);
  w.i32(e.inaction);
  w.u8(static_cast<uint8_t>(e.schedule));
  w.u32(static_cast<uint32_t>(e.dates.size()));
  for (int64_t d : e.dates) w.i64(d);
  w.i32(e.minuteOfDay);
  w.u8(e.weekdays);
  w.u32(static_cast<uint32_t>(e.monthDays.size()));
  for (int32_t d : e.monthDays) w.i32(d);
  w.u32(e.property);
  w.i64(e.offsetSeconds);
  w.u32(e.journey);
  w.u32(e.node);
  w.u32(e.list);
  w.ids(e.entryProperties);
  w.u8(static_cast<uint8_t>(m.reentry));
  w.i64(m.reentrySeconds);
  w.i64(m.timeoutSeconds);
  w.u32(static_cast<uint32_t>(m.goals.size()));
  for (const Goal& g : m.goals) {
    w.u32(g.name);
    w.u8(static_cast<uint8_t>(g.kind));
    w.u32(g.predicate);
  }
  w.u32(static_cast<uint32_t>(m.dnds.size()));
  for (const Dnd& d : m.dnds) {
    w.u8(d.days);
    w.i32(d.fromMinute);
    w.i32(d.toMinute);
    w.u8(d.discard);
    w.ids(d.channels);
  }
  w.u32(static_cast<uint32_t>(m.limits.size()));
  for (const Limit& l : m.limits) {
    w.u32(l.channel);
    w.i64(l.count);
    w.i64(l.perSeconds);
  }
  w.u32(m.start);
  w.u64(m.structuralHash);
  w.u64(m.contentHash);
  w.u16(m.registerCount);
}

void ReadMeta(Reader& r, Module& m) {
  m.name = r.u32();
  m.description = r.u32();
  m.timezone = r.u32();
  m.userTimezone = r.u8() != 0;
  Entry& e = m.entry;
  e.kind = r.enumOf<EntryKind>(6, "entry kind");
  e.predicate = r.i32();
  e.inaction = r.i32();
  e.schedule = r.enumOf<ScheduleKind>(6, "schedule kind");
  e.dates.resize(r.count(8));
  for (int64_t& d : e.dates) d = r.i64();
  e.minuteOfDay = r.i32();
  e.weekdays = r.u8();
  e.monthDays.resize(r.count(4));
  for (int32_t& d : e.monthDays) d = r.i32();
  e.property = r.u32();
  e.offsetSeconds = r.i64();
  e.journey = r.u32();
  e.node = r.u32();
  e.list = r.u32();
  e.entryProperties = r.ids();
  m.reentry = r.enumOf<Reentry>(3, "re-entry kind");
  m.reentrySeconds = r.i64();
  m.timeoutSeconds = r.i64();
  m.goals.resize(r.count(9));
  for (Goal& g : m.goals) {
    g.name = r.u32();
    g.kind = r.enumOf<GoalKind>(2, "goal kind");
    g.predicate = r.u32();
  }
  m.dnds.resize(r.count(14));
  for (Dnd& d : m.dnds) {
    d.days = r.u8();
    d.fromMinute = r.i32();
    d.toMinute = r.i32();
    d.discard = r.u8() != 0;
    d.channels = r.ids();
  }
  m.limits.resize(r.count(20));
  for (Limit& l : m.limits) {
    l.channel = r.u32();
    l.count = r.i64();
    l.perSeconds = r.i64();
  }
  m.start = r.u32();
  m.structuralHash = r.u64();
  m.contentHash = r.u64();
  m.registerCount = r.u16();
}

void WriteSection(Writer& file, uint32_t id, const Writer& body) {
  file.u32(id);
  file.u32(static_cast<uint32_t>(body.out.size()));
  file.out.insert(file.out.end(), body.out.begin(), body.out.end());
}

}  // namespace

std::vector<uint8_t> Write(const Module& m) {
  Writer body;
  auto section = [&](uint32_t id, auto fill) {
    Writer w;
    fill(w);
    WriteSection(body, id, w);
  };
  section(kMeta, [&](Writer& w) { WriteMeta(w, m); });
  section(kStrings, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.strings.size()));
    for (const std::string& s : m.strings) w.str(s);
  });
  section(kConsts, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.consts.size()));
    for (const Const& c : m.consts) {
      w.u8(static_cast<uint8_t>(c.kind));
      w.f64(c.number);
      w.u32(c.string);
    }
  });
  section(kCode, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.code.size()));
    for (const Instr& i : m.code) {
      w.u8(static_cast<uint8_t>(i.op));
      w.u8(i.a);
      w.u16(i.b);
      w.u32(i.c);
    }
  });
  section(kPredicates, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.predicates.size()));
    for (const Predicate& p : m.predicates) {
      w.u32(p.pc);
      w.ids(p.events);
    }
  });
  section(kAggregates, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.aggregates.size()));
    for (const AggregateSpec& a : m.aggregates) {
      w.u32(a.event);
      w.i32(a.where);
      w.u8(static_cast<uint8_t>(a.kind));
      w.u32(a.property);
      w.u8(static_cast<uint8_t>(a.compare));
      w.f64(a.threshold);
      w.i64(a.seconds);
    }
  });
  section(kInactions, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.inactions.size()));
    for (const InactionSpec& s : m.inactions) {
      w.u32(s.first);
      w.u32(s.absent);
      w.i64(s.within);
    }
  });
  section(kSends, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.sends.size()));
    for (const SendSite& s : m.sends) {
      w.u32(s.node);
      w.u32(s.channel);
      w.i32(s.sendAtMinute);
      w.ids(s.fields);
      w.ids(s.statuses);
    }
  });
  section(kNodes, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.nodes.size()));
    for (const NodeInfo& n : m.nodes) {
      w.u32(n.name);
      w.u8(static_cast<uint8_t>(n.kind));
      w.u32(n.pc);
      w.i64(n.windowSeconds);
      w.u32(static_cast<uint32_t>(n.paths.size()));
      for (const Path& p : n.paths) {
        w.u32(p.label);
        w.i32(p.target);
      }
      w.u32(static_cast<uint32_t>(n.arms.size()));
      for (const SplitArm& a : n.arms) {
        w.u32(a.name);
        w.f64(a.percent);
      }
    }
  });
  section(kCallables, [&](Writer& w) {
    for (const auto* list : {&m.functions, &m.filters}) {
      w.u32(static_cast<uint32_t>(list->size()));
      for (const Callable& c : *list) {
        w.u32(c.name);
        w.u8(c.arity);
      }
    }
  });
  section(kSchema, [&](Writer& w) { w.ids(m.profileProperties); });
  section(kDebug, [&](Writer& w) {
    w.u32(static_cast<uint32_t>(m.lines.size()));
    for (const LineEntry& l : m.lines) {
      w.u32(l.pc);
      w.u32(l.line);
      w.u32(l.col);
    }
  });

  Writer file;
  file.out.insert(file.out.end(), kMagic, kMagic + 4);
  file.u16(kFormatVersion);
  file.u16(0);
  file.u64(IsaHash());
  file.u64(Checksum(body.out.data(), body.out.size()));
  file.u32(kDebug);  // section count
  file.u32(0);
  file.out.insert(file.out.end(), body.out.begin(), body.out.end());
  return file.out;
}

bool Read(const std::vector<uint8_t>& bytes, Module& m, std::string& error) {
  m = Module{};
  if (bytes.size() < kHeaderSize) {
    error = "file is too short to be a .jbc (" + std::to_string(bytes.size()) + " bytes; the header alone is 32)";
    return false;
  }
  if (std::memcmp(bytes.data(), kMagic, 4) != 0) {
    error = "not a .jbc file (bad magic number)";
    return false;
  }
  Reader h(bytes.data(), kHeaderSize, 0, "header");
  h.u32();
  uint16_t version = h.u16();
  uint16_t flags = h.u16();
  uint64_t isa = h.u64();
  uint64_t checksum = h.u64();
  uint32_t sections = h.u32();
  if (version != kFormatVersion) {
    error = "format version " + std::to_string(version) + " is not supported (this VM reads version " +
            std::to_string(kFormatVersion) + "); recompile the journey";
    return false;
  }
  if (flags != 0) {
    error = "unknown header flags " + std::to_string(flags);
    return false;
  }
  if (isa != IsaHash()) {
    error = "compiled for a different instruction set; recompile the journey with this version of journeyc";
    return false;
  }
  if (Checksum(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize) != checksum) {
    error = "checksum mismatch: the file is truncated or corrupted";
    return false;
  }
  if (sections != kDebug) {
    error = "expected " + std::to_string(kDebug) + " sections, header says " + std::to_string(sections);
    return false;
  }
  size_t pos = kHeaderSize;
  for (uint32_t id = kMeta; id <= kDebug; ++id) {
    Reader head(bytes.data() + pos, bytes.size() - pos, pos, SectionName(id));
    uint32_t got = head.u32();
    uint32_t len = head.u32();
    if (!head.ok()) {
      error = head.error();
      return false;
    }
    if (got != id) {
      error = std::string("expected section ") + SectionName(id) + " at byte " + std::to_string(pos) + ", found id " +
              std::to_string(got);
      return false;
    }
    pos += 8;
    if (bytes.size() - pos < len) {
      error = std::string("section ") + SectionName(id) + " is truncated (" + std::to_string(len) + " bytes declared, " +
              std::to_string(bytes.size() - pos) + " present)";
      return false;
    }
    Reader r(bytes.data() + pos, len, pos, SectionName(id));
    switch (id) {
      case kMeta: ReadMeta(r, m); break;
      case kStrings:
        m.strings.resize(r.count(4));
        for (std::string& s : m.strings) s = r.str();
        break;
      case kConsts:
        m.consts.resize(r.count(13));
        for (Const& c : m.consts) {
          c.kind = r.enumOf<ConstKind>(6, "constant kind");
          c.number = r.f64();
          c.string = r.u32();
        }
        break;
      case kCode:
        m.code.resize(r.count(8));
        for (Instr& i : m.code) {
          i.op = r.enumOf<Op>(kOpCount, "opcode");
          i.a = r.u8();
          i.b = r.u16();
          i.c = r.u32();
        }
        break;
      case kPredicates:
        m.predicates.resize(r.count(8));
        for (Predicate& p : m.predicates) {
          p.pc = r.u32();
          p.events = r.ids();
        }
        break;
      case kAggregates:
        m.aggregates.resize(r.count(30));
        for (AggregateSpec& a : m.aggregates) {
          a.event = r.u32();
          a.where = r.i32();
          a.kind = r.enumOf<AggregateKind>(6, "aggregate kind");
          a.property = r.u32();
          a.compare = r.enumOf<Compare>(6, "comparison");
          a.threshold = r.f64();
          a.seconds = r.i64();
        }
        break;
      case kInactions:
        m.inactions.resize(r.count(16));
        for (InactionSpec& s : m.inactions) {
          s.first = r.u32();
          s.absent = r.u32();
          s.within = r.i64();
        }
        break;
      case kSends:
        m.sends.resize(r.count(20));
        for (SendSite& s : m.sends) {
          s.node = r.u32();
          s.channel = r.u32();
          s.sendAtMinute = r.i32();
          s.fields = r.ids();
          s.statuses = r.ids();
        }
        break;
      case kNodes:
        m.nodes.resize(r.count(25));
        for (NodeInfo& n : m.nodes) {
          n.name = r.u32();
          n.kind = r.enumOf<NodeKind>(8, "node kind");
          n.pc = r.u32();
          n.windowSeconds = r.i64();
          n.paths.resize(r.count(8));
          for (Path& p : n.paths) {
            p.label = r.u32();
            p.target = r.i32();
          }
          n.arms.resize(r.count(12));
          for (SplitArm& a : n.arms) {
            a.name = r.u32();
            a.percent = r.f64();
          }
        }
        break;
      case kCallables:
        for (auto* list : {&m.functions, &m.filters}) {
          list->resize(r.count(5));
          for (Callable& c : *list) {
            c.name = r.u32();
            c.arity = r.u8();
          }
        }
        break;
      case kSchema: m.profileProperties = r.ids(); break;
      case kDebug:
        m.lines.resize(r.count(12));
        for (LineEntry& l : m.lines) {
          l.pc = r.u32();
          l.line = r.u32();
          l.col = r.u32();
        }
        break;
    }
    if (r.ok() && !r.atEnd()) r.fail(std::to_string(len - (r.offset() - pos)) + " unexpected bytes at the end");
    if (!r.ok()) {
      error = r.error();
      return false;
    }
    pos += len;
  }
  if (pos != bytes.size()) {
    error = std::to_string(bytes.size() - pos) + " unexpected bytes after the last section";
    return false;
  }
  return true;
}

}  // namespace journey::bc
