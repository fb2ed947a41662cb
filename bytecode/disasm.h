// disasm.h — a stable, readable listing of a Module (`journeyc compile --emit=asm`).
#pragma once

#include <string>

#include "bytecode/module.h"

namespace journey::bc {

std::string Disassemble(const Module& m);

}  // namespace journey::bc
