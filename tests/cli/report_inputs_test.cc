// The report-side commands (report, html, figures, compare) read results
// wherever they lie among other files: they report every good result, warn
// once per file they skip, and exit 1 when a file that claims to be a result
// could not be read.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.h"

namespace ngbench::testing {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(NGBENCH_SOURCE_DIR) + "/tests/report/fixtures/results/";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// results/: three good results in subdirectories, and beside them a Chrome
// trace, a fusion study summary, an ORT profile, a truncated result, a file
// that is not JSON, a raw trace in the tool's raw/ folder and CSV files.
class StrayFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() + "/results";
    fs::create_directories(root_ + "/a");
    fs::copy_file(kFixtures + "gpt2-fixture__eager__cpu__float32__b1__s32.json", root_ + "/a/gpt2.json");
    write_text(root_ + "/b/nested/bert.json", read_text(kFixtures + "bert-fixture__eager__cpu__float32__b1__s32.json"));
    write_text(root_ + "/fusion/fused/vit.json", read_text(kFixtures + "vit-fixture__eager__cpu__float32__b1__s0.json"));
    const auto trace = run_ngbench("trace " + root_ + "/a/gpt2.json --out " + root_ + "/a/trace.json");
    ASSERT_EQ(trace.status, 0) << trace.err;
    write_text(root_ + "/fusion/vit.fusion.json", R"({"schema_version": 2, "kind": "ngbench-fusion", "model": "vit"})");
    write_text(root_ + "/ort/vit.ort-profile.json", R"([{"cat": "Session", "name": "model_run", "ph": "X"}])");
    const std::string swin = read_text(kFixtures + "swin-fixture__eager__cpu__float32__b1__s0.json");
    write_text(root_ + "/b/truncated.json", swin.substr(0, swin.size() / 2));
    write_text(root_ + "/notes.json", "not JSON at all\n");
    write_text(root_ + "/raw/gpt2.raw.json", R"({"schema_version": 1, "records": [], "iterations": []})");
    write_text(root_ + "/a/gpt2.groups.csv", "model,flow\n");
  }
  // Every stderr line is a warning naming one skipped file, each file once.
  static void expect_warnings(const std::string& err, const std::vector<std::string>& files) {
    const auto lines = lines_of(err);
    ASSERT_EQ(lines.size(), files.size()) << err;
    for (const auto& f : files) {
      const auto n = std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
        return l.rfind("ngbench: warning: skipped ", 0) == 0 && l.find(f + ": ") != std::string::npos;
      });
      EXPECT_EQ(n, 1) << f << " in\n" << err;
    }
  }
  const std::vector<std::string> strays_{"a/trace.json", "fusion/vit.fusion.json", "ort/vit.ort-profile.json",
                                         "notes.json"};
  TempDir dir_{"cli-stray"};
  std::string root_;
};

TEST_F(StrayFiles, ReportShowsEveryGoodResultAndExits1ForATruncatedOne) {
  const auto o = run_ngbench("report " + root_);
  EXPECT_EQ(o.status, 1);
  for (const char* m : {"== gpt2-fixture", "== bert-fixture", "== vit-fixture"}) {
    EXPECT_NE(o.out.find(m), std::string::npos) << m;
  }
  auto expected = strays_;
  expected.push_back("b/truncated.json");
  expect_warnings(o.err, expected);
  EXPECT_NE(o.err.find("truncated.json: malformed JSON"), std::string::npos);
}

TEST_F(StrayFiles, FilesThatAreNotResultsOnlyWarn) {
  fs::remove(root_ + "/b/truncated.json");
  const auto o = run_ngbench("report " + root_ + " --kind workload");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("gpt2-fixture"), std::string::npos);
  expect_warnings(o.err, strays_);
}

TEST_F(StrayFiles, EveryReaderCommandTakesThem) {
  const std::string out = dir_.path() + "/out";
  const auto html = run_ngbench("html " + root_ + " --out " + out + "/report.html");
  EXPECT_EQ(html.status, 1) << html.err;
  EXPECT_NE(html.out.find("(3 result file(s))"), std::string::npos) << html.out;
  EXPECT_TRUE(fs::exists(out + "/report.html"));
  const auto figures = run_ngbench("figures " + root_ + " --out " + out + "/figures");
  EXPECT_EQ(figures.status, 1) << figures.err;
  EXPECT_NE(figures.out.find("from 3 successful run(s)"), std::string::npos) << figures.out;
  fs::remove(root_ + "/b/truncated.json");
  const auto compare = run_ngbench("compare " + root_ + " " + root_);
  EXPECT_EQ(compare.status, 0) << compare.err;
  EXPECT_NE(compare.out.find("== A: gpt2-fixture"), std::string::npos);
  EXPECT_NE(compare.out.find("== A: vit-fixture"), std::string::npos);
  EXPECT_EQ(lines_of(compare.err).size(), 2 * strays_.size()) << compare.err;  // each side warns
}

TEST_F(StrayFiles, SeveralDirectoriesAndFiles) {
  const auto o = run_ngbench("report " + root_ + "/a " + root_ + "/b/nested " + root_ + "/fusion/fused/vit.json");
  EXPECT_EQ(o.status, 0) << o.err;
  for (const char* m : {"== gpt2-fixture", "== bert-fixture", "== vit-fixture"}) {
    EXPECT_NE(o.out.find(m), std::string::npos) << m;
  }
  expect_warnings(o.err, {"a/trace.json"});
  // Compare: more paths per side with -A / -B.
  const auto c = run_ngbench("compare -A " + root_ + "/a -A " + root_ + "/b/nested -B " + root_ + "/a -B " + root_ +
                             "/b/nested");
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.out.find("== A: bert-fixture"), std::string::npos);
  EXPECT_NE(c.out.find("== A: gpt2-fixture"), std::string::npos);
}

TEST_F(StrayFiles, NoResultAtAllIsBadInput) {
  const auto o = run_ngbench("report " + root_ + "/ort " + root_ + "/b/truncated.json");
  EXPECT_EQ(o.status, 2);
  const auto lines = lines_of(o.err);
  ASSERT_EQ(lines.size(), 3u) << o.err;  // two warnings, then the error
  EXPECT_EQ(lines[2].rfind("ngbench: error: no result files in ", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find("2 file(s) skipped"), std::string::npos) << lines[2];
  const auto c = run_ngbench("compare " + root_ + "/a");
  EXPECT_EQ(c.status, 2);
  EXPECT_NE(c.err.find("needs a baseline and a candidate"), std::string::npos) << c.err;
}

}  // namespace
}  // namespace ngbench::testing
