// features.h — the language features, each a pure function of a document.
//
// Every feature reads an Analysis (one compiled snapshot) and the request's
// params and returns the result as LSP JSON; none of them keep state, so
// the server can answer from whatever snapshot is current. They are split
// by purpose: diagnostics.cpp, hover.cpp, completion.cpp, navigation.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lsp/document.h"

namespace journey::lsp {

// Where each code's explanation lives; `#j0301-name` is appended. By default
// the reference in the source tree journeyc was built from; clients set
// initializationOptions.diagnosticsDocsUrl to point elsewhere.
#ifndef JOURNEY_DOCS_DIR
#define JOURNEY_DOCS_DIR "docs"
#endif
inline constexpr const char* kDiagnosticsDocs = "file://" JOURNEY_DOCS_DIR "/diagnostics.md";

// The params of textDocument/publishDiagnostics for `uri`.
nlohmann::json PublishDiagnostics(const Analysis& a, const std::string& uri, const nlohmann::json& version,
                                  const std::string& docsBase);

// textDocument/codeAction: quick fixes for the diagnostics touching bytes
// [from, to], and a source.fixAll.journeyc action; `only` is the context's
// filter of kinds (null: every kind).
nlohmann::json CodeActions(const Analysis& a, const std::string& uri, uint32_t from, uint32_t to, const nlohmann::json& only,
                           const std::string& docsBase);

nlohmann::json Hover(const Analysis& a, Position at);
nlohmann::json Completion(const Analysis& a, Position at);
nlohmann::json Definition(const Analysis& a, const std::string& uri, Position at);
nlohmann::json References(const Analysis& a, const std::string& uri, Position at, bool includeDeclaration);
nlohmann::json DocumentSymbols(const Analysis& a);
nlohmann::json PrepareRename(const Analysis& a, Position at);
struct RenameError {
  std::string message;
};
// Throws RenameError when the new name cannot be used.
nlohmann::json Rename(const Analysis& a, const std::string& uri, Position at, const std::string& newName);
nlohmann::json Formatting(const Analysis& a);

// `90061` seconds -> "1 day 1 hour 1 minute 1 second".
std::string DurationInWords(int64_t seconds);

}  // namespace journey::lsp
