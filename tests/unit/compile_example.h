// compile_example.h — an example journey (examples/NAME) compiled to its IR,
// for the tests that start from a real journey (bytecode, canvas figures).
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "driver/pipeline.h"
#include "ir/ir.h"

namespace journey::testing {

inline ir::Journey CompileExampleIr(const std::string& name) {
  SourceManager sm;
  DiagEngine diags;
  std::string error;
  uint32_t id = sm.load(std::string(JOURNEY_SOURCE_DIR) + "/examples/" + name, error);
  INFO(error);
  REQUIRE(id != 0);
  auto result = CompileSource(sm, id, diags);
  REQUIRE(result);
  REQUIRE(diags.errorCount() == 0);
  return result->ir;
}

}  // namespace journey::testing
