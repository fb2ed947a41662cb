// verify.h — rejects any module that could make the VM misbehave.
//
// Run on every load. It checks that every operand is in range for its kind
// (registers, constants, strings, jump targets, nodes, tables), that unused
// fields are zero, that register ranges of variadic instructions fit, that
// control never falls off the end of the code, that predicates only compute
// (no sends, waits or journey moves) and always return, and that every
// table entry refers to valid code and strings. A module that passes can be
// interpreted without bounds checks on its operands.
#pragma once

#include <string>
#include <vector>

#include "bytecode/module.h"

namespace journey::bc {

// Returns the problems found (empty when the module is safe), each naming
// the place: "code[12] LoadK: constant 40 out of range (9 constants)".
std::vector<std::string> Verify(const Module& m);

}  // namespace journey::bc
