// stdlib.h — the standard library as the checker sees it.
//
// stdlib/*.jstd are parsed with the same grammar as journeys and turned into
// these tables: channels (fields, statuses), builtin functions, template
// filters and the web events every journey may use. The files are embedded
// into the binary at build time, so journeyc works from any directory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ast/ast.h"
#include "diag/diag.h"
#include "ir/ir.h"
#include "support/source.h"

namespace journey {

// A number or duration (in seconds) of a field of type `t` as the language
// writes it: 10, 2.5, 1d.
std::string FieldNumberText(const ir::Type& t, double v);

struct ChannelInfo {
  std::string name;
  struct Field {
    std::string name;
    ir::Type type;
    bool required = false;
    std::vector<std::string> allowed;  // when not empty, the only values it takes
    std::optional<std::pair<double, double>> range;  // a number's, or a duration's in seconds
  };
  std::vector<Field> fields;
  // Groups of fields of which a message sets at least one (`required a or b`).
  std::vector<std::vector<std::string>> requiredGroups;
  struct Status {
    std::string name;
    bool needsTimeout = false;
  };
  std::vector<Status> statuses;
  const Field* field(const std::string& n) const {
    for (const Field& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
  const Status* status(const std::string& n) const {
    for (const Status& s : statuses)
      if (s.name == n) return &s;
    return nullptr;
  }
};

struct FunctionInfo {
  std::string name;
  std::vector<ir::Field> params;
  ir::Type result;
};

struct Stdlib {
  std::map<std::string, ChannelInfo> channels;
  std::map<std::string, FunctionInfo> functions;
  std::map<std::string, FunctionInfo> filters;
  std::map<std::string, std::vector<ir::Field>> events;
  std::string channelList() const;  // "push, email, ..." for messages
};

// Resolves a written type (`string`, `list<number>`); reports J0114.
bool ResolveType(const ast::TypeRef& t, ir::Type& out, DiagEngine& diags);

// The embedded stdlib sources: (file name, text) pairs.
const std::vector<std::pair<std::string, std::string>>& EmbeddedStdlibSources();

// Parses and loads the stdlib into `sm`; errors there are bugs in the
// stdlib and are reported like any other diagnostic.
Stdlib LoadStdlib(SourceManager& sm, DiagEngine& diags);

}  // namespace journey
