// server.h — the language server: lifecycle, documents, request dispatch.
//
// `journeyc lsp` speaks LSP 3.17 over stdio. The Server itself never touches
// a file descriptor: it takes one decoded message at a time and hands every
// outgoing message to a sink, so tests can drive it directly.
//
// Re-checks are coalesced: didOpen/didChange only store the text and mark
// the document dirty; diagnostics are computed and published by flush(),
// which the loop calls when no further input is waiting (and the server
// calls before answering any request). A burst of keystrokes queued on
// stdin is therefore checked once, on its latest text.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lsp/document.h"

namespace journey::lsp {

class Server {
 public:
  using Sink = std::function<void(const nlohmann::json&)>;
  explicit Server(Sink sink) : sink_(std::move(sink)) {}

  // One message body as received (JSON text); answers malformed JSON.
  void handle(const std::string& body);
  void handle(const nlohmann::json& message);
  // Publishes diagnostics of every document changed since the last flush.
  void flush();
  bool exited() const { return exited_; }
  // The process status LSP asks for: 0 after shutdown, 1 otherwise.
  int exitCode() const { return shutdown_ ? 0 : 1; }
  // How many times a document was compiled (to test coalescing).
  size_t analyses() const { return analyses_; }

 private:
  struct Document {
    std::string text;
    nlohmann::json version;
    bool dirty = true;
    std::shared_ptr<const Analysis> analysis;  // of `text`, once computed
  };

  nlohmann::json request(const std::string& method, const nlohmann::json& params);
  void notification(const std::string& method, const nlohmann::json& params);
  nlohmann::json initialize(const nlohmann::json& params);
  // The analysis of the document named in params.textDocument.uri, or null.
  std::shared_ptr<const Analysis> analysisFor(const nlohmann::json& params);
  // Compiles the document's current text unless that was done already.
  std::shared_ptr<const Analysis> analysisOf(Document& d);
  void send(const nlohmann::json& message) { sink_(message); }

  Sink sink_;
  std::map<std::string, Document> documents_;
  // Outdated analyses and parser leftovers, freed at the end of flush():
  // freeing a large document's is several milliseconds that an edit's
  // diagnostics need not wait for.
  std::vector<std::shared_ptr<const void>> retired_;
  std::string docsBase_;
  bool initialized_ = false, shutdown_ = false, exited_ = false;
  size_t analyses_ = 0;
};

// Runs the server over `inFd` and `out` until `exit` or end of input;
// returns the process exit status.
int RunLanguageServer(int inFd, std::FILE* out);

}  // namespace journey::lsp
