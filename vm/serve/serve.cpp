// serve.cpp — the long-running engine: HTTP API, stdin, clock and sender.
//
// Threads: httplib's workers handle requests; one thread reads stdin; one
// ticks the real clock every second; one delivers committed outbox rows.
// Every engine operation holds one mutex (the engine is single-threaded by
// design: no per-user locking on the hot path), and each operation is one
// store transaction. The main thread waits for SIGINT/SIGTERM (or the end
// of stdin with --exit-at-eof), then stops the others, delivers what is
// committed, writes a checkpoint and exits 0. SIGKILL loses nothing
// committed: the next start replays the journal.
#include "vm/serve/serve.h"

#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "bytecode/format.h"
#include "vm/json_text.h"
#include "vm/loader.h"
#include "vm/message_id.h"
#include "vm/report.h"

namespace journey::vm::serve {
namespace {

int64_t WallClock() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string BatchJson(const BatchResult& r) {
  std::string out = "{\"accepted\":" + std::to_string(r.accepted) + ",\"duplicate\":" + std::to_string(r.duplicate) +
                    ",\"sends\":" + std::to_string(r.sends) + ",\"malformed\":[";
  for (size_t i = 0; i < r.malformed.size(); ++i)
    out += (i ? "," : "") + std::string("{\"line\":") + std::to_string(r.malformed[i].line) + ",\"error\":" + Quote(r.malformed[i].reason) + "}";
  return out + "]}";
}

std::string ListJson(const std::string& journey, const ListResult& r) {
  std::string out = "{\"journey\":" + Quote(journey) + ",\"rows\":" + std::to_string(r.rows) + ",\"entered\":" +
                    std::to_string(r.entered) + ",\"sends\":" + std::to_string(r.sends) + ",\"problems\":[";
  for (size_t i = 0; i < r.problems.size(); ++i) out += (i ? "," : "") + Quote(r.problems[i]);
  return out + "]}";
}

std::string ErrorJson(const std::string& error) { return "{\"error\":" + Quote(error) + "}\n"; }

// The user of a message id (vm/message_id.h; user ids may hold ':'), or
// empty for an id not laid out as ours.
std::string UserOfMessageId(const std::string& id) {
  MessageIdParts parts;
  return SplitMessageId(id, parts) ? std::string(parts.user) : std::string();
}

class Server {
 public:
  explicit Server(ServeOptions options) : options_(std::move(options)) {}

  int run() {
    if (!open()) return 1;
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread started below inherits it

    std::vector<std::thread> threads;
    threads.emplace_back([this] { deliverLoop(); });
    if (!options_.virtualClock) threads.emplace_back([this] { tickLoop(); });
    if (options_.readStdin) threads.emplace_back([this] { stdinLoop(); });
    std::thread http;
    if (options_.listen != "none" && !startHttp(http)) {
      stopping_ = true;
      wake_.notify_all();
      for (auto& t : threads) t.join();
      return 1;
    }
    int signal = 0;
    sigwait(&signals, &signal);
    if (!options_.quiet) std::fprintf(stderr, "journey-vm serve: stopping\n");
    if (http.joinable()) {
      http_.stop();
      http.join();
    }
    stopping_ = true;
    wake_.notify_all();
    tick_.notify_all();
    for (auto& t : threads) t.join();
    return finish();
  }

 private:
  bool open() {
    std::string error;
    if (!options_.restorePath.empty()) {
      std::string bytes;
      if (!ReadWholeFile(options_.restorePath, bytes, error)) {
        std::fprintf(stderr, "journey-vm: error: %s: %s\n", options_.restorePath.c_str(), error.c_str());
        return false;
      }
      engine_ = DurableEngine::OpenFromSnapshot(options_.dir, bytes, options_.durable, error);
      if (!engine_) {
        std::fprintf(stderr, "journey-vm: error: %s: %s\n", options_.restorePath.c_str(), error.c_str());
        return false;
      }
    } else {
      OpenReport report;
      engine_ = DurableEngine::Open(options_.dir, options_.durable, report, error);
      if (!engine_) {
        std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
        return false;
      }
      if (!report.warning.empty()) std::fprintf(stderr, "journey-vm: warning: %s\n", report.warning.c_str());
      if (!options_.quiet)
        std::fprintf(stderr, "journey-vm serve: %s: %s%zu users, %zu inside; restored in %.3f s, replayed %llu journal rows in %.3f s\n",
                     options_.dir.c_str(), report.fromSnapshot ? "from a snapshot, " : "", engine_->engine().userCount(),
                     engine_->engine().activeInstances(), report.restoreSeconds, static_cast<unsigned long long>(report.replayed),
                     report.replaySeconds);
    }
    // Without a provider command, sends for the outbox file are written
    // with their batch (Store::attachOutboxFile); the sender then takes
    // webhooks only.
    if (options_.sender.outboxFile.empty()) options_.sender.outboxFile = (std::filesystem::path(options_.dir) / "outbox.ndjson").string();
    if (options_.sender.providerCommand.empty()) {
      if (!engine_->store().attachOutboxFile(options_.sender.outboxFile, error)) {
        std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
        return false;
      }
      options_.sender.storeWritesFile = true;
    }
    for (size_t i = 0; i < options_.journeys.size(); ++i) {
      bc::Module& m = options_.journeys[i];
      std::string outcome, name = m.str(m.name);
      if (!engine_->deploy(m, outcome, error)) {
        std::fprintf(stderr, "journey-vm: error: deploy \"%s\": %s\n", name.c_str(), error.c_str());
        return false;
      }
      if (!options_.quiet && outcome != "identical") std::fprintf(stderr, "journey-vm serve: \"%s\": %s\n", name.c_str(), outcome.c_str());
      if (outcome == "added" && m.entry.kind == bc::EntryKind::CustomList && i < options_.journeyDirs.size())
        enterListAtStart(name, (std::filesystem::path(options_.journeyDirs[i]) / m.str(m.entry.list)).string());
    }
    sender_ = OutboxSender::Open(options_.dir, options_.sender, error);
    if (!sender_) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return false;
    }
    sender_->shareTurns(engine_->store().writerTurns());
    // Webhook outcomes recorded just before a crash, not yet journaled.
    std::vector<DeliveryStatus> lost;
    if (!engine_->store().unreportedWebhooks([&](const std::string& key, bool sent, const std::string& detail) {
          lost.push_back({key, sent ? "sent" : "error", detail});
        }, error)) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return false;
    }
    if (!lost.empty()) reportStatuses(lost);
    return true;
  }

  // A journey added at start that enters from a custom list: the list is
  // read now, as `run` reads it when the journey is published. Only when
  // added: a restart deploys it again as identical and must not enter the
  // list twice. Whatever goes wrong is a warning; the list can be uploaded
  // with `ctl list`.
  void enterListAtStart(const std::string& journey, const std::string& path) {
    std::string csv, error;
    ListResult result;
    auto warn = [&](const std::string& what) {
      std::fprintf(stderr, "journey-vm: warning: \"%s\": %s; upload the list with `journey-vm ctl list`\n", journey.c_str(), what.c_str());
    };
    if (!ReadWholeFile(path, csv, error)) return warn("cannot read custom list " + path + ": " + error);
    if (!engine_->enterList(journey, csv, options_.virtualClock ? DurableEngine::kVirtualClock : WallClock(), result, error))
      return warn("custom list " + path + " not entered: " + error);
    for (const std::string& problem : result.problems) std::fprintf(stderr, "journey-vm: warning: %s:%s\n", path.c_str(), problem.c_str());
    if (!options_.quiet)
      std::fprintf(stderr, "journey-vm serve: \"%s\": custom list %s: %llu rows, %llu entered\n", journey.c_str(), path.c_str(),
                   static_cast<unsigned long long>(result.rows), static_cast<unsigned long long>(result.entered));
  }

  bool startHttp(std::thread& thread) {
    size_t colon = options_.listen.rfind(':');
    std::string host = colon == std::string::npos ? "127.0.0.1" : options_.listen.substr(0, colon);
    int port = std::atoi(options_.listen.substr(colon == std::string::npos ? 0 : colon + 1).c_str());
    http_.set_payload_max_length(size_t{256} << 20);
    // httplib writes a reply's headers and body separately; with Nagle's
    // algorithm on, the body waited for the client's delayed ACK, and every
    // request on a kept-alive connection took ~40 ms.
    http_.set_tcp_nodelay(true);
    // A sender posting event by event keeps one connection; httplib's
    // default closed it after 5 requests.
    http_.set_keep_alive_max_count(1000);
    routes();
    if (port == 0) port = http_.bind_to_any_port(host);
    else if (!http_.bind_to_port(host, port)) port = -1;
    if (port < 0) {
      std::fprintf(stderr, "journey-vm: error: cannot listen on %s\n", options_.listen.c_str());
      return false;
    }
    if (!options_.quiet) std::fprintf(stderr, "journey-vm serve: listening on http://%s:%d\n", host.c_str(), port);
    std::fflush(stderr);
    thread = std::thread([this] { http_.listen_after_bind(); });
    return true;
  }

  void routes() {
    using httplib::Request;
    using httplib::Response;
    auto reply = [](Response& res, bool ok, const std::string& body, int failStatus = 400) {
      res.status = ok ? 200 : failStatus;
      res.set_content(ok ? body : ErrorJson(body), "application/json");
    };
    http_.Post("/v1/events", [this, reply](const Request& req, Response& res) {
      BatchResult result;
      std::string error;
      bool ok = ingest(req.body, result, error);
      reply(res, ok, ok ? BatchJson(result) + "\n" : error, 503);
    });
    http_.Post("/v1/journeys", [this, reply](const Request& req, Response& res) {
      bc::Module m;
      std::string error, outcome;
      if (!bc::Read(std::vector<uint8_t>(req.body.begin(), req.body.end()), m, error)) return reply(res, false, "the body is not a journey module: " + error);
      std::string name = m.str(m.name);
      bool ok;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ok = engine_->deploy(m, outcome, error);
      }
      reply(res, ok, ok ? "{\"journey\":" + Quote(name) + ",\"result\":" + Quote(outcome) + "}\n" : error, 409);
    });
    http_.Post("/v1/lifecycle", [this, reply](const Request& req, Response& res) {
      Engine::LifecycleAction action;
      std::string journey = req.get_param_value("journey"), error;
      if (!ParseLifecycleAction(req.get_param_value("action"), action))
        return reply(res, false, "action must be pause, resume, stop, archive or unarchive");
      bool ok;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ok = engine_->lifecycle(journey, action, error);
      }
      reply(res, ok, ok ? "{\"journey\":" + Quote(journey) + ",\"action\":" + Quote(LifecycleActionName(action)) + "}\n" : error, 409);
    });
    http_.Post("/v1/lists", [this, reply](const Request& req, Response& res) {
      std::string journey = req.get_param_value("journey"), error;
      ListResult result;
      bool ok, failed;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ok = engine_->enterList(journey, req.body, options_.virtualClock ? DurableEngine::kVirtualClock : WallClock(), result, error);
        failed = engine_->failed();
      }
      if (result.sends) wake_.notify_all();
      reply(res, ok, ok ? ListJson(journey, result) + "\n" : error, failed ? 503 : 409);
    });
    http_.Get("/v1/stats", [this, reply](const Request& req, Response& res) {
      // ?from=YYYY-MM-DD&to=YYYY-MM-DD: the counters of those days only.
      std::optional<StatsDays> days;
      std::string error;
      const std::string from = req.get_param_value("from"), to = req.get_param_value("to");  // the views below point here
      auto given = [&req](const char* key, const std::string& value) {
        return req.has_param(key) ? std::optional<std::string_view>(value) : std::nullopt;
      };
      if (!ParseStatsDays(given("from", from), given("to", to), "from", "to", days, error))
        return reply(res, false, error, 400);
      // ?format=csv|table: the same figures as run's --stats-csv and its table.
      const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
      if (format == "json") return res.set_content(statsJson(days), "application/json");
      if (format != "csv" && format != "table") return reply(res, false, "format must be json, csv or table, not \"" + format + "\"", 400);
      std::lock_guard<std::mutex> lock(mutex_);
      if (format == "csv") res.set_content(StatsCsv(engine_->engine(), days), "text/csv");
      else res.set_content(StatsTable(engine_->engine(), days), "text/plain");
    });
    http_.Get("/v1/state", [this](const Request&, Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      res.set_content(engine_->engine().dumpState(), "text/plain");
    });
    http_.Post("/v1/snapshot", [this, reply](const Request& req, Response& res) {
      std::string error, to = req.get_param_value("to");
      std::lock_guard<std::mutex> lock(mutex_);
      bool ok = engine_->checkpoint(error) && (to.empty() || WriteFileAtomically(to, engine_->engine().snapshot(), error));
      reply(res, ok, ok ? "{\"journal_seq\":" + std::to_string(engine_->store().lastSeq()) + (to.empty() ? "" : ",\"file\":" + Quote(to)) + "}\n" : error, 500);
    });
    http_.Post("/v1/advance", [this, reply](const Request& req, Response& res) {
      int64_t to = 0;
      if (!options_.virtualClock) return reply(res, false, "the clock is real; advance is for --clock events");
      if (!ParseIsoTime(req.get_param_value("to"), to)) return reply(res, false, "to must be an ISO time");
      std::string error;
      uint64_t sends = 0;
      bool ok;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ok = engine_->advance(to, sends, error);
      }
      wake_.notify_all();
      reply(res, ok, ok ? "{\"sends\":" + std::to_string(sends) + "}\n" : error, 503);
    });
    http_.Get("/v1/health", [](const Request&, Response& res) { res.set_content("{\"ok\":true}\n", "application/json"); });
    http_.Post("/v1/shutdown", [](const Request&, Response& res) {
      res.set_content("{\"stopping\":true}\n", "application/json");
      kill(getpid(), SIGTERM);
    });
  }

  bool ingest(std::string_view body, BatchResult& result, std::string& error) {
    bool ok;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ok = engine_->ingest(body, options_.virtualClock ? DurableEngine::kVirtualClock : WallClock(), result, error);
      if (ok) {
        events_.applied += result.accepted;
        events_.duplicate += result.duplicate;
        events_.malformed += result.malformed.size();
        events_.read += result.accepted + result.duplicate + result.malformed.size();
      }
    }
    if (result.sends) wake_.notify_all();
    return ok;
  }

  std::string statsJson(const std::optional<StatsDays>& days = {}) {
    std::lock_guard<std::mutex> lock(mutex_);
    StoreStats s;
    std::string error;
    std::string store = "{}";
    if (engine_->store().stats(s, error))
      store = "{\"journal_seq\":" + std::to_string(s.lastSeq) + ",\"journal_rows\":" + std::to_string(s.journalRows) +
              ",\"consumed_ids\":" + std::to_string(s.consumedIds) + ",\"outbox_pending\":" + std::to_string(s.outboxPending) +
              ",\"outbox_delivered\":" + std::to_string(s.outboxDelivered) + ",\"outbox_failed\":" + std::to_string(s.outboxFailed) +
              ",\"duplicate_sends\":" + std::to_string(engine_->duplicateSends()) + ",\"snapshots\":" + std::to_string(s.snapshots) +
              ",\"bytes\":" + std::to_string(s.dbBytes) +
              ",\"dedup_window_seconds\":" + std::to_string(engine_->store().dedupWindow()) + "}";
    std::string json = StatsJson(engine_->engine(), "{\"read\":" + std::to_string(events_.read) + ",\"applied\":" + std::to_string(events_.applied) +
                                                        ",\"malformed\":" + std::to_string(events_.malformed) +
                                                        ",\"duplicate\":" + std::to_string(events_.duplicate) + "}",
                                 days);
    // StatsJson is one object; the store's counters go in beside the rest.
    size_t close = json.rfind('}');
    if (close != std::string::npos) json.insert(close, ",\"store\":" + store);
    return json;
  }

  // Reads stdin in chunks; each chunk's complete lines are one batch (one
  // transaction), so the commit rate follows the input rate.
  void stdinLoop() {
    std::string pending;
    std::vector<char> buffer(size_t{1} << 20);
    while (!stopping_) {
      pollfd p{STDIN_FILENO, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      ssize_t n = read(STDIN_FILENO, buffer.data(), buffer.size());
      if (n <= 0) break;
      pending.append(buffer.data(), static_cast<size_t>(n));
      size_t end = pending.rfind('\n');
      if (end == std::string::npos) continue;
      batch(std::string_view(pending).substr(0, end + 1));
      pending.erase(0, end + 1);
    }
    if (!pending.empty()) batch(pending);
    if (options_.exitAtEof) kill(getpid(), SIGTERM);
  }

  // One batch of stdin; reports name lines by their number in the whole
  // stream, as `run` does, not within the batch.
  void batch(std::string_view lines) {
    uint64_t first = stdinLines_;
    // Batches end at a line end, but the last may end without one.
    stdinLines_ += static_cast<uint64_t>(std::count(lines.begin(), lines.end(), '\n')) + (!lines.empty() && lines.back() != '\n');
    BatchResult result;
    std::string error;
    if (!ingest(lines, result, error)) {
      std::fprintf(stderr, "journey-vm: error: stdin lines %llu-%llu not applied: %s\n", static_cast<unsigned long long>(first + 1),
                   static_cast<unsigned long long>(stdinLines_), error.c_str());
      return;
    }
    for (const BatchResult::Bad& bad : result.malformed)
      std::fprintf(stderr, "journey-vm: stdin:%llu: malformed event: %s\n", static_cast<unsigned long long>(first + bad.line), bad.reason.c_str());
  }
  uint64_t stdinLines_ = 0;  // lines of stdin taken so far

  void tickLoop() {
    std::unique_lock<std::mutex> wait(tickMutex_);
    while (!stopping_) {
      tick_.wait_for(wait, std::chrono::seconds(1), [this] { return stopping_.load(); });
      if (stopping_) break;
      uint64_t sends = 0;
      std::string error;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!engine_->advance(WallClock(), sends, error)) std::fprintf(stderr, "journey-vm: error: clock: %s\n", error.c_str());
      }
      if (sends) wake_.notify_all();
    }
  }

  // Delivers committed rows; webhook outcomes come back to the engine as
  // `journey.message` status events (de-duplicated like any event, so a
  // status re-reported after a crash is applied once).
  void deliverLoop() {
    std::unique_lock<std::mutex> wait(wakeMutex_);
    for (;;) {
      std::vector<DeliveryStatus> statuses;
      std::string error;
      size_t handled;
      {
        // Delivery itself runs outside the engine's lock: a slow webhook
        // never holds up ingestion.
        handled = sender_->deliverPending(16384, statuses, error);
      }
      if (!error.empty()) std::fprintf(stderr, "journey-vm: error: outbox: %s\n", error.c_str());
      if (!statuses.empty()) reportStatuses(statuses);
      if (handled) continue;
      if (stopping_) break;
      wake_.wait_for(wait, std::chrono::milliseconds(200));
    }
  }

  void reportStatuses(const std::vector<DeliveryStatus>& statuses) {
    std::string lines;
    int64_t now;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      now = options_.virtualClock ? engine_->engine().now() : WallClock();
    }
    for (const DeliveryStatus& s : statuses) {
      lines += "{\"type\":\"track\",\"event\":\"journey.message\",\"userId\":" + Quote(UserOfMessageId(s.messageId)) +
               ",\"messageId\":" + Quote("status:" + s.messageId + ":" + s.status) + ",\"timestamp\":" + Quote(IsoTime(now)) +
               ",\"properties\":{\"message_id\":" + Quote(s.messageId) + ",\"status\":" + Quote(s.status) +
               (s.detail.empty() ? "" : ",\"detail\":" + Quote(s.detail)) + "}}\n";
    }
    BatchResult result;
    std::string error;
    if (!ingest(lines, result, error)) std::fprintf(stderr, "journey-vm: error: message statuses not applied: %s\n", error.c_str());
  }

  int finish() {
    std::string error;
    // What is committed goes out before a clean exit (a webhook still
    // retrying stays pending for the next start).
    for (int round = 0; round < 1000; ++round) {
      std::vector<DeliveryStatus> statuses;
      size_t handled = sender_->deliverPending(4096, statuses, error);
      if (!statuses.empty()) reportStatuses(statuses);
      if (!error.empty()) break;
      uint64_t count = 0;
      int64_t due = -1;
      if (!handled && (!sender_->pending(count, due, error) || count == 0 || due != 0)) break;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (!engine_->failed() && !engine_->checkpoint(error)) {
      std::fprintf(stderr, "journey-vm: error: final checkpoint: %s\n", error.c_str());
      return 1;
    }
    if (!options_.quiet) std::fprintf(stderr, "%s", StatsTable(engine_->engine()).c_str());
    return engine_->failed() ? 1 : 0;
  }

  struct Counters {
    uint64_t read = 0, applied = 0, malformed = 0, duplicate = 0;
  };

  ServeOptions options_;
  std::unique_ptr<DurableEngine> engine_;
  std::unique_ptr<OutboxSender> sender_;
  httplib::Server http_;
  std::mutex mutex_;  // the engine and its store
  std::mutex wakeMutex_, tickMutex_;
  std::condition_variable wake_, tick_;
  std::atomic<bool> stopping_{false};
  Counters events_;
};

}  // namespace

// Written beside, then renamed over: a crash leaves the old file or the new
// one, never half of one. A path that is a link, a device or a pipe
// (/dev/stdout) is written through instead: renaming over it would replace
// the link or the device node itself.
bool WriteFileAtomically(const std::string& path, const std::string& bytes, std::string& error) {
  std::error_code ec;
  std::filesystem::file_status self = std::filesystem::symlink_status(path, ec);
  bool through = !ec && std::filesystem::exists(self) && !std::filesystem::is_regular_file(self);
  std::string target = through ? path : path + ".tmp";
  FILE* f = std::fopen(target.c_str(), "wb");
  bool ok = f && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = f && std::fflush(f) == 0 && (through || fsync(fileno(f)) == 0) && ok;
  int reason = ok ? 0 : errno;
  if (f && std::fclose(f) != 0 && ok) ok = false, reason = errno;
  if (ok && !through && std::rename(target.c_str(), path.c_str()) != 0) ok = false, reason = errno;
  if (!ok) {
    if (!through) std::remove(target.c_str());
    error = "cannot write " + path + (reason ? std::string(": ") + std::strerror(reason) : std::string());
    return false;
  }
  return true;
}

int Serve(ServeOptions options) {
  Server server(std::move(options));
  return server.run();
}

int Control(const std::string& url, const std::vector<std::string>& args, const bc::Module* deployModule, const std::string& statsFormat) {
  if (args.empty()) {
    std::fprintf(stderr, "journey-vm: error: ctl needs a command\n");
    return 2;
  }
  httplib::Client client(url);
  client.set_read_timeout(std::chrono::seconds(600));
  client.set_connection_timeout(std::chrono::seconds(5));
  const std::string& command = args[0];
  auto arg = [&](size_t i) -> std::string { return i < args.size() ? args[i] : std::string(); };
  auto show = [&](const httplib::Result& r) {
    if (!r) {
      std::fprintf(stderr, "journey-vm: error: %s: %s\n", url.c_str(), httplib::to_string(r.error()).c_str());
      return 1;
    }
    std::fwrite(r->body.data(), 1, r->body.size(), r->status == 200 ? stdout : stderr);
    return r->status == 200 ? 0 : 1;
  };
  Engine::LifecycleAction action;
  if (command == "events") {
    // Sent in batches of at most 10,000 lines: each is one transaction.
    std::ifstream file;
    std::istream* in = &std::cin;
    if (!arg(1).empty() && arg(1) != "-") {
      file.open(arg(1), std::ios::binary);
      if (!file) {
        std::fprintf(stderr, "journey-vm: error: cannot open %s\n", arg(1).c_str());
        return 2;
      }
      in = &file;
    }
    std::string body, line;
    size_t lines = 0;
    int rc = 0;
    auto flush = [&] {
      if (body.empty()) return;
      rc |= show(client.Post("/v1/events", body, "application/x-ndjson"));
      body.clear();
      lines = 0;
    };
    while (std::getline(*in, line)) {
      body += line;
      body += '\n';
      if (++lines == 10000) flush();
    }
    flush();
    return rc;
  }
  if (command == "deploy") {
    if (!deployModule) return 2;
    std::vector<uint8_t> bytes = bc::Write(*deployModule);
    return show(client.Post("/v1/journeys", reinterpret_cast<const char*>(bytes.data()), bytes.size(), "application/octet-stream"));
  }
  if (ParseLifecycleAction(command, action)) {
    if (arg(1).empty()) {
      std::fprintf(stderr, "journey-vm: error: ctl %s needs a journey name\n", command.c_str());
      return 2;
    }
    httplib::Params params{{"journey", arg(1)}, {"action", command}};
    return show(client.Post("/v1/lifecycle", params));
  }
  if (command == "list") {
    // ctl list NAME FILE: the custom list the journey's users come from.
    if (arg(1).empty() || arg(2).empty()) {
      std::fprintf(stderr, "journey-vm: error: ctl list needs a journey name and a CSV file (- for stdin)\n");
      return 2;
    }
    std::string body, error;
    if (arg(2) == "-") {
      std::ostringstream text;
      text << std::cin.rdbuf();
      body = text.str();
    } else if (!ReadWholeFile(arg(2), body, error)) {
      std::fprintf(stderr, "journey-vm: error: %s: %s\n", arg(2).c_str(), error.c_str());
      return 2;
    }
    return show(client.Post(httplib::append_query_params("/v1/lists", {{"journey", arg(1)}}), body, "text/csv"));
  }
  if (command == "stats") {  // ctl stats [FROM [TO]]: the counters of those days
    httplib::Params params;
    if (!arg(1).empty()) params.emplace("from", arg(1));
    if (!arg(2).empty()) params.emplace("to", arg(2));
    if (!statsFormat.empty()) params.emplace("format", statsFormat);
    return show(client.Get(httplib::append_query_params("/v1/stats", params)));
  }
  if (command == "state") return show(client.Get("/v1/state"));
  if (command == "health") return show(client.Get("/v1/health"));
  if (command == "shutdown") return show(client.Post("/v1/shutdown"));
  if (command == "snapshot") {
    httplib::Params params;
    if (!arg(1).empty()) params.emplace("to", arg(1));
    return show(client.Post("/v1/snapshot", params));
  }
  if (command == "advance") return show(client.Post("/v1/advance", httplib::Params{{"to", arg(1)}}));
  std::fprintf(stderr,
               "journey-vm: error: unknown ctl command `%s` (events, deploy, list, pause, resume, stop, archive, unarchive, stats, state, "
               "snapshot, advance, health, shutdown)\n",
               command.c_str());
  return 2;
}

int SnapshotStore(const std::string& dir, const std::string& out) {
  OpenReport report;
  std::string error;
  std::unique_ptr<DurableEngine> engine = DurableEngine::Open(dir, DurableOptions{}, report, error);
  if (!engine) {
    std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
    return 1;
  }
  if (!WriteFileAtomically(out, engine->engine().snapshot(), error)) {
    std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "journey-vm: %s: %zu users, %zu inside, clock at %s\n", out.c_str(), engine->engine().userCount(),
               engine->engine().activeInstances(), IsoTime(engine->engine().now()).c_str());
  return 0;
}

int DumpStore(const std::string& dir, bool stats) {
  OpenReport report;
  std::string error;
  DurableOptions options;
  options.checkpointEvery = 0;
  std::unique_ptr<DurableEngine> engine = DurableEngine::Open(dir, options, report, error);
  if (!engine) {
    std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
    return 1;
  }
  std::string text = stats ? StatsJson(engine->engine()) : engine->engine().dumpState();
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fprintf(stderr, "journey-vm: %s: restored in %.3f s, replayed %llu journal rows in %.3f s\n", dir.c_str(), report.restoreSeconds,
               static_cast<unsigned long long>(report.replayed), report.replaySeconds);
  return 0;
}

}  // namespace journey::vm::serve
