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

struct BuiltinContext {
  Arena& arena;
  int64_t now;
};

using Builtin = Value (*)(const Value* args, uint8_t arity, BuiltinContext ctx);

// nullptr when there is no builtin of that name and arity.
Builtin FindFunction(std::string_view name, uint8_t arity);
Builtin FindFilter(std::string_view name, uint8_t arity);

}  // namespace journey::vm
