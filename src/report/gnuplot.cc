#include "report/gnuplot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "core/error.h"

namespace ngbench::report {

namespace fs = std::filesystem;

namespace {

bool is_executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string first_error_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, first;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t^") == std::string::npos) continue;
    if (first.empty()) first = line;
    // gnuplot prints the offending script line, then the error; prefer the error.
    if (line.find("error") != std::string::npos || line.find("line ") != std::string::npos) return line;
  }
  return first.empty() ? "no message" : first;
}

}  // namespace

std::string find_gnuplot() {
  if (const char* env = std::getenv("NGBENCH_GNUPLOT"); env && *env) {
    if (!is_executable(env)) {
      throw Error(fmt::format("NGBENCH_GNUPLOT='{}' is not an executable file (install the Debian package "
                              "gnuplot-nox, or unset NGBENCH_GNUPLOT)", env));
    }
    return env;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "gnuplot";
    if (is_executable(candidate)) return candidate.string();
  }
  throw Error("gnuplot not found on PATH; figures need it: apt-get install gnuplot-nox (Debian package gnuplot-nox)");
}

void run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::string& script) {
  int err_pipe[2];
  if (::pipe(err_pipe) != 0) throw Error(fmt::format("cannot run gnuplot: pipe: {}", std::strerror(errno)));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    throw Error(fmt::format("cannot run gnuplot: fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, STDIN_FILENO);
      ::dup2(devnull, STDOUT_FILENO);
    }
    if (::chdir(dir.c_str()) != 0) _exit(126);
    ::execl(gnuplot.c_str(), gnuplot.c_str(), script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(err_pipe[1]);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = ::read(err_pipe[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    err.append(buf, static_cast<size_t>(n));
  }
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    throw Error(fmt::format("cannot execute '{}' (install the Debian package gnuplot-nox)", gnuplot));
  }
  throw Error(fmt::format("gnuplot failed on {}/{}: {}", dir, script, first_error_line(err)));
}

std::string gnuplot_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out + "'";
}

}  // namespace ngbench::report
