// document.h — one open document, compiled, with the index the features use.
//
// An Analysis is built from a snapshot of the text: it runs the same
// pipeline as `journeyc check` (so the editor shows exactly the diagnostics
// the command line prints), keeps the AST for navigation (the AST survives
// errors that stop lowering to IR) and indexes every mention of a node or a
// goal name. Everything is in byte offsets; positions.h converts.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ast/ast.h"
#include "check/check.h"
#include "diag/diag.h"
#include "lsp/positions.h"
#include "support/source.h"

namespace journey::lsp {

// A mention of a node or goal name: its definition or a connector target.
struct Occurrence {
  enum Kind : uint8_t { Node, Goal } kind = Node;
  std::string name;
  Range range;
  bool definition = false;
};

// A property and its type as written (`string`, `list<number>`).
using TypedField = std::pair<std::string, std::string>;

class Analysis {
 public:
  explicit Analysis(std::string text);
  // The same; `scratch` receives the parser's leftovers so that the caller
  // can free them once the diagnostics are out (see Parse).
  Analysis(std::string text, std::shared_ptr<void>* scratch);
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  const std::string& text() const { return sm_.file(fileId_).text(); }
  const SourceManager& sources() const { return sm_; }
  uint32_t fileId() const { return fileId_; }
  const LineIndex& lines() const { return lines_; }
  const std::vector<Diagnostic>& diagnostics() const { return diags_.list(); }
  const ast::File& ast() const { return ast_; }
  const std::optional<CheckedJourney>& checked() const { return checked_; }

  // The journey of the file (the first if the file wrongly has several).
  const ast::Journey* journey() const;
  // The occurrence whose name covers `offset` (end inclusive, so a cursor
  // just after a name still finds it).
  const Occurrence* occurrenceAt(uint32_t offset) const;
  // Every mention of the same node or goal as `o`, definitions first.
  std::vector<const Occurrence*> mentionsOf(const Occurrence& o) const;
  const Occurrence* definitionOf(const Occurrence& o) const;
  // Every named node (node declarations and named flow steps).
  std::vector<const ast::Node*> nodes() const;
  const ast::Node* nodeNamed(const std::string& name) const;
  // The node whose text holds `offset`, or the last one starting before it.
  const ast::Node* nodeAround(uint32_t offset) const;

  // Properties `entry.x` may read: the entry event's, when it is known.
  std::vector<TypedField> entryFields() const;
  std::string entryEvent() const;
  std::vector<TypedField> profileFields() const;

 private:
  void indexNames();

  SourceManager sm_;
  uint32_t fileId_;
  LineIndex lines_;
  DiagEngine diags_;
  ast::File ast_;
  std::optional<CheckedJourney> checked_;
  std::vector<Occurrence> occurrences_;
};

// The identifier (letters, digits, `_`) covering `offset` in `text`, as a
// byte range; empty when there is none.
std::pair<uint32_t, uint32_t> WordAt(const std::string& text, uint32_t offset);
std::string TypeRefName(const ast::TypeRef& t);
// Every keyword of a .journey file, sorted (offered by completion).
const std::vector<const char*>& JourneyKeywords();
// True for any keyword of the language, which can never name a node or goal.
bool IsKeyword(const std::string& word);
// "wait", "send", "segment", ... for summaries.
const char* NodeKindWord(const ast::Node& n);

}  // namespace journey::lsp
