// pipeline.cpp — chains the phases; loads the stdlib once.
#include "driver/pipeline.h"

#include <cstdio>
#include <cstdlib>

#include "parse/parse.h"
#include "passes/graph.h"

namespace journey {

const Stdlib& DefaultStdlib() {
  static const Stdlib lib = [] {
    static SourceManager sm;
    DiagEngine diags;
    Stdlib loaded = LoadStdlib(sm, diags);
    if (diags.errorCount()) {
      // The stdlib ships with the binary; an error in it is a build defect.
      std::fputs(RenderText(sm, diags.list(), {}).c_str(), stderr);
      std::abort();
    }
    return loaded;
  }();
  return lib;
}

std::optional<CheckedJourney> CompileSource(const SourceManager& sm, uint32_t fileId, DiagEngine& diags,
                                            ast::File& astOut, std::shared_ptr<void>* scratch) {
  const Stdlib& lib = DefaultStdlib();
  astOut = Parse(sm, fileId, diags, scratch);
  std::optional<CheckedJourney> checked = Check(astOut, lib, sm, diags);
  if (checked) RunGraphChecks(*checked, diags);
  diags.sort();
  return checked;
}

std::optional<CheckedJourney> CompileSource(const SourceManager& sm, uint32_t fileId, DiagEngine& diags) {
  ast::File file;
  return CompileSource(sm, fileId, diags, file);
}

}  // namespace journey
