// builder.h — internal to compiler/parse: parse tree → AST.
//
// One Build… function per grammar rule (the rule is quoted above each in
// builder.cpp), all taking the shared BuildCtx. The builder tolerates the
// holes error recovery leaves in the tree: a missing child makes the
// enclosing item be dropped, never a crash, because the syntax error has
// already been reported.
#pragma once

#include "JourneyParser.h"
#include "ast/ast.h"
#include "diag/diag.h"

namespace journey::parse {

struct BuildCtx {
  uint32_t fileId;
  DiagEngine& diags;
  std::string_view source;  // the file's bytes; token text is read from here
};

ast::File BuildFile(BuildCtx& ctx, JourneyParser::FileContext* tree);

}  // namespace journey::parse
