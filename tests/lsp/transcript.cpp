// transcript.cpp — runs one JSON-RPC transcript through `journeyc lsp`.
//
//   lsp_transcript JOURNEYC CASES_DIR NAME WORK_DIR [--update]
//
// CASES_DIR/NAME.in.jsonl holds the client's messages, one JSON object a
// line; a string value "@file:data/x.journey" is replaced by that file's
// text so fixtures stay readable. The runner frames them with
// Content-Length headers into one input file (so the whole burst is queued
// at once, as when an editor outpaces the server), runs the server on it
// and compares every message the server wrote, as JSON values, with
// NAME.expected.jsonl. The last expected line is {"exitCode": N}.
// --update rewrites the expected file from the actual output.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Substitute(json& j, const fs::path& dir) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.rfind("@file:", 0) == 0) j = ReadFile(dir / s.substr(6));
  } else if (j.is_structured()) {
    for (auto& item : j) Substitute(item, dir);
  }
}

std::vector<json> ReadLines(const fs::path& p) {
  std::vector<json> out;
  std::istringstream in(ReadFile(p));
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(json::parse(line));
  return out;
}

// Splits the server's output into message bodies.
std::vector<json> Unframe(const std::string& out) {
  std::vector<json> messages;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t header = out.find("\r\n\r\n", pos);
    if (header == std::string::npos) throw std::runtime_error("trailing bytes after the last message");
    size_t cl = out.find("Content-Length: ", pos);
    if (cl == std::string::npos || cl > header) throw std::runtime_error("message without Content-Length");
    size_t length = std::stoul(out.substr(cl + 16, header - cl - 16));
    messages.push_back(json::parse(out.substr(header + 4, length)));
    pos = header + 4 + length;
  }
  return messages;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: lsp_transcript JOURNEYC CASES_DIR NAME WORK_DIR [--update]\n");
    return 2;
  }
  const std::string journeyc = argv[1], name = argv[3];
  const fs::path cases = argv[2], work = argv[4];
  const bool update = argc > 5 && std::string(argv[5]) == "--update";
  try {
    fs::create_directories(work);
    std::string framed;
    for (json message : ReadLines(cases / (name + ".in.jsonl"))) {
      Substitute(message, cases);
      std::string body = message.dump();
      framed += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    const fs::path in = work / (name + ".in"), out = work / (name + ".out");
    std::ofstream(in, std::ios::binary) << framed;
    std::string command = "'" + journeyc + "' lsp < '" + in.string() + "' > '" + out.string() + "'";
    int status = std::system(command.c_str());
    std::vector<json> actual = Unframe(ReadFile(out));
    actual.push_back({{"exitCode", WIFEXITED(status) ? WEXITSTATUS(status) : -1}});

    const fs::path expectedPath = cases / (name + ".expected.jsonl");
    if (update) {
      std::ofstream w(expectedPath, std::ios::binary);
      for (const json& m : actual) w << m.dump() << "\n";
      std::printf("updated %s\n", expectedPath.c_str());
      return 0;
    }
    std::vector<json> expected = ReadLines(expectedPath);
    for (size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
      if (i < actual.size() && i < expected.size() && actual[i] == expected[i]) continue;
      std::printf("%s: message %zu differs\n  expected: %s\n  actual:   %s\n", name.c_str(), i + 1,
                  i < expected.size() ? expected[i].dump().c_str() : "(none)",
                  i < actual.size() ? actual[i].dump().c_str() : "(none)");
      return 1;
    }
    std::printf("%s: %zu messages match\n", name.c_str(), actual.size());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
    return 1;
  }
}
