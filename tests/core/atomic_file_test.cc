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

namespace ngbench {
namespace {

TEST(OrphanedTempFiles, OnlyThoseOfDeadWritersAreRemoved) {
  const auto dir = std::filesystem::temp_directory_path() / ("ngbench-orphans-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // A pid far above any the kernel hands out (pid_max is at most 2^22) is dead.
  std::ofstream(dir / "a.json.tmp.99999999") << "half";
  std::ofstream(dir / ("b.json.tmp." + std::to_string(getpid()))) << "mine, being written";
  std::ofstream(dir / "c.json.tmp.1") << "init's: alive";
  std::ofstream(dir / "d.json") << "a result";
  std::ofstream(dir / "e.tmp.x1") << "not a pid";
  EXPECT_EQ(remove_orphaned_temp_files(dir.string()), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "a.json.tmp.99999999"));
  for (const char* kept : {"d.json", "e.tmp.x1", "c.json.tmp.1"}) EXPECT_TRUE(std::filesystem::exists(dir / kept));
  EXPECT_EQ(remove_orphaned_temp_files((dir / "missing").string()), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ngbench
