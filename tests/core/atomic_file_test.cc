#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ngbench {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ngbench-atomic-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAndReplacesWithoutLeavingTemporaries) {
  const auto p = dir_ / "r.json";
  write_file_atomically(p.string(), "first");
  write_file_atomically(p.string(), "second");
  EXPECT_EQ(read(p), "second");
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFileTest, FailureLeavesTheOldFileAndNamesThePath) {
  const auto p = dir_ / "missing-subdir" / "r.json";
  try {
    write_file_atomically(p.string(), "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing-subdir/r.json"), std::string::npos);
  }
}

TEST_F(AtomicFileTest, EnsureWritableDirCreatesParents) {
  const auto d = dir_ / "a" / "b";
  ensure_writable_dir(d.string());
  EXPECT_TRUE(fs::is_directory(d));
  EXPECT_TRUE(fs::is_empty(d));  // the write probe is removed
}

TEST_F(AtomicFileTest, EnsureWritableDirRejectsAFile) {
  const auto f = dir_ / "file";
  write_file_atomically(f.string(), "x");
  EXPECT_THROW(ensure_writable_dir(f.string()), Error);
  EXPECT_THROW(ensure_writable_dir((f / "sub").string()), Error);
}

}  // namespace
}  // namespace ngbench
