// loader.cpp — file reading, verification and the journeyc hand-off.
#include "vm/loader.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bytecode/format.h"
#include "bytecode/verify.h"

namespace journey::vm {

bool LoadModule(const std::string& path, bc::Module& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string why;
  if (!bc::Read(bytes, out, why)) {
    error = path + ": " + why;
    return false;
  }
  std::vector<std::string> problems = bc::Verify(out);
  if (!problems.empty()) {
    error = path + ": rejected by the verifier: " + problems[0];
    if (problems.size() > 1) error += " (and " + std::to_string(problems.size() - 1) + " more)";
    return false;
  }
  return true;
}

bool CompileAndLoad(const std::string& journeyPath, const std::string& selfPath, bc::Module& out, std::string& error) {
  namespace fs = std::filesystem;
  std::string journeyc = "journeyc";
  std::error_code ec;
  fs::path self = fs::weakly_canonical(fs::path(selfPath), ec);
  for (fs::path candidate : {self.parent_path() / "journeyc", self.parent_path().parent_path() / "compiler" / "journeyc"})
    if (fs::exists(candidate, ec)) {
      journeyc = candidate.string();
      break;
    }
  char tmpl[] = "/tmp/journey-vm-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) {
    error = "cannot create a temporary file";
    return false;
  }
  close(fd);
  std::string jbc = tmpl;
  pid_t pid = fork();
  if (pid == 0) {
    execlp(journeyc.c_str(), journeyc.c_str(), "compile", journeyPath.c_str(), "-o", jbc.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fs::remove(jbc, ec);
    error = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "cannot run journeyc (build it, or put it on PATH)"
                                                            : journeyPath + ": does not compile (see the diagnostics above)";
    return false;
  }
  bool ok = LoadModule(jbc, out, error);
  fs::remove(jbc, ec);
  return ok;
}

}  // namespace journey::vm
