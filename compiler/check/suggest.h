// suggest.h — "did you mean" for a name that is not known.
//
// When a declared name is close to the unknown one (support/strings.h,
// ClosestMatch), the diagnostic gets it twice: as help in words, and as a
// guessed fix that writes it over the unknown name (Diagnostic::fixIsGuess:
// an editor's quick fix, never made by `check --fix`). One helper so that
// every unknown-name diagnostic words its help and builds its edit alike.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diag.h"

namespace journey {

// How the name stands in the source: a bare name (`emial`, `profile.frist`)
// or a string ("Chargd"), which the fix writes quoted and escaped.
enum class Spelt : uint8_t { Name, String };

// Adds "did you mean `PREFIX+NAME`?" (or "did you mean "NAME"?" for a
// string) and the guessed fix replacing `written` with it, when one of
// `candidates` is close to `word`. An invalid `written` range (the name's
// place is not known exactly) gets the help alone. Returns whether a
// candidate was close enough.
bool SuggestNearest(Diagnostic& d, Range written, const std::string& word, const std::vector<std::string>& candidates,
                    Spelt spelt = Spelt::Name, const std::string& prefix = "");

}  // namespace journey
