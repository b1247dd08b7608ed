// No output option of a report-side command (report, html, figures, compare,
// trace) writes over one of its inputs or over a result: one error line
// naming the file, exit status 2, nothing written, every file as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "process.h"

namespace ngbench::testing {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(NGBENCH_SOURCE_DIR) + "/tests/report/fixtures/";
const std::string kGpt2 = "gpt2-fixture__eager__cpu__float32__b1__s32.json";
const std::string kBert = "bert-fixture__eager__cpu__float32__b1__s32.json";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every file under `dir` with its content.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[e.path().string()] = read_text(e.path().string());
  }
  return out;
}

class OutputsNeverReplaceInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    results_ = dir_.path() + "/results";
    other_ = dir_.path() + "/other";
    fs::create_directories(results_);
    fs::create_directories(other_);
    fs::copy_file(kFixtures + "results/" + kGpt2, results_ + "/" + kGpt2);
    fs::copy_file(kFixtures + "results/" + kBert, results_ + "/" + kBert);
    fs::copy_file(kFixtures + "compare/base.json", other_ + "/base.json");
    fs::copy_file(kFixtures + "compare/repeat.json", other_ + "/repeat.json");
  }
  // `args` is refused: exit 2, one error line naming `file`, no stdout, no file changed or added.
  void expect_refused(const std::string& args, const std::string& file) {
    SCOPED_TRACE(args);
    const auto before = snapshot(dir_.path());
    const auto o = run_ngbench(args);
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.err.rfind("ngbench: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find("'" + file + "'"), std::string::npos) << o.err;
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(snapshot(dir_.path()), before);
  }
  TempDir dir_{"cli-outputs"};
  std::string results_, other_;
};

TEST_F(OutputsNeverReplaceInputs, Trace) {
  const std::string r = results_ + "/" + kGpt2;
  expect_refused("trace " + r + " --out " + r, r);
  expect_refused("trace " + r + " --out " + results_ + "/" + kBert, results_ + "/" + kBert);
  // The same file by another path.
  expect_refused("trace " + r + " --out " + results_ + "/../results/" + kGpt2, results_ + "/../results/" + kGpt2);
}

TEST_F(OutputsNeverReplaceInputs, Compare) {
  const std::string a = other_ + "/base.json", b = other_ + "/repeat.json";
  expect_refused("compare " + a + " " + b + " --json " + b, b);
  expect_refused("compare " + results_ + " " + results_ + " --json " + results_ + "/" + kBert,
                 results_ + "/" + kBert);
  expect_refused("compare " + a + " " + b + " --json " + results_ + "/" + kGpt2, results_ + "/" + kGpt2);
}

TEST_F(OutputsNeverReplaceInputs, Report) {
  const std::string r = results_ + "/" + kGpt2;
  expect_refused("report " + results_ + " --format csv --out " + r, r);
  expect_refused("report " + results_ + " --kind workload --out " + r, r);
  expect_refused("report " + results_ + " --out " + other_ + "/base.json", other_ + "/base.json");
}

TEST_F(OutputsNeverReplaceInputs, Html) {
  expect_refused("html " + results_ + " --out " + results_ + "/" + kGpt2, results_ + "/" + kGpt2);
  expect_refused("html " + results_ + " --out " + other_ + "/base.json", other_ + "/base.json");
}

TEST_F(OutputsNeverReplaceInputs, Figures) {
  // A result file as the figure directory.
  const auto o = run_ngbench("figures " + results_ + " --out " + results_ + "/" + kGpt2);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find(kGpt2), std::string::npos) << o.err;
  EXPECT_EQ(read_text(results_ + "/" + kGpt2), read_text(kFixtures + "results/" + kGpt2));
  // A result named like a file figures writes, given as an input, in the figure directory.
  fs::copy_file(kFixtures + "results/" + kBert, other_ + "/index.md");
  expect_refused("figures " + other_ + "/index.md --out " + other_, other_ + "/index.md");
}

TEST_F(OutputsNeverReplaceInputs, OtherOutputsAreWritten) {
  const auto before = snapshot(results_);
  const auto csv = run_ngbench("report " + results_ + " --format csv --out " + results_ + "/breakdown.csv");
  EXPECT_EQ(csv.status, 0) << csv.err;
  const auto html = run_ngbench("html " + results_ + " --out " + results_ + "/report.html");
  EXPECT_EQ(html.status, 0) << html.err;
  const auto trace = run_ngbench("trace " + results_ + "/" + kGpt2 + " --out " + results_ + "/trace.json");
  EXPECT_EQ(trace.status, 0) << trace.err;
  // A trace is no result: writing over it again is allowed, and readers skip it with a warning.
  EXPECT_EQ(run_ngbench("trace " + results_ + "/" + kGpt2 + " --out " + results_ + "/trace.json").status, 0);
  for (const auto& [path, text] : before) EXPECT_EQ(read_text(path), text) << path;
  EXPECT_TRUE(fs::exists(results_ + "/breakdown.csv"));
  EXPECT_TRUE(fs::exists(results_ + "/report.html"));
}

}  // namespace
}  // namespace ngbench::testing
