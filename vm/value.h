// value.h — what registers hold while code runs, and what profiles keep.
//
// A Value is a small tagged view: strings point into storage that outlives
// the run (the module's string table, the event being processed, the
// profile store, or the run's scratch arena). Profile values are owned
// (ProfileValue), because they outlive every event. Datetimes and durations
// are numbers of seconds.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bytecode/module.h"

namespace journey::vm {

struct Value;
using ValueList = std::vector<Value>;
using ValueMap = std::vector<std::pair<std::string_view, Value>>;

struct Value {
  enum Tag : uint8_t { Nil, Bool, Number, String, List, Map };
  Tag tag = Nil;
  bool boolean = false;
  double number = 0;
  std::string_view text;
  const ValueList* list = nullptr;
  const ValueMap* map = nullptr;

  static Value Of(bool b) { Value v; v.tag = Bool; v.boolean = b; return v; }
  static Value Num(double n) { Value v; v.tag = Number; v.number = n; return v; }
  static Value Str(std::string_view s) { Value v; v.tag = String; v.text = s; return v; }
  bool truthy() const { return tag == Bool ? boolean : tag != Nil; }
};

// Storage for strings, lists and maps made while running code; cleared
// between runs so nothing per event accumulates. Strings are copied end to
// end into chunks that are kept across clears and never move, so a view
// stays valid until the next clear and keeping a string is a bounds check
// and a copy once the chunks have grown (a template rendered per send keeps
// two or three).
class Arena {
 public:
  std::string_view keep(std::string_view s) {
    char* at = room(s.size());
    if (!s.empty()) std::memcpy(at, s.data(), s.size());
    return {at, s.size()};
  }
  // `bytes` bytes of the arena for the caller to fill (valid as keep's).
  char* room(size_t bytes) {
    if (bytes > static_cast<size_t>(end_ - next_)) nextChunk(bytes);
    char* at = next_;
    next_ += bytes;
    return at;
  }
  ValueList* list() {
    ValueList* l = &lists_.emplace_back();
    newest_ = l;
    return l;
  }
  ValueMap* map() {
    ValueMap* m = &maps_.emplace_back();
    newest_ = m;
    return m;
  }
  // Whether `c` is the list or map made last: no other list or map can
  // hold it then (what holds it must have been made after it), so adding
  // to it changes no other value and cannot make a cycle through another.
  bool isNewest(const void* c) const { return c == newest_; }
  void clear() {
    chunk_ = 0;
    next_ = chunks_.empty() ? nullptr : chunks_[0].bytes.get();
    end_ = chunks_.empty() ? nullptr : next_ + chunks_[0].size;
    newest_ = nullptr;
    // Most runs make no list or map, and clearing a deque costs some
    // work even when it is empty (it runs once per run of an instance).
    if (!lists_.empty()) lists_.clear();
    if (!maps_.empty()) maps_.clear();
  }

 private:
  // Moves on to a chunk with room for `bytes` (the next kept one that is
  // large enough, else a new one).
  void nextChunk(size_t bytes);
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0;  // the chunk being filled, when there is one
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::deque<ValueList> lists_;
  std::deque<ValueMap> maps_;
  const void* newest_ = nullptr;
};

// The largest list or map journey code may build (Op::List, Op::MapSet):
// every walk over a value (printing, comparing, copying into a profile)
// recurses once per level and visits a shared part once per path to it, so
// both the depth and the size counted that way are bounded.
constexpr size_t kMaxValueDepth = bc::kMaxValueDepth;
constexpr size_t kMaxValueNodes = bc::kMaxValueNodes;
// Whether `v` is within those bounds: at most kMaxValueDepth levels and
// kMaxValueNodes values counted as a walk meets them (a cycle never is).
bool WithinValueBounds(const Value& v);

// An owned value, for profiles and for entry-event properties kept per user.
struct ProfileValue {
  Value::Tag tag = Value::Nil;
  bool boolean = false;
  double number = 0;
  std::string text;
  // A list's elements, allocated only when there are some: a property that
  // is not a list is 56 bytes instead of 72 (an empty vector is 24).
  std::unique_ptr<std::vector<ProfileValue>> list;

  // The elements, made when missing.
  std::vector<ProfileValue>& items() {
    if (!list) list = std::make_unique<std::vector<ProfileValue>>();
    return *list;
  }
  size_t itemCount() const { return list ? list->size() : 0; }

  static ProfileValue From(const Value& v);
  Value view(Arena& arena) const;
};

// Text of a value as a template renders it.
std::string ToText(const Value& v);
// The same, appended to `out` (no temporary for strings and numbers).
void AppendText(std::string& out, const Value& v);
// The value as JSON: null, true/false, a number, a quoted and escaped
// string, an array, an object (the `json` filter; a list or map content
// field in the outbox).
void AppendJson(std::string& out, const Value& v);
bool Equal(const Value& a, const Value& b);

}  // namespace journey::vm
