// main.cpp — journey-vm, the command line of the runtime.
//
//   journey-vm run FILE... --events EVENTS.ndjson   replay events on a virtual clock
//   journey-vm verify FILE.jbc                       load and verify only
//   journey-vm disasm FILE.jbc                       print the listing
//
// FILE is a .jbc (loaded and verified) or a .journey (compiled by running
// journeyc first). `run` writes every send to the outbox as NDJSON (stdout
// unless --outbox), prints a summary table to stderr, and optionally stats
// as JSON and CSV. Malformed event lines are reported with their line
// number, copied to the dead-letter file and counted; the run goes on.
// Exit status (run): 0 ok; 1 a journey does not load, a deploy or lifecycle
// change is refused, or the snapshot cannot be saved; 2 bad usage, an
// unreadable event file or an outbox that cannot be written.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "bytecode/disasm.h"
#include "vm/custom_list.h"
#include "vm/engine.h"
#include "vm/event_convert.h"
#include "vm/events/event_source.h"
#include "vm/loader.h"
#include "vm/outbox_file.h"
#include "vm/report.h"
#include "vm/serve/serve.h"

namespace journey::vm {
namespace {

// A span such as 90m, 1d12h or 2w (units s, m, h, d, w, each after its
// number; at most ten years): its seconds. "0" is zero.
bool ParseSpan(std::string_view text, int64_t& seconds) {
  seconds = 0;
  if (text == "0") return true;
  int64_t n = 0;
  bool digits = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      n = n * 10 + (c - '0');
      digits = true;
      if (n > 10 * 366 * 86400) return false;
      continue;
    }
    int64_t unit = c == 's' ? 1 : c == 'm' ? 60 : c == 'h' ? 3600 : c == 'd' ? 86400 : c == 'w' ? 604800 : 0;
    if (!unit || !digits) return false;
    seconds += n * unit;
    if (seconds > 10 * 366 * 86400) return false;
    n = 0;
    digits = false;
  }
  return !digits && seconds > 0;
}

bool ParseUntil(const std::string& text, int64_t lastEvent, int64_t& until, bool& drain) {
  drain = text == "drain";
  if (drain || text == "last-event") {
    until = lastEvent;
    return true;
  }
  if (!text.empty() && text[0] == '+') {
    int64_t seconds = 0;
    if (text == "+0" || !ParseSpan(std::string_view(text).substr(1), seconds)) return false;
    until = lastEvent + seconds;
    return true;
  }
  return ParseIsoTime(text, until);
}

// What an operator does to running journeys at a virtual time: deploy a
// new version (--deploy TIME=FILE) or move a journey through its lifecycle
// (--lifecycle TIME=pause:NAME).
struct Operation {
  int64_t at = 0;
  bool deploy = true;
  std::string file;   // deploy: the new version
  bc::Module module;  // deploy: compiled and verified before the run starts
  Engine::LifecycleAction action = Engine::LifecycleAction::Pause;
  std::string journey;  // lifecycle: the journey's name
  std::string spec;     // as written, for messages
};

bool ParseOperations(const std::vector<std::string>& deploys, const std::vector<std::string>& lifecycle, std::vector<Operation>& out) {
  auto split = [](const std::string& spec, Operation& d) {
    size_t eq = spec.find('=');
    d.spec = spec;
    return eq != std::string::npos && eq + 1 < spec.size() && ParseIsoTime(spec.substr(0, eq), d.at) ? spec.substr(eq + 1) : std::string();
  };
  for (const std::string& spec : deploys) {
    Operation d;
    d.file = split(spec, d);
    if (d.file.empty()) {
      std::fprintf(stderr, "journey-vm: error: --deploy takes TIME=FILE (an ISO time), not `%s`\n", spec.c_str());
      return false;
    }
    out.push_back(d);
  }
  const std::pair<const char*, Engine::LifecycleAction> kActions[] = {
      {"pause", Engine::LifecycleAction::Pause},     {"resume", Engine::LifecycleAction::Resume},
      {"stop", Engine::LifecycleAction::Stop},       {"archive", Engine::LifecycleAction::Archive},
      {"unarchive", Engine::LifecycleAction::Unarchive}};
  for (const std::string& spec : lifecycle) {
    Operation d;
    d.deploy = false;
    std::string rest = split(spec, d);
    size_t colon = rest.find(':');
    bool known = false;
    for (const auto& [word, action] : kActions)
      if (colon != std::string::npos && rest.compare(0, colon, word) == 0 && colon == std::strlen(word)) {
        d.action = action;
        known = true;
      }
    if (!known || colon + 1 >= rest.size()) {
      std::fprintf(stderr,
                   "journey-vm: error: --lifecycle takes TIME=ACTION:JOURNEY with ACTION pause, resume, stop, archive or "
                   "unarchive, not `%s`\n",
                   spec.c_str());
      return false;
    }
    d.journey = rest.substr(colon + 1);
    out.push_back(d);
  }
  std::stable_sort(out.begin(), out.end(), [](const Operation& a, const Operation& b) { return a.at < b.at; });
  return true;
}

bool LoadJourney(const std::string& f, const char* self, bc::Module& m, std::string& error) {
  return f.size() > 8 && f.compare(f.size() - 8, 8, ".journey") == 0 ? CompileAndLoad(f, self, m, error) : LoadModule(f, m, error);
}

int Run(const std::vector<std::string>& files, const std::vector<std::string>& deploySpecs,
        const std::vector<std::string>& lifecycleSpecs, const std::string& eventsPath, const std::string& outboxPath,
        const std::string& statsPath, const std::string& csvPath, const std::string& deadLetter, const std::string& scheduleName,
        const std::string& untilText, bool quiet, const char* self, const std::string& restorePath, const std::string& savePath,
        const std::string& dumpPath, const std::optional<StatsDays>& days) {
  std::vector<bc::Module> modules;
  std::vector<std::string> dirs;
  for (const std::string& f : files) {
    bc::Module m;
    std::string error;
    if (!LoadJourney(f, self, m, error)) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return 1;
    }
    modules.push_back(std::move(m));
    dirs.push_back(std::filesystem::path(f).parent_path().string());
  }

  // Every version is compiled and verified before the run starts, so a bad
  // file stops nothing halfway.
  std::vector<Operation> deploys;
  if (!ParseOperations(deploySpecs, lifecycleSpecs, deploys)) return 2;
  for (Operation& d : deploys) {
    if (!d.deploy) continue;
    std::string error;
    if (!LoadJourney(d.file, self, d.module, error)) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return 1;
    }
  }

  // The files written at the end are checked now, so a long run does not
  // end in a report it cannot write.
  for (const std::string* path : {&statsPath, &csvPath, &dumpPath, &savePath}) {
    std::string error;
    if (!path->empty() && !CanCreateFile(*path, error)) {
      std::fprintf(stderr, "journey-vm: error: cannot write %s: %s\n", path->c_str(), error.c_str());
      return 2;
    }
  }

  std::string outboxError;
  std::unique_ptr<OutboxFile> outbox = OutboxFile::Open(outboxPath, outboxError);
  if (!outbox) {
    std::fprintf(stderr, "journey-vm: error: %s\n", outboxError.c_str());
    return 2;
  }
  EngineOptions options;
  options.schedule = scheduleName == "clevertap" ? Schedule::CleverTap : Schedule::Exact;
  auto sink = [&](const OutboxRecord& r) { outbox->put(r); };
  std::unique_ptr<Engine> made;
  if (!restorePath.empty()) {
    // Going on from a snapshot: its journeys, users, timers and clock.
    std::string bytes, error;
    if (!ReadWholeFile(restorePath, bytes, error) || !(made = Engine::Restore(bytes, sink, options, error))) {
      std::fprintf(stderr, "journey-vm: error: %s: %s\n", restorePath.c_str(), error.c_str());
      return 1;
    }
    for (bc::Module& m : modules) {
      if (!made->add(std::move(m), error)) {
        std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
        return 1;
      }
    }
  } else {
    made = std::make_unique<Engine>(std::move(modules), sink, options);
  }
  Engine& engine = *made;
  engine.sendLinesTo(outbox.get());

  events::Options eopts;
  eopts.dead_letter_path = deadLetter;
  uint64_t reported = 0;
  eopts.on_malformed = [&](const events::Malformed& bad) {
    if (++reported <= 20)
      std::fprintf(stderr, "%s:%llu: malformed event: %.*s\n", eventsPath.c_str(), static_cast<unsigned long long>(bad.line),
                   static_cast<int>(bad.reason.size()), bad.reason.data());
    else if (reported == 21)
      std::fprintf(stderr, "%s: further malformed events are counted, not listed\n", eventsPath.c_str());
  };
  // Events are read some way ahead of their turn (the reorder window): the
  // engine loads each one's user meanwhile.
  eopts.on_decoded = [&](const events::Event& e) { engine.prefetchUser(e.user, e.user_hash); };
  std::optional<events::EventSource> source;
  try {
    source.emplace(events::EventSource::open(eventsPath, eopts));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "journey-vm: error: %s\n", e.what());
    return 2;
  }
  engine.expectUsers(source->expected_events());  // at most one new user per event

  bool listsEntered = !restorePath.empty();  // a restored engine entered its lists before
  auto enterLists = [&](int64_t at) {
    listsEntered = true;
    engine.start(at);
    for (size_t j = 0; j < engine.journeyCount(); ++j) {
      const bc::Module& m = engine.module(j);
      if (m.entry.kind != bc::EntryKind::CustomList) continue;
      std::string error;
      std::string path = (std::filesystem::path(dirs[j]) / m.str(m.entry.list)).string();
      std::string text;
      if (!ReadWholeFile(path, text, error)) {
        std::fprintf(stderr, "journey-vm: warning: cannot read custom list %s: %s\n", path.c_str(), error.c_str());
        continue;
      }
      CustomList list;
      EnterCustomList(engine, j, text, at, list);
      for (const std::string& problem : list.problems)
        std::fprintf(stderr, "journey-vm: warning: %s:%s\n", path.c_str(), problem.c_str());
    }
  };

  size_t nextDeploy = 0;
  bool deployFailed = false;
  // Applies the deploys due at or before `t`, each at its own time.
  auto deployUntil = [&](int64_t t) {
    for (; nextDeploy < deploys.size() && deploys[nextDeploy].at <= t; ++nextDeploy) {
      Operation& d = deploys[nextDeploy];
      engine.advanceTo(d.at);
      std::string error;
      if (!d.deploy) {
        if (!engine.setLifecycle(d.journey, d.action, error)) {
          std::fprintf(stderr, "journey-vm: error: --lifecycle %s: %s\n", d.spec.c_str(), error.c_str());
          deployFailed = true;
        } else if (!quiet) {
          std::fprintf(stderr, "journey-vm: %s\n", d.spec.c_str());
        }
        continue;
      }
      Engine::Deployment result = engine.deploy(std::move(d.module), error);
      const char* what = result == Engine::Deployment::Identical    ? "identical, nothing to do"
                         : result == Engine::Deployment::HotPatched ? "content-only: hot-patched, users see it at their next send"
                         : result == Engine::Deployment::NewVersion ? "structural: a new version for new entrants, users in flight stay on theirs"
                                                                    : error.c_str();
      if (result == Engine::Deployment::Rejected) {
        std::fprintf(stderr, "journey-vm: error: deploy %s at %s: %s\n", d.file.c_str(), IsoTime(d.at).c_str(), what);
        deployFailed = true;
      } else if (!quiet) {
        std::fprintf(stderr, "journey-vm: deployed %s at %s: %s\n", d.file.c_str(), IsoTime(d.at).c_str(), what);
      }
    }
  };

  auto started = std::chrono::steady_clock::now();
  bool progress = !quiet && isatty(STDERR_FILENO);
  Event event;
  int64_t last = 0;
  bool any = false;
  try {
    for (events::Event in; source->next(in);) {
      Convert(in, event);
      if (!listsEntered) enterLists(event.time);
      deployUntil(event.time);
      engine.process(event);
      last = std::max(last, event.time);
      any = true;
      uint64_t n = source->counters().released;
      if (progress && n % 1000000 == 0)
        std::fprintf(stderr, "\r%llu events, %zu users inside...", static_cast<unsigned long long>(n), engine.activeInstances());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "journey-vm: error: %s\n", e.what());
    return 2;
  }
  if (progress) std::fprintf(stderr, "\r\x1b[K");
  if (!any && !listsEntered) {
    last = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    enterLists(last);
  }

  int64_t until = last;
  bool drain = false;
  if (!ParseUntil(untilText, last, until, drain)) {
    std::fprintf(stderr, "journey-vm: error: --until takes drain, last-event, +DURATION or an ISO time, not `%s`\n", untilText.c_str());
    return 2;
  }
  deployUntil(drain ? INT64_MAX : until);
  if (drain) {
    // Let every pending timer fire (waits, windows, timeouts), up to a year on.
    int64_t cap = std::max(last, engine.now()) + 366 * 86400;
    while (engine.pendingTimers() > 0 && engine.now() < cap) engine.advanceTo(std::min(cap, engine.now() + 86400));
  } else {
    engine.advanceTo(until);
  }
  if (!outbox->finish(outboxError)) {
    // Sends after the failed write are not in the outbox: the run's
    // results are incomplete, so no snapshot or stats pretend otherwise.
    std::fprintf(stderr, "journey-vm: error: %s\n", outboxError.c_str());
    return 2;
  }
  if (!savePath.empty()) {
    std::string error;
    if (!serve::WriteFileAtomically(savePath, engine.snapshot(), error)) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return 1;
    }
  }
  bool reportsWritten = true;
  auto writeReport = [&](const std::string& path, const std::string& text) {
    std::string error;
    if (serve::WriteFileAtomically(path, text, error)) return;
    std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
    reportsWritten = false;
  };
  if (!dumpPath.empty()) writeReport(dumpPath, engine.dumpState());

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const events::Counters& c = source->counters();
  if (!statsPath.empty()) {
    std::string counters = "{\"read\":" + std::to_string(c.lines - c.blank) + ",\"applied\":" + std::to_string(c.released) +
                           ",\"malformed\":" + std::to_string(c.malformed) + ",\"duplicate\":" + std::to_string(c.duplicates) +
                           ",\"late\":" + std::to_string(c.late) + "}";
    writeReport(statsPath, StatsJson(engine, counters, days));
  }
  if (!csvPath.empty()) writeReport(csvPath, StatsCsv(engine, days));
  if (!quiet) {
    std::fprintf(stderr, "%s", StatsTable(engine, days).c_str());
    std::fprintf(stderr,
                 "events: %llu read, %llu applied, %llu malformed, %llu duplicate, %llu late; %zu users, %zu inside now; "
                 "virtual clock at %s; %.3f s\n",
                 static_cast<unsigned long long>(c.lines - c.blank), static_cast<unsigned long long>(c.released),
                 static_cast<unsigned long long>(c.malformed), static_cast<unsigned long long>(c.duplicates),
                 static_cast<unsigned long long>(c.late), engine.userCount(), engine.activeInstances(),
                 IsoTime(engine.now()).c_str(), seconds);
    for (const std::string& p : engine.problems()) std::fprintf(stderr, "journey-vm: warning: %s\n", p.c_str());
  }
  if (!reportsWritten) return 2;
  return deployFailed ? 1 : 0;
}

}  // namespace
}  // namespace journey::vm

int main(int argc, char** argv) {
  using namespace journey;
  CLI::App app{"journey-vm — runs compiled journeys over event streams"};
  app.require_subcommand(1);
  app.fallthrough(false);
  app.set_version_flag("--version", "journey-vm 0.1.0");

  std::vector<std::string> files, deploys, lifecycle;
  std::string events, outbox, stats, csv, deadLetter, schedule = "exact", until = "drain", restore, save, dump;
  bool quiet = false;
  auto* run = app.add_subcommand("run", "replay an NDJSON event stream through journeys on a virtual clock");
  run->add_option("files", files, "journeys (.journey or .jbc); with --restore, journeys to add to the restored ones");
  run->add_option("--events", events, "NDJSON events (Segment spec), - for stdin")->required();
  run->add_option("--outbox", outbox, "where sends go as NDJSON (default: stdout)");
  run->add_option("--stats", stats, "write statistics as JSON");
  run->add_option("--stats-csv", csv, "write statistics as CSV");
  std::string statsFrom, statsTo;
  auto dayCheck = [](const std::string& text) {
    int64_t day;
    return vm::ParseDay(text, day) ? std::string() : "expected a date YYYY-MM-DD";
  };
  run->add_option("--stats-from", statsFrom, "statistics of the days from this one (YYYY-MM-DD, each journey's local day)")->check(dayCheck);
  run->add_option("--stats-to", statsTo, "statistics of the days up to this one, included (YYYY-MM-DD)")->check(dayCheck);
  run->add_option("--dead-letter", deadLetter, "copy malformed event lines here");
  run->add_option("--schedule", schedule, "exact (timers at their instant) or clevertap (hourly node timeouts)")
      ->check(CLI::IsMember({"exact", "clevertap"}));
  run->add_option("--until", until, "drain (default: until no timer is pending), last-event, +DURATION (e.g. +7d) or an ISO time");
  run->add_flag("-q,--quiet", quiet, "no summary");
  run->add_option("--deploy", deploys,
                  "TIME=FILE: deploy a new version of a running journey at that virtual time (repeatable); content-only "
                  "edits are hot-patched, structural ones become a new version")
      ->allow_extra_args(false);
  run->add_option("--lifecycle", lifecycle,
                  "TIME=ACTION:JOURNEY with ACTION pause, resume, stop, archive or unarchive (repeatable): paused journeys "
                  "take no new users, stopped ones halt")
      ->allow_extra_args(false);

  run->add_option("--restore", restore, "start from this snapshot (journeys, users, timers, clock) instead of afresh");
  run->add_option("--save", save, "write a snapshot of the engine here at the end (see --until)");
  run->add_option("--dump-state", dump, "write where every user is (one sorted line per user and journey) at the end");

  // serve: the durable live engine.
  vm::serve::ServeOptions serveOptions;
  std::vector<std::string> serveFiles;
  std::string clock = "real", sync = "full";
  uint64_t checkpointMb = serveOptions.durable.checkpointBytes >> 20;
  auto* serve = app.add_subcommand("serve", "run journeys live and durably: events over HTTP and stdin, state in a data directory");
  serve->add_option("files", serveFiles, "journeys to add or deploy at start (.journey or .jbc)");
  serve->add_option("--data", serveOptions.dir, "data directory (created when missing)")->required();
  serve->add_option("--listen", serveOptions.listen, "HTTP address host:port (port 0: any free port), or none");
  serve->add_flag("--stdin", serveOptions.readStdin, "also read NDJSON events from stdin");
  serve->add_flag("--exit-at-eof", serveOptions.exitAtEof, "with --stdin: deliver, checkpoint and exit when stdin ends");
  serve->add_option("--clock", clock, "real (default), or events: event timestamps drive the clock")->check(CLI::IsMember({"real", "events"}));
  serve->add_option("--restore", serveOptions.restorePath, "start a new data directory from a snapshot file");
  serve->add_option("--checkpoint-every", serveOptions.durable.checkpointEvery, "journal rows between snapshots (default 200000; 0: no limit)");
  serve->add_option("--checkpoint-mb", checkpointMb,
                    "MiB of journal between snapshots, at least the last snapshot's size (default 64; 0: no limit)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 30));
  std::string dedupWindow;  // empty: the clock's default
  int64_t dedupSeconds = 0;  // dedupWindow read by its check
  serve->add_option("--dedup-window", dedupWindow,
                    "how long (engine time) a consumed messageId is remembered at least, e.g. 24h or 7d (default 7d with "
                    "--clock real, for good with --clock events; 0: for good)")
      ->check([&dedupSeconds](const std::string& text) {
        return vm::ParseSpan(text, dedupSeconds) ? std::string() : "expected a span such as 24h, 7d or 2w, or 0";
      });
  serve->add_option("--sync", sync, "full (default: every commit survives power loss) or normal (survives process crashes)")
      ->check(CLI::IsMember({"full", "normal"}));
  serve->add_option("--outbox-file", serveOptions.sender.outboxFile, "where non-webhook sends are delivered (default DATA/outbox.ndjson)");
  serve->add_option("--provider-command", serveOptions.sender.providerCommand,
                    "deliver non-webhook sends by piping them (NDJSON) to this shell command");
  serve->add_option("--webhook-allow", serveOptions.sender.webhookAllow, "hosts webhooks may call (host, host:port or *.domain; repeatable)")
      ->allow_extra_args(false);  // one host per flag: journeys may follow it
  serve->add_option("--webhook-timeout-ms", serveOptions.sender.webhookTimeoutMs, "webhook timeout unless the node sets one (default 10000)");
  serve->add_flag("-q,--quiet", serveOptions.quiet, "no start and stop messages");
  serve->add_option("--schedule", schedule, "exact or clevertap")->check(CLI::IsMember({"exact", "clevertap"}));

  std::string url = "http://127.0.0.1:8787";
  std::vector<std::string> ctlArgs;
  auto* ctl = app.add_subcommand("ctl", "talk to a running serve: events FILE, deploy FILE, list NAME FILE, pause|resume|stop|archive|unarchive NAME, stats [FROM [TO]] [--format csv|table], state, snapshot [PATH], advance TIME, shutdown");
  ctl->add_option("--url", url, "the server (default http://127.0.0.1:8787)");
  std::string ctlFormat;
  ctl->add_option("--format", ctlFormat, "ctl stats: json (default), csv or table")->check(CLI::IsMember({"json", "csv", "table"}));
  ctl->add_option("command", ctlArgs, "command and its arguments")->required();

  std::string dataDir, snapshotOut;
  auto* snapshotCmd = app.add_subcommand("snapshot", "write the engine of a data directory (no server running on it) as a snapshot file");
  snapshotCmd->add_option("--data", dataDir, "data directory")->required();
  snapshotCmd->add_option("-o,--output", snapshotOut, "snapshot file")->required();
  bool stateStats = false;
  auto* stateCmd = app.add_subcommand("state", "print where every user of a data directory is (or --stats)");
  stateCmd->add_option("--data", dataDir, "data directory")->required();
  stateCmd->add_flag("--stats", stateStats, "statistics as JSON instead");

  std::string jbc;
  auto* verify = app.add_subcommand("verify", "load and verify a .jbc file");
  verify->add_option("file", jbc, ".jbc file")->required();
  auto* disasm = app.add_subcommand("disasm", "print the listing of a .jbc file");
  disasm->add_option("file", jbc, ".jbc file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*run) {
    if (files.empty() && restore.empty()) {
      std::fprintf(stderr, "journey-vm: error: run needs journeys to run (or --restore SNAPSHOT)\n");
      return 2;
    }
    std::optional<vm::StatsDays> days;
    std::string error;
    auto given = [](const std::string& flag) { return flag.empty() ? std::nullopt : std::optional<std::string_view>(flag); };
    if (!vm::ParseStatsDays(given(statsFrom), given(statsTo), "--stats-from", "--stats-to", days, error)) {
      std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
      return 2;
    }
    return vm::Run(files, deploys, lifecycle, events, outbox, stats, csv, deadLetter, schedule, until, quiet, argv[0], restore, save, dump,
                   days);
  }
  if (*serve) {
    for (const std::string& f : serveFiles) {
      bc::Module m;
      std::string error;
      if (!vm::LoadJourney(f, argv[0], m, error)) {
        std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
        return 1;
      }
      serveOptions.journeys.push_back(std::move(m));
      serveOptions.journeyDirs.push_back(std::filesystem::path(f).parent_path().string());
    }
    serveOptions.virtualClock = clock == "events";
    serveOptions.durable.sync = sync == "normal" ? vm::serve::Sync::Normal : vm::serve::Sync::Full;
    serveOptions.durable.checkpointBytes = checkpointMb << 20;
    // A replay (--clock events) is fed its whole input again after a stop,
    // however old its first events are: it keeps every id unless told.
    if (!dedupWindow.empty()) serveOptions.durable.dedupWindowSeconds = dedupSeconds;
    else if (serveOptions.virtualClock) serveOptions.durable.dedupWindowSeconds = 0;
    serveOptions.durable.engine.schedule = schedule == "clevertap" ? vm::Schedule::CleverTap : vm::Schedule::Exact;
    return vm::serve::Serve(std::move(serveOptions));
  }
  if (*ctl) {
    bc::Module m;
    if (ctlArgs[0] == "deploy") {
      std::string error;
      if (ctlArgs.size() < 2 || !vm::LoadJourney(ctlArgs[1], argv[0], m, error)) {
        std::fprintf(stderr, "journey-vm: error: %s\n", ctlArgs.size() < 2 ? "ctl deploy needs a journey file" : error.c_str());
        return ctlArgs.size() < 2 ? 2 : 1;
      }
    }
    return vm::serve::Control(url, ctlArgs, &m, ctlFormat);
  }
  if (*snapshotCmd) return vm::serve::SnapshotStore(dataDir, snapshotOut);
  if (*stateCmd) return vm::serve::DumpStore(dataDir, stateStats);
  bc::Module m;
  std::string error;
  if (!vm::LoadModule(jbc, m, error)) {
    std::fprintf(stderr, "journey-vm: error: %s\n", error.c_str());
    return 1;
  }
  if (*disasm) std::fputs(bc::Disassemble(m).c_str(), stdout);
  else std::printf("%s: ok (%zu instructions, %zu nodes)\n", jbc.c_str(), m.code.size(), m.nodes.size());
  return 0;
}
