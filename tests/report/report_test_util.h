#pragma once
// Helpers shared by the multi-run report tests.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report/result_files.h"

namespace ngbench::report::testing {

inline std::string fixture_dir(const std::string& name) {
  return std::string(NGBENCH_SOURCE_DIR) + "/tests/report/fixtures/" + name;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the temp dir, removed on destruction unless
// NGBENCH_KEEP_TEST_OUTPUT is set (then its path is printed).
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() / ("ngbench-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    if (std::getenv("NGBENCH_KEEP_TEST_OUTPUT")) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ngbench::report::testing
