// check.h — AST → typed IR: name resolution, type checking, lowering.
//
// Check() resolves every name (nodes, events, properties, channels, fields,
// functions), types every expression and template, classifies entries,
// goals and segments (live, past behaviour, immediate, …) and lowers the
// journey to ir::Journey. Alongside the IR it returns the source ranges the
// later graph checks need to point at, so the IR itself stays free of
// compiler types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "check/stdlib.h"
#include "diag/diag.h"
#include "ir/ir.h"
#include "support/source.h"

namespace journey {

struct NodeSite {
  Range name;
  Range body;
  Range window;
  Range sendAt;
  std::map<std::string, Range> edges;  // label -> connector
};

struct CheckedJourney {
  ir::Journey ir;
  std::vector<NodeSite> sites;  // parallel to ir.nodes
  Range journeyName;
  Range start;
  std::vector<Range> goals;
  std::vector<Range> dnds;
  bool complete = true;  // false when syntax errors may have dropped parts
};

std::optional<CheckedJourney> Check(const ast::File& file, const Stdlib& lib, const SourceManager& sm,
                                    DiagEngine& diags);

}  // namespace journey
