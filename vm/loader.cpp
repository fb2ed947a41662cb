// loader.cpp — file reading, verification and the journeyc hand-off.
#include "vm/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "bytecode/format.h"
#include "bytecode/verify.h"

namespace journey::vm {

bool ReadWholeFile(const std::string& path, std::string& out, std::string& error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot open (") + std::strerror(errno) + ")";
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    error = "it is a directory";
    return false;
  }
  out.clear();
  if (st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("cannot read (") + std::strerror(errno) + ")";
      close(fd);
      return false;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return true;
}

bool CanCreateFile(const std::string& path, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  if (fs::exists(path, ec)) {  // replaced or, if it is a device or a link, written through
    if (access(path.c_str(), W_OK) == 0) return true;
    error = std::strerror(errno);
    return false;
  }
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) {
    error = "there is no directory " + dir.string();
    return false;
  }
  if (access(dir.c_str(), W_OK) != 0) {
    error = "cannot create files in " + dir.string() + " (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

bool LoadModule(const std::string& path, bc::Module& out, std::string& error) {
  std::string text;
  if (!ReadWholeFile(path, text, error)) {
    error = path + ": " + error;
    return false;
  }
  std::vector<uint8_t> bytes(text.begin(), text.end());
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
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // journeyc exits 1 for a journey with errors and 2 for a file it cannot
    // read; either way it has said why on stderr already.
    error = code == 127 ? "cannot run journeyc (build it, or put it on PATH)"
            : code == 1 ? journeyPath + ": does not compile (see the diagnostics above)"
            : code == 2 ? journeyPath + ": cannot be read (see journeyc's message above)"
                        : journeyPath + ": journeyc failed (exit " + std::to_string(code) + ", see above)";
    return false;
  }
  bool ok = LoadModule(jbc, out, error);
  fs::remove(jbc, ec);
  return ok;
}

}  // namespace journey::vm
