// sender.h — delivery of committed outbox rows to their channel providers.
//
// The Store commits outbox rows together with the journal batch that
// produced them; the OutboxSender, on its own SQLite connection, reads the
// pending rows in seq order, hands them to a provider and records the result
// in the same database. Three providers:
//   - the outbox file (every channel without another provider): exactly once
//     across crashes, because the file length is recorded in the store in
//     the transaction that marks rows delivered, and bytes past it are cut
//     off at the next Open before the rows are written again. serve has the
//     store write these sends with their batch instead (storeWritesFile,
//     Store::attachOutboxFile); the sender then takes webhooks only;
//   - a provider command (non-webhook rows piped as NDJSON to a shell
//     command, one run per call): at least once, the receiver de-duplicates
//     on message_id;
//   - webhooks (channel "webhook"): real HTTP(S) requests to allow-listed
//     hosts with an Idempotency-Key header, retried with backoff on network
//     errors, 5xx and 429: at least once. Their outcome ("sent"/"error") is
//     handed back so the engine receives it as a journey.message event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/serve/outbox_sink.h"

struct sqlite3;

namespace journey::vm::serve {

class WriterTurns;

struct SenderOptions {
  std::string outboxFile;                 // default DIR/outbox.ndjson: every channel without another provider
  std::string providerCommand;            // if set: non-webhook rows are piped (NDJSON) to this shell command's stdin, one run per batch; exit 0 = delivered
  std::vector<std::string> webhookAllow;  // hosts allowed for webhook (exact "api.example.com", or "*.example.com", or "127.0.0.1:8080" with port); empty = none allowed
  int webhookTimeoutMs = 10000;           // connect+read default; a row's content "timeout" field (e.g. "5s","30s","2m" or seconds number) overrides, capped at 60s
  int maxAttempts = 5;                    // webhook (and provider command) tries on network error/5xx/429, then failed
  int retryBaseMs = 1000;                 // a retry waits retryBaseMs * 2^(attempts-1), at most 5 minutes; 0 retries at once
  bool storeWritesFile = false;           // the store appends non-webhook sends to outboxFile itself (Store::attachOutboxFile): deliver webhooks only
};

// status: "sent" or "error" (webhook), for the engine to receive back as a
// journey.message event.
struct DeliveryStatus {
  std::string messageId;
  std::string status;
  std::string detail;
};

class OutboxSender {
 public:
  // Own sqlite connection to DIR/journey.db, which the Store must have
  // created (WAL allows a concurrent writer; busy_timeout waits for it).
  // Brings the outbox file in line with the store: cuts off bytes written
  // after the last recorded delivery (a crash between writing and
  // committing), creates the file when absent, and refuses to go on when
  // the file is shorter than recorded (someone truncated it). Locks the
  // outbox file: one sender per file.
  static std::unique_ptr<OutboxSender> Open(const std::string& dir, SenderOptions options, std::string& error);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Delivers up to `max` due pending rows in seq order (rows waiting for a
  // retry are due once their backoff has passed); returns the number
  // handled (delivered, failed or scheduled for a retry). Final outcomes of
  // webhooks are appended to `statuses`. On an error the rows not yet
  // recorded stay pending and are delivered again by a later call.
  size_t deliverPending(size_t max, std::vector<DeliveryStatus>& statuses, std::string& error);

  // Rows still pending (including those waiting for a retry), and the
  // milliseconds until the earliest becomes due (0: due now, -1: none).
  bool pending(uint64_t& count, int64_t& dueInMs, std::string& error);

  const SenderOptions& options() const { return options_; }
  // Writes in turns with the store's batches (Store::writerTurns): without
  // them, a sender whose store is busy with input back to back delivers
  // almost nothing until the input pauses.
  void shareTurns(std::shared_ptr<WriterTurns> turns) { turns_ = std::move(turns); }

 private:
  OutboxSender() = default;
  struct Row;
  struct Outcome;
  bool deliverToFile(std::vector<Row>& rows, std::string& error);
  void deliverToCommand(std::vector<Row>& rows, std::vector<Outcome>& outcomes);
  Outcome deliverWebhook(const Row& row);
  bool record(const std::vector<Outcome>& outcomes, std::vector<DeliveryStatus>& statuses, std::string& error);
  std::string sqlError(const std::string& what) const;

  sqlite3* db_ = nullptr;
  std::string dir_, path_;
  SenderOptions options_;
  OutboxFileSink file_;  // unless the store writes it
  std::shared_ptr<WriterTurns> turns_;
};

// Parses a duration as a webhook `timeout` renders it ("10" seconds, "5s",
// "250ms", "2m", "1h"); false when it is not one.
bool ParseTimeoutMs(std::string_view text, int64_t& ms);

// Splits the text form of a map ("Content-Type: application/json, X-Id: 7",
// see vm/value.cpp ToText) into header name/value pairs. A ", " only
// separates entries when a header name and ": " follow, so values that
// contain commas ("Accept: text/html, application/json") stay whole.
std::vector<std::pair<std::string, std::string>> ParseHeaderMap(std::string_view text);

// true when `host` (and `port`) is allowed by one of the patterns: an exact
// host (any port), "*.example.com" (any subdomain, not the apex), or
// "host:port" (that port only). Host names compare case-insensitively.
bool HostAllowed(const std::vector<std::string>& allow, std::string_view host, int port);

}  // namespace journey::vm::serve
