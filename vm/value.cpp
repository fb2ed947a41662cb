// value.cpp — conversions between views and owned values, and rendering.
#include "vm/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "vm/json_text.h"

namespace journey::vm {

ProfileValue ProfileValue::From(const Value& v) {
  ProfileValue p;
  p.tag = v.tag;
  p.boolean = v.boolean;
  p.number = v.number;
  if (v.tag == Value::String) p.text = std::string(v.text);
  if (v.tag == Value::List && v.list)
    for (const Value& e : *v.list) p.items().push_back(From(e));
  if (v.tag == Value::Map) {
    // Maps are not profile values: keep their text form.
    p.tag = Value::String;
    p.text = ToText(v);
  }
  return p;
}

void Arena::nextChunk(size_t bytes) {
  // Chunks are skipped, not split: a string always lies in one.
  while (chunk_ + 1 < chunks_.size()) {
    ++chunk_;
    if (chunks_[chunk_].size >= bytes) {
      next_ = chunks_[chunk_].bytes.get();
      end_ = next_ + chunks_[chunk_].size;
      return;
    }
  }
  constexpr size_t kChunkBytes = 16 << 10;
  size_t size = std::max(bytes, kChunkBytes);
  chunks_.push_back(Chunk{std::make_unique<char[]>(size), size});
  chunk_ = chunks_.size() - 1;
  next_ = chunks_.back().bytes.get();
  end_ = next_ + size;
}

Value ProfileValue::view(Arena& arena) const {
  Value v;
  v.tag = tag;
  v.boolean = boolean;
  v.number = number;
  if (tag == Value::String) v.text = text;
  if (tag == Value::List) {
    ValueList* l = arena.list();
    if (list)
      for (const ProfileValue& e : *list) l->push_back(e.view(arena));
    v.list = l;
  }
  return v;
}

void AppendText(std::string& out, const Value& v) {
  switch (v.tag) {
    case Value::String: out.append(v.text); return;
    case Value::Number:
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) {
        char buf[24];
        int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v.number));
        out.append(buf, static_cast<size_t>(n));
        return;
      }
      break;
    default: break;
  }
  out += ToText(v);
}

namespace {
bool WithinBounds(const Value& v, size_t& budget, size_t depth) {
  if (budget == 0 || depth > kMaxValueDepth) return false;
  --budget;
  if (v.tag == Value::List && v.list)
    for (const Value& e : *v.list)
      if (!WithinBounds(e, budget, depth + 1)) return false;
  if (v.tag == Value::Map && v.map)
    for (const auto& [key, e] : *v.map)
      if (!WithinBounds(e, budget, depth + 1)) return false;
  return true;
}
}  // namespace

bool WithinValueBounds(const Value& v) {
  size_t budget = kMaxValueNodes;
  return WithinBounds(v, budget, 1);
}

std::string ToText(const Value& v) {
  switch (v.tag) {
    case Value::Nil: return "";
    case Value::Bool: return v.boolean ? "true" : "false";
    case Value::Number: {
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) return std::to_string(static_cast<long long>(v.number));
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.15g", v.number);
      return buf;
    }
    case Value::String: return std::string(v.text);
    case Value::List: {
      std::string out;
      if (v.list)
        for (size_t i = 0; i < v.list->size(); ++i) out += (i ? ", " : "") + ToText((*v.list)[i]);
      return out;
    }
    case Value::Map: {
      std::string out;
      if (v.map)
        for (size_t i = 0; i < v.map->size(); ++i)
          out += (i ? ", " : "") + std::string((*v.map)[i].first) + ": " + ToText((*v.map)[i].second);
      return out;
    }
  }
  return "";
}

void AppendJson(std::string& out, const Value& v) {
  switch (v.tag) {
    case Value::Nil: out += "null"; return;
    case Value::Bool: out += v.boolean ? "true" : "false"; return;
    case Value::Number: {
      if (!std::isfinite(v.number)) {
        out += "null";  // JSON has no NaN or infinity
        return;
      }
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) {
        AppendText(out, v);
        return;
      }
      char buf[32];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.number).ptr);  // shortest round-trip form
      return;
    }
    case Value::String: AppendJsonString(out, v.text); return;
    case Value::List:
      out += '[';
      if (v.list)
        for (size_t i = 0; i < v.list->size(); ++i) {
          if (i) out += ',';
          AppendJson(out, (*v.list)[i]);
        }
      out += ']';
      return;
    case Value::Map:
      out += '{';
      if (v.map)
        for (size_t i = 0; i < v.map->size(); ++i) {
          if (i) out += ',';
          AppendJsonString(out, (*v.map)[i].first);
          out += ':';
          AppendJson(out, (*v.map)[i].second);
        }
      out += '}';
      return;
  }
}

bool Equal(const Value& a, const Value& b) {
  if (a.tag != b.tag) return false;
  switch (a.tag) {
    case Value::Nil: return true;
    case Value::Bool: return a.boolean == b.boolean;
    case Value::Number: return a.number == b.number;
    case Value::String: return a.text == b.text;
    case Value::List: {
      if (!a.list || !b.list || a.list->size() != b.list->size()) return a.list == b.list;
      for (size_t i = 0; i < a.list->size(); ++i)
        if (!Equal((*a.list)[i], (*b.list)[i])) return false;
      return true;
    }
    case Value::Map: return a.map == b.map;
  }
  return false;
}

}  // namespace journey::vm
