// checker.h — internal to compiler/check: the Checker and its scopes.
//
// The checker is split by subject: checker.cpp (the journey header, entry,
// goals, DND, limits), check_expr.cpp (expressions and conditions),
// check_template.cpp (message templates) and check_nodes.cpp (nodes and
// their connectors). They share this class.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "check/check.h"

namespace journey {

struct EventInfo {
  std::string name;
  std::vector<ir::Field> fields;
  Range range;  // invalid for stdlib events
  const ir::Field* field(const std::string& n) const {
    for (const ir::Field& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

// Where an expression is written, which decides what plain names mean.
struct Scope {
  const EventInfo* whereEvent = nullptr;  // inside `did "X" where ...`
};

enum class CondSite { Entry, Goal, Segment };

// What a lowered condition contains, for classification.
struct CondShape {
  bool live = false;       // did … without `in last`
  bool past = false;       // did … in last N
  bool inaction = false;   // not did … within T
  bool trigger = false;
  bool list = false;
  bool relative = false;
  bool predicate = false;
};

// Sets a flag for as long as it lives and then puts back what was there.
class FlagScope {
 public:
  FlagScope(bool& flag, bool value) : flag_(flag), saved_(flag) { flag_ = value; }
  ~FlagScope() { flag_ = saved_; }
  FlagScope(const FlagScope&) = delete;
  FlagScope& operator=(const FlagScope&) = delete;

 private:
  bool& flag_;
  bool saved_;
};

class Checker {
 public:
  Checker(const Stdlib& lib, const SourceManager& sm, DiagEngine& diags) : lib_(lib), sm_(sm), diags_(diags) {}
  std::optional<CheckedJourney> run(const ast::File& file);

  // check_expr.cpp
  ir::Expr lowerExpr(const ast::Expr& e, const Scope& scope);
  ir::Cond lowerCond(const ast::Cond& c, CondSite site, CondShape& shape);
  bool expectBool(const ir::Expr& e, Range r);
  bool compatible(ir::Type expected, ir::Type actual) const;
  const EventInfo* findEvent(const std::string& name, Range r);

  // check_template.cpp: lowers a string literal that may hold {{ … }}.
  ir::Expr lowerTemplate(const ast::Expr& literal);
  // Lowers a content value, turning string literals inside it into templates.
  ir::Expr lowerContent(const ast::Expr& e);

  // check_nodes.cpp
  void lowerNodes(const ast::Journey& j, CheckedJourney& out);

  // A list or map literal past the VM's bounds on built values is an error
  // here, not a value left out at run time. Only the outermost literal of
  // a nest is measured (insideLiteral_ is set while its parts are lowered).
  void checkLiteralSize(const ast::Expr& literal);
  // Called as an expression is lowered: measures it if it is an outermost
  // literal, and marks its parts as inside one until the scope ends.
  [[nodiscard]] FlagScope enterExpr(const ast::Expr& e);
  bool insideLiteral_ = false;

  ir::SourceLoc loc(Range r) const;
  bool dayMask(const std::vector<ast::Ident>& days, uint8_t& mask);
  const ir::Field* profileField(const std::string& name) const;

  const Stdlib& lib_;
  const SourceManager& sm_;
  DiagEngine& diags_;
  std::map<std::string, EventInfo> events_;
  std::vector<ir::Field> profile_;
  const EventInfo* entryEvent_ = nullptr;
  bool entryHasEvent_ = false;
  std::set<std::string> usedEvents_;
  std::string journeyDir_;
};

}  // namespace journey
