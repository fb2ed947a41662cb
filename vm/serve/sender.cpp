// sender.cpp — the outbox sender: the outbox file (exactly once), the
// provider command (at least once) and webhooks over HTTP(S) (at least
// once, with an Idempotency-Key), on a connection of its own to the store.
#include "vm/serve/sender.h"

#include "vm/serve/store.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace journey::vm::serve {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kWebhookTimeoutCapMs = 60000;
constexpr int64_t kRetryCapMs = 5 * 60 * 1000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Finalizes a statement however the scope is left.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

// Delivered rows of the outbox file and of the provider command leave the
// outbox table in the transaction that records them: the file (whose
// recorded length moves in that same transaction) or the command has them
// now. Kept for good, every send made the store ~300 bytes bigger and each
// commit slower, as the key index grew and its random pages were written
// again. Only their number stays, in meta. Webhook rows stay: a restart looks
// for final outcomes whose status event was never consumed
// (Store::unreportedWebhooks).
class DeliveredRows {
 public:
  bool prepare(sqlite3* db) {
    return sqlite3_prepare_v2(db, "DELETE FROM outbox WHERE seq = ?1", -1, &remove_.stmt, nullptr) == SQLITE_OK &&
           sqlite3_prepare_v2(db, kAddDeliveredSql, -1, &count_.stmt, nullptr) == SQLITE_OK;
  }
  bool remove(uint64_t seq) {
    sqlite3_bind_int64(remove_.stmt, 1, static_cast<sqlite3_int64>(seq));
    bool ok = sqlite3_step(remove_.stmt) == SQLITE_DONE;
    sqlite3_reset(remove_.stmt);
    removed_ += ok;
    return ok;
  }
  // Adds the rows removed to the count; call once, before COMMIT.
  bool count() {
    if (removed_ == 0) return true;
    sqlite3_bind_int64(count_.stmt, 1, removed_);
    bool ok = sqlite3_step(count_.stmt) == SQLITE_DONE;
    sqlite3_reset(count_.stmt);
    return ok;
  }

 private:
  Statement remove_, count_;
  int64_t removed_ = 0;
};

// Blocks SIGPIPE in this thread while a provider is written to, and swallows
// the ones raised meanwhile: a receiver that hangs up early (a provider
// command that exits, a peer that resets a TLS connection) must become an
// EPIPE for this row, not the death of the server.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipeOnly_);
    sigaddset(&pipeOnly_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    alreadyPending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipeOnly_, &previous_);
  }
  ~SigpipeGuard() {
    if (!alreadyPending_) {
      timespec zero{0, 0};
      while (sigtimedwait(&pipeOnly_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipeOnly_, previous_;
  bool alreadyPending_ = false;
};

// A webhook URL split for httplib: "scheme://host:port" and the path.
struct WebhookUrl {
  std::string scheme, host, path;
  int port = 0;
};

bool ParseUrl(std::string_view url, WebhookUrl& out, std::string& problem) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) {
    problem = "webhook url " + std::string(url) + " has no scheme";
    return false;
  }
  out.scheme = Lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    problem = "webhook url scheme " + out.scheme + " is not http or https";
    return false;
  }
  std::string_view rest = url.substr(colon + 3);
  size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.path[0] != '/') out.path.insert(0, "/");
  if (size_t hash = out.path.find('#'); hash != std::string::npos) out.path.resize(hash);
  // Credentials in a URL would end up in the outbox and its logs.
  if (authority.find('@') != std::string_view::npos) {
    problem = "webhook url " + std::string(url) + " carries credentials; put them in headers";
    return false;
  }
  std::string_view portText;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      problem = "webhook url " + std::string(url) + " has a malformed host";
      return false;
    }
    out.host = Lower(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') portText = authority.substr(close + 2);
  } else {
    size_t portColon = authority.rfind(':');
    out.host = Lower(authority.substr(0, portColon));
    if (portColon != std::string_view::npos) portText = authority.substr(portColon + 1);
  }
  out.port = out.scheme == "https" ? 443 : 80;
  if (!portText.empty()) {
    int port = 0;
    for (char c : portText) {
      if (c < '0' || c > '9' || port > 65535) {
        port = -1;
        break;
      }
      port = port * 10 + (c - '0');
    }
    if (port <= 0 || port > 65535) {
      problem = "webhook url " + std::string(url) + " has an invalid port";
      return false;
    }
    out.port = port;
  }
  if (out.host.empty()) {
    problem = "webhook url " + std::string(url) + " has no host";
    return false;
  }
  return true;
}

bool IsHeaderNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// Length of "Name: " at the start of `s` (0 when `s` does not start so).
size_t HeaderNameLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsHeaderNameChar(s[i])) ++i;
  if (i == 0 || i + 1 >= s.size() || s[i] != ':' || s[i + 1] != ' ') return 0;
  return i;
}

}  // namespace

bool ParseTimeoutMs(std::string_view text, int64_t& ms) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  size_t digits = 0;
  int64_t value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (value > 1'000'000'000) return false;
    value = value * 10 + (text[digits++] - '0');
  }
  if (digits == 0) return false;
  std::string_view unit = text.substr(digits);
  int64_t scale;
  if (unit.empty() || unit == "s") scale = 1000;  // a duration renders as whole seconds
  else if (unit == "ms") scale = 1;
  else if (unit == "m") scale = 60'000;
  else if (unit == "h") scale = 3'600'000;
  else if (unit == "d") scale = 86'400'000;
  else return false;
  ms = value * scale;
  return true;
}

std::vector<std::pair<std::string, std::string>> ParseHeaderMap(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nameLength = HeaderNameLength(text.substr(start));
    if (nameLength == 0) break;  // not a map's text form: nothing trustworthy to send
    size_t valueStart = start + nameLength + 2;
    // The value runs to the next ", Name: " or the end.
    size_t end = valueStart;
    for (;;) {
      end = text.find(", ", end);
      if (end == std::string_view::npos || HeaderNameLength(text.substr(end + 2)) != 0) break;
      end += 2;
    }
    size_t valueEnd = end == std::string_view::npos ? text.size() : end;
    out.emplace_back(std::string(text.substr(start, nameLength)), std::string(text.substr(valueStart, valueEnd - valueStart)));
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

namespace {
// A webhook's headers from its outbox line's content: an object (the
// engine writes maps as JSON), or the text form of rows stored earlier.
std::vector<std::pair<std::string, std::string>> HeadersOf(const nlohmann::json& content) {
  auto it = content.find("headers");
  if (it == content.end()) return {};
  if (it->is_string()) return ParseHeaderMap(it->get<std::string>());  // a row written before lists and maps were JSON
  std::vector<std::pair<std::string, std::string>> out;
  if (!it->is_object()) return out;
  for (auto& [name, value] : it->items()) {
    if (HeaderNameLength(name + ": ") != name.size()) continue;  // not a header name: nothing trustworthy to send
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.find_first_of("\r\n") != std::string::npos) continue;  // would split the request's headers
    out.emplace_back(name, std::move(text));
  }
  return out;
}
}  // namespace

bool HostAllowed(const std::vector<std::string>& allow, std::string_view host, int port) {
  std::string h = Lower(host);
  for (const std::string& entry : allow) {
    std::string pattern = Lower(entry);
    // "host:port" names one port; a bare host (or wildcard) allows any. An
    // IPv6 pattern is written in brackets, like in a URL.
    std::string patternHost = pattern;
    int patternPort = 0;
    size_t portColon = std::string::npos;
    if (!pattern.empty() && pattern[0] == '[') {
      size_t close = pattern.find(']');
      if (close != std::string::npos && close + 1 < pattern.size() && pattern[close + 1] == ':') portColon = close + 1;
    } else if (std::count(pattern.begin(), pattern.end(), ':') == 1) {  // more colons: a bare IPv6 address
      portColon = pattern.find(':');
    }
    if (portColon != std::string::npos) {
      patternHost = pattern.substr(0, portColon);
      patternPort = std::atoi(pattern.c_str() + portColon + 1);
    }
    if (patternHost.size() >= 2 && patternHost.front() == '[' && patternHost.back() == ']')
      patternHost = patternHost.substr(1, patternHost.size() - 2);
    if (patternPort != 0 && patternPort != port) continue;
    if (patternHost.rfind("*.", 0) == 0) {
      std::string_view suffix = std::string_view(patternHost).substr(1);  // ".example.com"
      if (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    } else if (h == patternHost) {
      return true;
    }
  }
  return false;
}

struct OutboxSender::Row {
  uint64_t seq;
  std::string key, channel, json;
  int attempts;
};

struct OutboxSender::Outcome {
  enum Kind { Delivered, Failed, Retry } kind;
  uint64_t seq;
  std::string key;
  int attempts;  // including this one
  std::string detail;
  bool webhook;
  int64_t waitMs = -1;  // a Retry's wait as the message asks (retry_every), else the backoff
};

namespace {
// A message's own retry policy, from its content fields `retry` (more
// attempts after a failed one, 0 to 10) and `retry_every` (the wait between
// attempts, 1 s to 1 d; stdlib/channels.jstd): attempts in all, and the
// wait (-1: the sender's exponential backoff). Without them, the sender's.
struct RetryPolicy {
  int attempts;
  int64_t waitMs;
};
RetryPolicy PolicyOf(const nlohmann::json& line, int defaultAttempts) {
  RetryPolicy p{defaultAttempts, -1};
  if (!line.is_object() || !line.contains("content") || !line["content"].is_object()) return p;
  const nlohmann::json& content = line["content"];
  auto text = [&](const char* name) {
    auto it = content.find(name);
    return it != content.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  // A count renders as its digits (a fraction counts its whole part).
  std::string r = text("retry");
  int64_t more = 0;
  if (!r.empty() && std::from_chars(r.data(), r.data() + r.size(), more).ec == std::errc())
    p.attempts = 1 + static_cast<int>(std::clamp<int64_t>(more, 0, 10));
  int64_t every = 0;
  if (std::string e = text("retry_every"); !e.empty() && ParseTimeoutMs(e, every)) p.waitMs = std::clamp<int64_t>(every, 1000, 86'400'000);
  return p;
}
RetryPolicy PolicyOf(const std::string& json, int defaultAttempts) {
  return PolicyOf(nlohmann::json::parse(json, nullptr, false), defaultAttempts);
}
}  // namespace

std::string OutboxSender::sqlError(const std::string& what) const {
  return path_ + ": " + what + " (" + sqlite3_errmsg(db_) + ")";
}

std::unique_ptr<OutboxSender> OutboxSender::Open(const std::string& dir, SenderOptions options, std::string& error) {
  error.clear();
  std::unique_ptr<OutboxSender> sender(new OutboxSender());
  OutboxSender& s = *sender;
  s.dir_ = dir;
  s.path_ = (fs::path(dir) / "journey.db").string();
  if (options.outboxFile.empty()) options.outboxFile = (fs::path(dir) / "outbox.ndjson").string();
  if (options.maxAttempts < 1) options.maxAttempts = 1;
  s.options_ = std::move(options);

  std::error_code ec;
  if (!fs::exists(s.path_, ec)) {
    error = s.path_ + ": no store here (the store creates it)";
    return nullptr;
  }
  if (sqlite3_open_v2(s.path_.c_str(), &s.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    error = s.db_ ? s.sqlError("cannot open the database") : s.path_ + ": cannot open the database (out of memory)";
    return nullptr;
  }
  sqlite3_extended_result_codes(s.db_, 1);
  sqlite3_busy_timeout(s.db_, 5000);
  {
    // The store checked everything else at its Open; the sender only makes
    // sure it is looking at a store of the schema it knows.
    Statement id, version;
    if (sqlite3_prepare_v2(s.db_, "PRAGMA application_id", -1, &id.stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(id.stmt) != SQLITE_ROW ||
        sqlite3_prepare_v2(s.db_, "PRAGMA user_version", -1, &version.stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(version.stmt) != SQLITE_ROW) {
      error = s.sqlError("not a journey store");
      return nullptr;
    }
    if (sqlite3_column_int(id.stmt, 0) != kStoreApplicationId || sqlite3_column_int(version.stmt, 0) != kStoreSchemaVersion) {
      error = s.path_ + ": not a journey store of schema version " + std::to_string(kStoreSchemaVersion);
      return nullptr;
    }
  }
  // A lost "delivered" mark only re-sends (the file is cut back to the
  // recorded length first), so process-crash durability is enough here.
  sqlite3_exec(s.db_, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);

  // With the store writing the file itself (Store::attachOutboxFile) the
  // sender never touches it: the file has one writer.
  if (!s.options_.storeWritesFile && !s.file_.open(s.db_, s.path_, s.options_.outboxFile, error)) return nullptr;
  return sender;
}

OutboxSender::~OutboxSender() {
  if (db_) sqlite3_close_v2(db_);  // closes once file_'s statement is finalized, after this body
}

size_t OutboxSender::deliverPending(size_t max, std::vector<DeliveryStatus>& statuses, std::string& error) {
  error.clear();
  std::vector<Row> webhooks, others;
  {
    Statement select;
    if (sqlite3_prepare_v2(db_,
                           "SELECT seq, key, channel, json, attempts FROM outbox WHERE state = 0 AND next_try <= ?1 "
                           "AND (?3 = 0 OR channel = 'webhook') ORDER BY seq LIMIT ?2",
                           -1, &select.stmt, nullptr) != SQLITE_OK) {
      error = sqlError("cannot read the outbox");
      return 0;
    }
    sqlite3_bind_int64(select.stmt, 1, NowMs());
    sqlite3_bind_int64(select.stmt, 2, static_cast<sqlite3_int64>(std::min<size_t>(max, INT64_MAX)));
    sqlite3_bind_int(select.stmt, 3, options_.storeWritesFile ? 1 : 0);
    int rc;
    while ((rc = sqlite3_step(select.stmt)) == SQLITE_ROW) {
      auto text = [&](int column) {
        const unsigned char* p = sqlite3_column_text(select.stmt, column);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(select.stmt, column)))
                 : std::string();
      };
      Row row{static_cast<uint64_t>(sqlite3_column_int64(select.stmt, 0)), text(1), text(2), text(3),
              sqlite3_column_int(select.stmt, 4)};
      (row.channel == "webhook" ? webhooks : others).push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      error = sqlError("cannot read the outbox");
      return 0;
    }
  }
  if (webhooks.empty() && others.empty()) return 0;

  SigpipeGuard sigpipe;
  size_t handled = 0;
  std::vector<Outcome> outcomes;
  if (!others.empty()) {
    if (options_.providerCommand.empty()) {
      if (!deliverToFile(others, error)) return 0;
      handled += others.size();
    } else {
      deliverToCommand(others, outcomes);
    }
  }
  for (const Row& row : webhooks) outcomes.push_back(deliverWebhook(row));
  if (!record(outcomes, statuses, error)) return handled;
  return handled + outcomes.size();
}

bool OutboxSender::deliverToFile(std::vector<Row>& rows, std::string& error) {
  std::string lines;
  for (const Row& row : rows) {
    lines += row.json;
    if (lines.empty() || lines.back() != '\n') lines += '\n';
  }
  // Written and flushed to disk before the rows are marked: after a crash the
  // mark is either there (and the bytes too) or not (and Open cuts the bytes
  // off again), so every line ends up in the file exactly once.
  if (!file_.write(lines, error)) return false;
  uint64_t newLength = file_.length() + lines.size();
  auto undo = [&](const std::string& what) {
    error = sqlError(what);
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    // Not recorded, so not delivered: the bytes go, and the rows are written
    // again by the next call.
    if (!file_.cutBack()) error += "; and cannot cut the outbox file back";
    return false;
  };
  WriterTurn turn(turns_.get());
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return undo("cannot record deliveries");
  {
    DeliveredRows delivered;
    if (!delivered.prepare(db_)) return undo("cannot record deliveries");
    for (const Row& row : rows)
      if (!delivered.remove(row.seq)) return undo("cannot record deliveries");
    if (!file_.record(newLength) || !delivered.count()) return undo("cannot record deliveries");
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return undo("cannot record deliveries");
  file_.committed(newLength);
  return true;
}

// One run of the provider command per call, all rows on its stdin. At least
// once: a command that delivered and then failed (or a crash before the
// outcome is recorded) gets the rows again; the receiver de-duplicates on
// message_id, which every line carries.
void OutboxSender::deliverToCommand(std::vector<Row>& rows, std::vector<Outcome>& outcomes) {
  std::string lines;
  for (const Row& row : rows) {
    lines += row.json;
    if (lines.empty() || lines.back() != '\n') lines += '\n';
  }
  std::string detail;
  bool delivered = false;
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
    detail = std::string("cannot create a pipe to the provider command (") + std::strerror(errno) + ")";
  } else {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[0], STDIN_FILENO);
    // The command runs with default signal handling whatever this process
    // has blocked or ignored (a pipeline in it relies on SIGPIPE).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    std::string command = options_.providerCommand;
    char shell[] = "/bin/sh", dashC[] = "-c";
    char* argv[] = {shell, dashC, command.data(), nullptr};
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(pipeFds[0]);
    if (spawned != 0) {
      ::close(pipeFds[1]);
      detail = std::string("cannot run the provider command (") + std::strerror(spawned) + ")";
    } else {
      bool wroteAll = WriteAll(pipeFds[1], lines, -1);
      ::close(pipeFds[1]);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && wroteAll) delivered = true;
      else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        detail = "the provider command exited with status " + std::to_string(WEXITSTATUS(status));
      else if (WIFSIGNALED(status))
        detail = "the provider command was killed by signal " + std::to_string(WTERMSIG(status));
      else
        detail = "the provider command did not read all rows";
    }
  }
  for (const Row& row : rows) {
    int attempts = row.attempts + 1;
    RetryPolicy policy = delivered ? RetryPolicy{options_.maxAttempts, -1} : PolicyOf(row.json, options_.maxAttempts);
    Outcome::Kind kind = delivered ? Outcome::Delivered : attempts >= policy.attempts ? Outcome::Failed : Outcome::Retry;
    outcomes.push_back(Outcome{kind, row.seq, row.key, attempts, delivered ? std::string() : detail, false, policy.waitMs});
  }
}

OutboxSender::Outcome OutboxSender::deliverWebhook(const Row& row) {
  int attempts = row.attempts + 1;
  nlohmann::json line = nlohmann::json::parse(row.json, nullptr, false);
  const RetryPolicy policy = PolicyOf(line, options_.maxAttempts);
  auto final = [&](Outcome::Kind kind, std::string detail) {
    return Outcome{kind, row.seq, row.key, attempts, std::move(detail), true, policy.waitMs};
  };
  auto transient = [&](std::string detail) {
    if (attempts >= policy.attempts)
      return final(Outcome::Failed, "gave up after " + std::to_string(attempts) + " attempt" + (attempts == 1 ? "" : "s") + ": " + detail);
    return final(Outcome::Retry, std::move(detail));
  };

  if (line.is_discarded() || !line.is_object() || !line.contains("content") || !line["content"].is_object())
    return final(Outcome::Failed, "the outbox row is not a webhook outbox line");
  const nlohmann::json& content = line["content"];
  auto field = [&](const char* name) -> std::string {
    auto it = content.find(name);
    return it != content.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string urlText = field("url");
  if (urlText.empty()) return final(Outcome::Failed, "the webhook has no url");
  WebhookUrl url;
  std::string problem;
  if (!ParseUrl(urlText, url, problem)) return final(Outcome::Failed, problem);
  // Checked before anything touches the network: a journey must not be able
  // to reach hosts the operator did not name.
  if (!HostAllowed(options_.webhookAllow, url.host, url.port))
    return final(Outcome::Failed, "host " + url.host + " is not in the webhook allow-list");

  std::string method = field("method");
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (method.empty()) method = "POST";
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE")
    return final(Outcome::Failed, "webhook method " + method + " is not GET, POST, PUT or DELETE");

  int64_t timeoutMs = options_.webhookTimeoutMs;
  if (std::string t = field("timeout"); !t.empty()) {
    int64_t ms = 0;
    if (ParseTimeoutMs(t, ms) && ms > 0) timeoutMs = ms;
  }
  timeoutMs = std::clamp<int64_t>(timeoutMs, 1, kWebhookTimeoutCapMs);

  httplib::Request request;
  request.method = method;
  request.path = url.path;
  std::string contentType;
  for (auto& [name, value] : HeadersOf(content)) {
    if (Lower(name) == "content-type") contentType = value;
    else if (Lower(name) != "idempotency-key" && Lower(name) != "content-length" && Lower(name) != "host")
      request.headers.emplace(name, value);
  }
  request.headers.emplace("Idempotency-Key", row.key);
  request.headers.emplace("User-Agent", "journey-vm");
  if (method != "GET") {
    request.body = field("body");
    if (!request.body.empty()) {
      if (contentType.empty()) {
        bool json = nlohmann::json::accept(request.body);
        contentType = json ? "application/json" : "text/plain; charset=utf-8";
      }
      request.headers.emplace("Content-Type", contentType);
    }
  }

  bool ipv6 = url.host.find(':') != std::string::npos;
  httplib::Client client(url.scheme + "://" + (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port));
  time_t seconds = static_cast<time_t>(timeoutMs / 1000), micros = static_cast<time_t>(timeoutMs % 1000 * 1000);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  client.set_keep_alive(false);
  // Redirects are not followed: the target would escape the allow-list.
  client.set_follow_location(false);

  httplib::Response response;
  httplib::Error failure = httplib::Error::Success;
  if (!client.send(request, response, failure)) return transient("network error: " + httplib::to_string(failure));
  std::string detail = "HTTP " + std::to_string(response.status);
  if (response.status >= 200 && response.status < 300) return final(Outcome::Delivered, detail);
  if (response.status == 429 || response.status >= 500) return transient(detail);
  if (response.status >= 300 && response.status < 400) detail += " (redirects are not followed)";
  return final(Outcome::Failed, detail);
}

bool OutboxSender::record(const std::vector<Outcome>& outcomes, std::vector<DeliveryStatus>& statuses, std::string& error) {
  if (outcomes.empty()) return true;
  auto fail = [&](const char* what) {
    error = sqlError(what);
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  };
  WriterTurn turn(turns_.get());
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("cannot record deliveries");
  {
    Statement update;
    DeliveredRows delivered;
    if (sqlite3_prepare_v2(db_, "UPDATE outbox SET state = ?1, attempts = ?2, next_try = ?3, detail = ?4 WHERE seq = ?5", -1,
                           &update.stmt, nullptr) != SQLITE_OK ||
        !delivered.prepare(db_))
      return fail("cannot record deliveries");
    int64_t now = NowMs();
    for (const Outcome& o : outcomes) {
      if (o.kind == Outcome::Delivered && !o.webhook) {
        if (!delivered.remove(o.seq)) return fail("cannot record deliveries");
        continue;
      }
      int state = o.kind == Outcome::Delivered ? static_cast<int>(OutboxState::Delivered)
                  : o.kind == Outcome::Failed  ? static_cast<int>(OutboxState::Failed)
                                               : static_cast<int>(OutboxState::Pending);
      // Exponential backoff by attempts so a struggling receiver is not
      // hammered; the cap keeps a long outage from pushing retries to days.
      int64_t wait = 0;
      if (o.kind == Outcome::Retry && o.waitMs >= 0) {
        wait = o.waitMs;  // the message's own retry_every
      } else if (o.kind == Outcome::Retry && options_.retryBaseMs > 0) {
        int shift = std::min(o.attempts - 1, 20);
        wait = std::min<int64_t>(static_cast<int64_t>(options_.retryBaseMs) << shift, kRetryCapMs);
      }
      sqlite3_bind_int(update.stmt, 1, state);
      sqlite3_bind_int(update.stmt, 2, o.attempts);
      sqlite3_bind_int64(update.stmt, 3, now + wait);
      sqlite3_bind_text(update.stmt, 4, o.detail.c_str(), static_cast<int>(o.detail.size()), SQLITE_STATIC);
      sqlite3_bind_int64(update.stmt, 5, static_cast<sqlite3_int64>(o.seq));
      if (sqlite3_step(update.stmt) != SQLITE_DONE) return fail("cannot record deliveries");
      sqlite3_reset(update.stmt);
    }
    if (!delivered.count()) return fail("cannot record deliveries");
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("cannot record deliveries");
  // Statuses only once recorded: a status the engine receives must not be
  // followed by another attempt of the same row.
  for (const Outcome& o : outcomes)
    if (o.webhook && o.kind != Outcome::Retry)
      statuses.push_back(DeliveryStatus{o.key, o.kind == Outcome::Delivered ? "sent" : "error", o.detail});
  return true;
}

bool OutboxSender::pending(uint64_t& count, int64_t& dueInMs, std::string& error) {
  Statement s;
  if (sqlite3_prepare_v2(db_, "SELECT count(*), min(next_try) FROM outbox WHERE state = 0", -1, &s.stmt, nullptr) != SQLITE_OK ||
      sqlite3_step(s.stmt) != SQLITE_ROW) {
    error = sqlError("cannot read the outbox");
    return false;
  }
  count = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 0));
  dueInMs = count == 0 ? -1 : std::max<int64_t>(0, sqlite3_column_int64(s.stmt, 1) - NowMs());
  return true;
}

}  // namespace journey::vm::serve
