// builtins.h — the builtin functions and template filters the VM provides.
//
// A module names the builtins it calls (its CALLABLES section); the engine
// resolves each name once at load, so calls are an indexed jump. The names
// and arities match stdlib/builtins.jstd, which the checker types against.
#pragma once

#include <cstdint>
#include <string_view>

#include "vm/value.h"

namespace journey::vm {

class Zone;

struct BuiltinContext {
  Arena& arena;
  int64_t now;
  const Zone* zone = nullptr;  // the journey's wall clock, for `date`
};

using Builtin = Value (*)(const Value* args, uint8_t arity, BuiltinContext ctx);

// Datetimes arrive as epoch seconds or ISO-8601 text (identify traits,
// event properties); the code generator converts every datetime-typed
// property read with the internal function `to_time`, so arithmetic,
// comparisons and waits always see seconds.

// nullptr when there is no builtin of that name and arity.
Builtin FindFunction(std::string_view name, uint8_t arity);
Builtin FindFilter(std::string_view name, uint8_t arity);

}  // namespace journey::vm
