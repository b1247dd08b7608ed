#pragma once
// Runs the ngbench binary in a shell and captures its exit status and output.
#include <string>

namespace ngbench::testing {

struct Output {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `ngbench <args>` (args are passed to /bin/sh as written).
Output run_ngbench(const std::string& args);

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
