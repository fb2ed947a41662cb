// test_sender.cpp — the outbox sender: exactly-once delivery to the outbox
// file across a crash between writing and recording, the provider command,
// and webhooks against a real local HTTP server (request contents, the
// allow-list, timeouts, retries after 5xx).
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "vm/serve/sender.h"
#include "vm/serve/store.h"
#include "temp_dir.h"

using namespace journey::vm::serve;
namespace fs = std::filesystem;

namespace {

struct TempDir : journey::testing::TempDir {
  TempDir() : journey::testing::TempDir("journey-sender-test") {}
};

// An outbox line as the VM writes it (vm/report.cpp AppendOutboxJson).
std::string OutboxLine(const std::string& messageId, const std::string& channel, const nlohmann::json& content) {
  nlohmann::json line = {{"time", "2026-11-23T05:30:00Z"}, {"journey", "Test"},    {"version", "dd84a7a3e29574d1"},
                         {"node", "n"},                    {"user", "ben"},        {"channel", channel},
                         {"message_id", messageId},        {"content", content}};
  return line.dump() + "\n";
}

void AddRows(Store& store, const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string error;
  REQUIRE(store.begin(error));
  for (const auto& [key, json] : rows) {
    store.append(RecordKind::Event, 1, key);
    REQUIRE(store.addOutbox(key, nlohmann::json::parse(json)["channel"].get<std::string>(), json));
  }
  INFO(error);
  REQUIRE(store.commit(error));
}

std::unique_ptr<Store> OpenStore(const TempDir& dir) {
  std::string error;
  auto store = Store::Open(dir.str(), Sync::Normal, error);
  INFO(error);
  REQUIRE(store);
  return store;
}

std::unique_ptr<OutboxSender> OpenSender(const TempDir& dir, SenderOptions options = {}) {
  std::string error;
  auto sender = OutboxSender::Open(dir.str(), std::move(options), error);
  INFO(error);
  REQUIRE(sender);
  return sender;
}

std::vector<std::string> Lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::multiset<std::string> MessageIds(const fs::path& file) {
  std::multiset<std::string> ids;
  for (const std::string& line : Lines(file)) ids.insert(nlohmann::json::parse(line)["message_id"].get<std::string>());
  return ids;
}

// A real HTTP server on 127.0.0.1 (a free port) that records what it got
// and answers with whatever `respond` decides.
struct LocalServer {
  struct Seen {
    std::string method, path, body, idempotencyKey, contentType, source;
  };
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::vector<Seen> seen;
  std::function<void(const httplib::Request&, httplib::Response&, size_t)> respond;

  LocalServer() {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      size_t n;
      {
        std::lock_guard<std::mutex> lock(mutex);
        seen.push_back(Seen{req.method, req.path, req.body, req.get_header_value("Idempotency-Key"),
                            req.get_header_value("Content-Type"), req.get_header_value("X-Source")});
        n = seen.size();
      }
      res.status = 200;
      if (respond) respond(req, res, n);
    };
    server.Get(".*", handler);
    server.Post(".*", handler);
    server.Put(".*", handler);
    server.Delete(".*", handler);
    port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~LocalServer() {
    server.stop();
    thread.join();
  }
  size_t requests() {
    std::lock_guard<std::mutex> lock(mutex);
    return seen.size();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
  std::string hostPort() const { return "127.0.0.1:" + std::to_string(port); }
};

// Stores one webhook row of `content`, lets a sender that allows `server`
// deliver it, and returns the statuses it reported.
std::vector<DeliveryStatus> DeliverWebhook(TempDir& dir, LocalServer& server, const std::string& id, const nlohmann::json& content) {
  auto store = OpenStore(dir);
  AddRows(*store, {{id, OutboxLine(id, "webhook", content)}});
  SenderOptions options;
  options.webhookAllow = {server.hostPort()};
  auto sender = OpenSender(dir, options);
  std::vector<DeliveryStatus> statuses;
  std::string error;
  CHECK(sender->deliverPending(100, statuses, error) == 1);
  INFO(error);
  return statuses;
}

}  // namespace

TEST_CASE("sender: helpers parse durations, header maps and the allow-list") {
  int64_t ms = 0;
  CHECK((ParseTimeoutMs("10", ms) && ms == 10000));
  CHECK((ParseTimeoutMs("5s", ms) && ms == 5000));
  CHECK((ParseTimeoutMs("2m", ms) && ms == 120000));
  CHECK((ParseTimeoutMs("250ms", ms) && ms == 250));
  CHECK_FALSE(ParseTimeoutMs("soon", ms));
  CHECK_FALSE(ParseTimeoutMs("5 parsecs", ms));

  auto headers = ParseHeaderMap("Content-Type: application/json, X-Source: journeys, Accept: text/html, application/json");
  REQUIRE(headers.size() == 3);
  CHECK(headers[0] == std::pair<std::string, std::string>("Content-Type", "application/json"));
  CHECK(headers[1] == std::pair<std::string, std::string>("X-Source", "journeys"));
  CHECK(headers[2] == std::pair<std::string, std::string>("Accept", "text/html, application/json"));
  CHECK(ParseHeaderMap("").empty());

  std::vector<std::string> allow = {"api.example.com", "*.hooks.example.org", "127.0.0.1:8080", "[::1]:9000"};
  CHECK(HostAllowed(allow, "api.example.com", 443));
  CHECK(HostAllowed(allow, "API.Example.com", 80));
  CHECK_FALSE(HostAllowed(allow, "evil-api.example.com", 443));
  CHECK(HostAllowed(allow, "a.hooks.example.org", 443));
  CHECK(HostAllowed(allow, "a.b.hooks.example.org", 443));
  CHECK_FALSE(HostAllowed(allow, "hooks.example.org", 443));
  CHECK_FALSE(HostAllowed(allow, "xhooks.example.org", 443));
  CHECK(HostAllowed(allow, "127.0.0.1", 8080));
  CHECK_FALSE(HostAllowed(allow, "127.0.0.1", 8081));
  CHECK(HostAllowed(allow, "::1", 9000));
  CHECK_FALSE(HostAllowed({}, "api.example.com", 443));
}

TEST_CASE("sender: the outbox file receives each committed row once") {
  TempDir dir;
  auto store = OpenStore(dir);
  AddRows(*store, {{"k1", OutboxLine("k1", "email", {{"subject", "Hi"}})},
                   {"k2", OutboxLine("k2", "sms", {{"text", "Yo"}})}});
  auto sender = OpenSender(dir);
  std::vector<DeliveryStatus> statuses;
  std::string error;
  CHECK(sender->deliverPending(100, statuses, error) == 2);
  CHECK(error.empty());
  CHECK(statuses.empty());  // statuses are for webhooks only
  CHECK(sender->deliverPending(100, statuses, error) == 0);
  fs::path file = dir.path / "outbox.ndjson";
  auto lines = Lines(file);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] + "\n" == OutboxLine("k1", "email", {{"subject", "Hi"}}));
  StoreStats stats;
  REQUIRE(store->stats(stats, error));
  CHECK(stats.outboxDelivered == 2);
  CHECK(stats.outboxPending == 0);
  {
    // Delivered rows leave the table; only their count stays.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path / "journey.db").string().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* rows = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox", -1, &rows, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(rows) == SQLITE_ROW);
    CHECK(sqlite3_column_int(rows, 0) == 0);
    sqlite3_finalize(rows);
    sqlite3_close(db);
  }
  AddRows(*store, {{"k3", OutboxLine("k3", "email", {{"subject", "Again"}})}});
  CHECK(sender->deliverPending(100, statuses, error) == 1);
  REQUIRE(store->stats(stats, error));
  CHECK(stats.outboxDelivered == 3);  // counts add up across deliveries
  uint64_t count = 9;
  int64_t due = 0;
  REQUIRE(sender->pending(count, due, error));
  CHECK(count == 0);
  CHECK(due == -1);
}

TEST_CASE("sender: a crash between writing the outbox file and recording it does not duplicate lines") {
  TempDir dir;
  fs::path file = dir.path / "outbox.ndjson";
  auto store = OpenStore(dir);
  std::string error;
  std::vector<DeliveryStatus> statuses;
  AddRows(*store, {{"k1", OutboxLine("k1", "email", {{"n", "1"}})}, {"k2", OutboxLine("k2", "email", {{"n", "2"}})}});
  {
    auto sender = OpenSender(dir);
    CHECK(sender->deliverPending(100, statuses, error) == 2);
  }
  AddRows(*store, {{"k3", OutboxLine("k3", "email", {{"n", "3"}})}, {"k4", OutboxLine("k4", "email", {{"n", "4"}})}});
  // What a sender that died after its write but before its commit leaves:
  // the new rows' lines (the last one torn) in the file, the rows pending.
  {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << OutboxLine("k3", "email", {{"n", "3"}}) << OutboxLine("k4", "email", {{"n", "4"}}).substr(0, 20);
  }
  auto sender = OpenSender(dir);
  CHECK(MessageIds(file) == std::multiset<std::string>{"k1", "k2"});  // cut back at Open
  CHECK(sender->deliverPending(100, statuses, error) == 2);
  CHECK(MessageIds(file) == std::multiset<std::string>{"k1", "k2", "k3", "k4"});
  CHECK(Lines(file).size() == 4);
}

TEST_CASE("sender: an outbox file shorter than recorded is refused") {
  TempDir dir;
  fs::path file = dir.path / "outbox.ndjson";
  auto store = OpenStore(dir);
  std::string error;
  std::vector<DeliveryStatus> statuses;
  AddRows(*store, {{"k1", OutboxLine("k1", "email", {{"n", "1"}})}});
  {
    auto sender = OpenSender(dir);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
  }
  fs::resize_file(file, 10);
  CHECK_FALSE(OutboxSender::Open(dir.str(), {}, error));
  CHECK(error.find("outbox.ndjson: the outbox file is shorter (10 bytes) but the store recorded") != std::string::npos);
  fs::remove(file);
  CHECK_FALSE(OutboxSender::Open(dir.str(), {}, error));
  CHECK(error.find("the outbox file is missing") != std::string::npos);
}

TEST_CASE("sender: the provider command gets the rows on stdin and is retried until it succeeds or gives up") {
  TempDir dir;
  auto store = OpenStore(dir);
  std::string error;
  std::vector<DeliveryStatus> statuses;
  fs::path received = dir.path / "received.ndjson";
  AddRows(*store, {{"k1", OutboxLine("k1", "push", {{"n", "1"}})}, {"k2", OutboxLine("k2", "sms", {{"n", "2"}})}});
  SECTION("exit 0: delivered") {
    SenderOptions options;
    options.providerCommand = "cat >> '" + received.string() + "'";
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 2);
    CHECK(MessageIds(received) == std::multiset<std::string>{"k1", "k2"});
    CHECK_FALSE((fs::exists(dir.path / "outbox.ndjson") && fs::file_size(dir.path / "outbox.ndjson") > 0));
    CHECK(sender->deliverPending(100, statuses, error) == 0);
  }
  SECTION("a failing command: retried, then failed") {
    SenderOptions options;
    options.providerCommand = "cat > /dev/null; exit 3";
    options.maxAttempts = 2;
    options.retryBaseMs = 0;
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 2);
    uint64_t count = 0;
    int64_t due = -1;
    REQUIRE(sender->pending(count, due, error));
    CHECK(count == 2);
    CHECK(sender->deliverPending(100, statuses, error) == 2);
    REQUIRE(sender->pending(count, due, error));
    CHECK(count == 0);
    StoreStats stats;
    REQUIRE(store->stats(stats, error));
    CHECK(stats.outboxFailed == 2);
  }
}

TEST_CASE("sender: a webhook reaches an allow-listed server with method, body and Idempotency-Key") {
  TempDir dir;
  LocalServer server;
  std::vector<DeliveryStatus> statuses = DeliverWebhook(dir, server, "wh1",
                                                        {{"url", server.url("/crm/contacts/7?src=j")},
                                                         {"method", "PUT"},
                                                         {"headers", "Content-Type: application/json, X-Source: journeys"},
                                                         {"body", "{\"stage\": \"onboarded\"}"},
                                                         {"timeout", "10"}});
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].messageId == "wh1");
  CHECK(statuses[0].status == "sent");
  CHECK(statuses[0].detail == "HTTP 200");
  REQUIRE(server.requests() == 1);
  const auto& seen = server.seen[0];
  CHECK(seen.method == "PUT");
  CHECK(seen.path == "/crm/contacts/7");
  CHECK(seen.body == "{\"stage\": \"onboarded\"}");
  CHECK(seen.idempotencyKey == "wh1");
  CHECK(seen.contentType == "application/json");
  CHECK(seen.source == "journeys");
  // Webhook rows never go to the outbox file.
  CHECK(fs::file_size(dir.path / "outbox.ndjson") == 0);
}

TEST_CASE("sender: a webhook's headers written as a JSON object keep values that look like more headers") {
  // The engine writes a map as an object; the text form of older rows
  // (test above) would split "journeys, beta: yes" into two headers.
  TempDir dir;
  LocalServer server;
  DeliverWebhook(dir, server, "wh2",
                 {{"url", server.url("/crm/contacts/8")},
                  {"headers", {{"Content-Type", "application/json"}, {"X-Source", "journeys, beta: yes"}, {"Bad Name", "x"}}},
                  {"body", "{}"}});
  REQUIRE(server.requests() == 1);
  CHECK(server.seen[0].contentType == "application/json");
  CHECK(server.seen[0].source == "journeys, beta: yes");
}

TEST_CASE("sender: a host outside the allow-list is never contacted") {
  TempDir dir;
  LocalServer server;
  auto store = OpenStore(dir);
  AddRows(*store, {{"wh1", OutboxLine("wh1", "webhook", {{"url", server.url("/hook")}, {"body", "{}"}})}});
  SenderOptions options;
  SECTION("another host is allowed") { options.webhookAllow = {"api.example.com", "127.0.0.1:1"}; }
  SECTION("nothing is allowed") {}
  auto sender = OpenSender(dir, options);
  std::vector<DeliveryStatus> statuses;
  std::string error;
  CHECK(sender->deliverPending(100, statuses, error) == 1);
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].status == "error");
  CHECK(statuses[0].detail == "host 127.0.0.1 is not in the webhook allow-list");
  CHECK(server.requests() == 0);
  StoreStats stats;
  REQUIRE(store->stats(stats, error));
  CHECK(stats.outboxFailed == 1);
}

TEST_CASE("sender: a webhook that times out is retried, then failed after maxAttempts") {
  TempDir dir;
  LocalServer server;
  server.respond = [](const httplib::Request&, httplib::Response&, size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  };
  auto store = OpenStore(dir);
  AddRows(*store, {{"slow", OutboxLine("slow", "webhook", {{"url", server.url("/slow")}, {"body", "{}"}})}});
  SenderOptions options;
  options.webhookAllow = {"127.0.0.1"};
  options.webhookTimeoutMs = 150;
  options.maxAttempts = 2;
  options.retryBaseMs = 0;
  auto sender = OpenSender(dir, options);
  std::vector<DeliveryStatus> statuses;
  std::string error;
  CHECK(sender->deliverPending(100, statuses, error) == 1);
  CHECK(statuses.empty());  // a retry is not an outcome yet
  CHECK(sender->deliverPending(100, statuses, error) == 1);
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].status == "error");
  CHECK(statuses[0].detail.rfind("gave up after 2 attempts: network error", 0) == 0);
  CHECK(sender->deliverPending(100, statuses, error) == 0);
  CHECK(server.requests() == 2);
}

TEST_CASE("sender: a 500 is retried after the backoff and delivered by the next 200") {
  TempDir dir;
  LocalServer server;
  server.respond = [](const httplib::Request&, httplib::Response& res, size_t n) { res.status = n == 1 ? 500 : 200; };
  auto store = OpenStore(dir);
  AddRows(*store, {{"wh", OutboxLine("wh", "webhook", {{"url", server.url("/h")}, {"method", "post"}, {"body", "x=1"}})}});
  SenderOptions options;
  options.webhookAllow = {"127.0.0.1"};
  options.retryBaseMs = 0;
  std::vector<DeliveryStatus> statuses;
  std::string error;
  SECTION("retried at once") {
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    CHECK(statuses.empty());
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].status == "sent");
    REQUIRE(server.requests() == 2);
    CHECK(server.seen[0].idempotencyKey == "wh");
    CHECK(server.seen[1].idempotencyKey == "wh");
    CHECK(server.seen[1].method == "POST");
    CHECK(server.seen[1].contentType == "text/plain; charset=utf-8");
  }
  SECTION("not before the backoff has passed") {
    options.retryBaseMs = 60000;
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    CHECK(sender->deliverPending(100, statuses, error) == 0);
    uint64_t count = 0;
    int64_t due = 0;
    REQUIRE(sender->pending(count, due, error));
    CHECK(count == 1);
    CHECK(due > 50000);
    CHECK(server.requests() == 1);
  }
  SECTION("a 404 is final") {
    server.respond = [](const httplib::Request&, httplib::Response& res, size_t) { res.status = 404; };
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].status == "error");
    CHECK(statuses[0].detail == "HTTP 404");
  }
}

TEST_CASE("sender: a message's own retry and retry_every override the sender's attempts and backoff") {
  TempDir dir;
  LocalServer server;
  server.respond = [](const httplib::Request&, httplib::Response& res, size_t) { res.status = 503; };
  auto store = OpenStore(dir);
  SenderOptions options;
  options.webhookAllow = {"127.0.0.1"};
  options.maxAttempts = 5;
  options.retryBaseMs = 0;
  std::vector<DeliveryStatus> statuses;
  std::string error;
  uint64_t count = 0;
  int64_t due = 0;
  SECTION("retry 1: two attempts in all, then the error status") {
    AddRows(*store, {{"wh", OutboxLine("wh", "webhook", {{"url", server.url("/h")}, {"body", "{}"}, {"retry", "1"}})}});
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    CHECK(statuses.empty());
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].status == "error");
    CHECK(statuses[0].detail == "gave up after 2 attempts: HTTP 503");
    CHECK(sender->deliverPending(100, statuses, error) == 0);
    CHECK(server.requests() == 2);
  }
  SECTION("retry 0: one attempt") {
    AddRows(*store, {{"wh", OutboxLine("wh", "webhook", {{"url", server.url("/h")}, {"body", "{}"}, {"retry", "0"}})}});
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].detail == "gave up after 1 attempt: HTTP 503");
  }
  SECTION("retry_every: the next attempt waits that long, not the backoff") {
    AddRows(*store, {{"wh", OutboxLine("wh", "webhook", {{"url", server.url("/h")}, {"body", "{}"}, {"retry", "3"}, {"retry_every", "600"}})}});
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 1);
    CHECK(sender->deliverPending(100, statuses, error) == 0);
    REQUIRE(sender->pending(count, due, error));
    CHECK(count == 1);
    CHECK(due > 590'000);
    CHECK(due <= 600'000);
  }
  SECTION("the provider command's rows too, each by its own policy") {
    AddRows(*store, {{"a", OutboxLine("a", "sms", {{"text", "x"}, {"retry", "0"}})}, {"b", OutboxLine("b", "sms", {{"text", "y"}})}});
    options.providerCommand = "cat > /dev/null; exit 3";
    auto sender = OpenSender(dir, options);
    CHECK(sender->deliverPending(100, statuses, error) == 2);
    REQUIRE(sender->pending(count, due, error));
    CHECK(count == 1);  // a gave up after its one attempt; b has four more
    StoreStats stats;
    REQUIRE(store->stats(stats, error));
    CHECK(stats.outboxFailed == 1);
  }
}
