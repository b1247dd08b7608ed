#include "process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ngbench::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Output run_ngbench(const std::string& args, const std::string& dir) {
  static int counter = 0;
  const std::string base =
      (fs::temp_directory_path() / ("ngbench-cli-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
          .string();
  const std::string cd = dir.empty() ? "" : "cd '" + dir + "' && ";
  const std::string cmd = cd + std::string(NGBENCH_BINARY) + " " + args + " >" + base + ".out 2>" + base + ".err";
  Output o;
  const int rc = std::system(cmd.c_str());
  o.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  o.out = slurp(base + ".out");
  o.err = slurp(base + ".err");
  fs::remove(base + ".out");
  fs::remove(base + ".err");
  return o;
}

std::string only_file(const std::string& dir, const std::string& suffix) {
  std::string found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    if (!found.empty()) return "";
    found = e.path().string();
  }
  return found;
}

TempDir::TempDir(const std::string& tag) {
  path_ = (fs::temp_directory_path() / ("ngbench-" + tag + "-" + std::to_string(getpid()))).string();
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() { fs::remove_all(path_); }

}  // namespace ngbench::testing
