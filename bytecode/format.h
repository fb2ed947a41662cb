// format.h — the .jbc file format: writing and reading a Module.
//
// Layout (all integers little-endian):
//   header, 32 bytes: magic "JBC\x1a", u16 format version, u16 flags (0),
//     u64 ISA hash (opcodes.def), u64 FNV-1a checksum of every byte after
//     the header, u32 section count, u32 reserved (0)
//   sections: u32 id, u32 byte length, payload — META, STRINGS, CONSTS,
//     CODE, PREDICATES, AGGREGATES, INACTIONS, SENDS, NODES, CALLABLES,
//     SCHEMA, DEBUG; each exactly once, in that order.
// docs/bytecode.md describes every payload. Reading checks the header,
// the checksum and every length before use, so a truncated or corrupted
// file is an error that names the section and offset, never a crash; the
// verifier (verify.h) then checks that the code itself is safe to run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bytecode/module.h"

namespace journey::bc {

constexpr uint16_t kFormatVersion = 1;
constexpr char kMagic[4] = {'J', 'B', 'C', '\x1a'};

std::vector<uint8_t> Write(const Module& m);

// Fills `m`; on failure returns false and says why in `error`.
bool Read(const std::vector<uint8_t>& bytes, Module& m, std::string& error);

}  // namespace journey::bc
