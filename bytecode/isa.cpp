// isa.cpp — the instruction table generated from opcodes.def, and its hash.
#include <string>

#include "bytecode/module.h"
#include "bytecode/fnv.h"

namespace journey::bc {
namespace {

constexpr Operand _ = Operand::None, R = Operand::Reg, K = Operand::Const, S = Operand::String, J = Operand::Jump,
                  N = Operand::Node, U = Operand::Imm, P = Operand::Pred, W = Operand::Wait, X = Operand::Site,
                  F = Operand::Func, L = Operand::Filter, M = Operand::Mask, G = Operand::Aggregate;

const OpInfo kTable[] = {
#define OP(Name, A, B, C, Effect) {#Name, A, B, C, Effect},
#include "bytecode/opcodes.def"
#undef OP
};

}  // namespace

const OpInfo& InfoOf(Op op) { return kTable[static_cast<unsigned>(op)]; }

uint64_t IsaHash() {
  static const uint64_t hash = [] {
    uint64_t h = kFnvBasis;
    auto mix = [&](unsigned char c) { h = FnvMix(h, c); };
    for (const OpInfo& info : kTable) {
      for (const char* p = info.name; *p; ++p) mix(static_cast<unsigned char>(*p));
      mix(static_cast<unsigned char>(info.a));
      mix(static_cast<unsigned char>(info.b));
      mix(static_cast<unsigned char>(info.c));
      mix(0xFF);
    }
    return h;
  }();
  return hash;
}

}  // namespace journey::bc
