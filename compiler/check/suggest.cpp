// suggest.cpp — see suggest.h.
#include "check/suggest.h"

#include "parse/parse.h"
#include "support/strings.h"

namespace journey {

bool SuggestNearest(Diagnostic& d, Range written, const std::string& word, const std::vector<std::string>& candidates,
                    Spelt spelt, const std::string& prefix) {
  std::optional<std::string> near = ClosestMatch(word, candidates);
  if (!near) return false;
  std::string text = spelt == Spelt::String ? QuoteStringLiteral(*near) : prefix + *near;
  d.help.push_back(spelt == Spelt::String ? "did you mean " + text + "?" : "did you mean `" + text + "`?");
  if (written.valid()) d.guessFix(written, text);
  return true;
}

}  // namespace journey
