// codegen.h — typed IR → bytecode module (the last compiler phase).
//
// Takes a checked ir::Journey (no errors) and the stdlib (for the arity of
// builtins) and returns a bc::Module that passes bc::Verify. Node code
// starts with Enter and leaves by Take; conditions become predicates.
#pragma once

#include "bytecode/module.h"
#include "check/stdlib.h"
#include "ir/ir.h"

namespace journey {

bc::Module Generate(const ir::Journey& journey, const Stdlib& lib);

}  // namespace journey
