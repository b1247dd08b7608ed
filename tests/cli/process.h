#pragma once
// Runs the ngbench binary in a shell and captures its exit status and output.
#include <string>

namespace ngbench::testing {

struct Output {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `ngbench <args>` (args are passed to /bin/sh as written); in `dir` when given.
Output run_ngbench(const std::string& args, const std::string& dir = "");

// The one file in `dir` whose name ends with `suffix` (e.g. ".json"): its path,
// or "" when there is none or more than one.
std::string only_file(const std::string& dir, const std::string& suffix);

// A fresh empty temporary directory, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ngbench::testing
