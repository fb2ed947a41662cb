// server.cpp — JSON-RPC dispatch, the LSP lifecycle and document sync.
#include "lsp/server.h"

#include "lsp/features.h"
#include "lsp/jsonrpc.h"

namespace journey::lsp {

namespace {

using json = nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kInternalError = -32603, kServerNotInitialized = -32002, kRequestFailed = -32803;

struct RpcError {
  int code;
  std::string message;
};

// Applies one incremental change (we ask for full sync, but a client that
// sends ranges anyway still gets the right text).
void ApplyChange(std::string& text, const json& change) {
  if (!change.contains("range")) {
    text = change.at("text").get<std::string>();
    return;
  }
  LineIndex lines(text);
  uint32_t b = lines.offset(PositionFromJson(change["range"]["start"]));
  uint32_t e = lines.offset(PositionFromJson(change["range"]["end"]));
  if (e < b) std::swap(b, e);
  text.replace(b, e - b, change.at("text").get<std::string>());
}

}  // namespace

void Server::handle(const std::string& body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::parse_error& e) {
    send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", e.what()}}}});
    return;
  }
  handle(message);
}

void Server::handle(const json& message) {
  if (!message.is_object() || !message.contains("method")) return;  // a response to us, or junk
  std::string method = message["method"].is_string() ? message["method"].get<std::string>() : "";
  json params = message.value("params", json::object());
  if (params.is_null()) params = json::object();  // some clients send `"params": null`
  if (!message.contains("id")) {
    try {
      notification(method, params);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "journeyc lsp: %s: %s\n", method.c_str(), e.what());
    }
    return;
  }
  // Answers must reflect every edit received before the request.
  flush();
  json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
  try {
    reply["result"] = request(method, params);
  } catch (const RpcError& e) {
    reply["error"] = {{"code", e.code}, {"message", e.message}};
  } catch (const RenameError& e) {
    reply["error"] = {{"code", kRequestFailed}, {"message", e.message}};
  } catch (const json::exception& e) {
    reply["error"] = {{"code", kInvalidParams}, {"message", e.what()}};
  } catch (const std::exception& e) {
    reply["error"] = {{"code", kInternalError}, {"message", e.what()}};
  }
  send(reply);
}

json Server::initialize(const json& params) {
  initialized_ = true;
  docsBase_ = kDiagnosticsDocs;
  if (params.contains("initializationOptions") && params["initializationOptions"].is_object())
    docsBase_ = params["initializationOptions"].value("diagnosticsDocsUrl", docsBase_);
  // RenameOptions may only be sent to clients that support prepareRename.
  const json::json_pointer prepareSupport("/capabilities/textDocument/rename/prepareSupport");
  bool prepare = params.contains(prepareSupport) && params.at(prepareSupport) == true;
  json capabilities = {
      {"positionEncoding", "utf-16"},
      {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
      {"hoverProvider", true},
      {"completionProvider", {{"triggerCharacters", {".", ">"}}}},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentSymbolProvider", true},
      {"documentFormattingProvider", true},
      {"renameProvider", prepare ? json{{"prepareProvider", true}} : json(true)},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix", "source.fixAll.journeyc"}}}},
  };
  return {{"capabilities", capabilities}, {"serverInfo", {{"name", "journeyc"}, {"version", "0.1.0"}}}};
}

std::shared_ptr<const Analysis> Server::analysisOf(Document& d) {
  if (!d.analysis) {
    std::shared_ptr<void> scratch;
    d.analysis = std::make_shared<const Analysis>(d.text, &scratch);
    retired_.push_back(std::move(scratch));
    ++analyses_;
  }
  return d.analysis;
}

std::shared_ptr<const Analysis> Server::analysisFor(const json& params) {
  auto it = documents_.find(params.at("textDocument").at("uri").get<std::string>());
  return it == documents_.end() ? nullptr : analysisOf(it->second);
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) throw RpcError{kInvalidRequest, "initialize was already received"};
    return initialize(params);
  }
  if (!initialized_) throw RpcError{kServerNotInitialized, "the server is not initialized"};
  if (shutdown_) throw RpcError{kInvalidRequest, "the server is shutting down"};
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  bool known = method == "textDocument/hover" || method == "textDocument/completion" ||
               method == "textDocument/definition" || method == "textDocument/references" ||
               method == "textDocument/documentSymbol" || method == "textDocument/formatting" ||
               method == "textDocument/prepareRename" || method == "textDocument/rename" ||
               method == "textDocument/codeAction";
  if (!known) throw RpcError{kMethodNotFound, "unsupported method " + method};
  std::shared_ptr<const Analysis> a = analysisFor(params);
  if (!a) return method == "textDocument/formatting" || method == "textDocument/codeAction" ? json::array() : json(nullptr);
  std::string uri = params["textDocument"]["uri"].get<std::string>();
  Position at = params.contains("position") ? PositionFromJson(params["position"]) : Position{};
  if (method == "textDocument/hover") return Hover(*a, at);
  if (method == "textDocument/completion") return Completion(*a, at);
  if (method == "textDocument/definition") return Definition(*a, uri, at);
  if (method == "textDocument/references") {
    bool decl = params.value("context", json::object()).value("includeDeclaration", true);
    return References(*a, uri, at, decl);
  }
  if (method == "textDocument/documentSymbol") return DocumentSymbols(*a);
  if (method == "textDocument/formatting") return Formatting(*a);
  if (method == "textDocument/prepareRename") return PrepareRename(*a, at);
  if (method == "textDocument/codeAction") {
    const json& range = params.at("range");
    uint32_t from = a->lines().offset(PositionFromJson(range.at("start"))), to = a->lines().offset(PositionFromJson(range.at("end")));
    json only = params.value("context", json::object()).value("only", json());
    return CodeActions(*a, uri, std::min(from, to), std::max(from, to), only, docsBase_);
  }
  return Rename(*a, uri, at, params.at("newName").get<std::string>());
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  // Before initialize, notifications other than exit are dropped (LSP 3.17).
  if (!initialized_ || shutdown_) return;
  if (method == "textDocument/didOpen") {
    const json& doc = params.at("textDocument");
    Document& d = documents_[doc.at("uri").get<std::string>()];
    if (d.analysis) retired_.push_back(std::move(d.analysis));
    d = Document{doc.at("text").get<std::string>(), doc.value("version", json()), true, nullptr};
  } else if (method == "textDocument/didChange") {
    auto it = documents_.find(params.at("textDocument").at("uri").get<std::string>());
    if (it == documents_.end()) return;
    Document& d = it->second;
    for (const json& change : params.at("contentChanges")) ApplyChange(d.text, change);
    d.version = params["textDocument"].value("version", json());
    d.dirty = true;
    if (d.analysis) retired_.push_back(std::move(d.analysis));
    d.analysis = nullptr;
  } else if (method == "textDocument/didClose") {
    std::string uri = params.at("textDocument").at("uri").get<std::string>();
    if (documents_.erase(uri))
      send({{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }
  // initialized, $/cancelRequest, $/setTrace and the like need nothing.
}

void Server::flush() {
  for (auto& [uri, d] : documents_) {
    if (!d.dirty) continue;
    d.dirty = false;
    std::shared_ptr<const Analysis> a = analysisOf(d);
    send({{"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", PublishDiagnostics(*a, uri, d.version, docsBase_)}});
  }
  retired_.clear();
}

int RunLanguageServer(int inFd, std::FILE* out) {
  MessageReader reader(inFd);
  Server server([out](const json& message) {
    // Invalid UTF-8 in a document must not stop the server: replace it.
    std::string framed = Frame(message.dump(-1, ' ', false, json::error_handler_t::replace));
    std::fwrite(framed.data(), 1, framed.size(), out);
    std::fflush(out);
  });
  while (!server.exited()) {
    if (!reader.pending()) server.flush();
    std::optional<std::string> body = reader.next();
    if (!body) break;
    server.handle(*body);
  }
  // End of input without `exit` is an abnormal end for LSP.
  return server.exited() ? server.exitCode() : 1;
}

}  // namespace journey::lsp
