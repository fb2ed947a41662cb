// serve.h — `journey-vm serve`, `journey-vm ctl` and the offline store tools.
//
// serve is the long-running engine: events arrive as NDJSON over HTTP
// (POST /v1/events) and/or stdin; operators deploy, pause, resume, stop and
// read stats over the same HTTP API (docs/vm.md, "Serving"), for which `ctl`
// is the command-line client. State lives in a data directory (vm/serve/
// store.h); committed sends are delivered by the outbox sender.
#pragma once

#include <string>
#include <vector>

#include "bytecode/module.h"
#include "vm/serve/durable_engine.h"
#include "vm/serve/sender.h"

namespace journey::vm::serve {

struct ServeOptions {
  std::string dir;                 // data directory
  std::vector<bc::Module> journeys;  // added or deployed at start (journaled like any deploy)
  // The directory of each of `journeys`' files: a journey added at start
  // that enters from a custom list has its list read from there.
  std::vector<std::string> journeyDirs;
  std::string listen = "127.0.0.1:8787";  // host:port; "none": no HTTP
  bool readStdin = false;
  bool exitAtEof = false;   // stdin: deliver the outbox, checkpoint and exit at its end
  bool virtualClock = false;  // event timestamps drive the clock (replays, tests)
  std::string restorePath;  // start a new store from this snapshot file
  DurableOptions durable;
  SenderOptions sender;
  bool quiet = false;
};

int Serve(ServeOptions options);

// ctl: one HTTP request to a running serve; prints the response body.
// `statsFormat` (json, csv or table; empty: json) is for `ctl stats`.
int Control(const std::string& url, const std::vector<std::string>& args, const bc::Module* deployModule,
            const std::string& statsFormat = "");

// Offline, on a data directory no server holds: the whole engine as a
// snapshot file, or the per-user state (Engine::dumpState) on stdout.
// A whole file written atomically (a temp file beside, fsynced, renamed
// over). Reading one is vm::ReadWholeFile (vm/loader.h).
bool WriteFileAtomically(const std::string& path, const std::string& bytes, std::string& error);

int SnapshotStore(const std::string& dir, const std::string& out);
int DumpStore(const std::string& dir, bool stats);

}  // namespace journey::vm::serve
