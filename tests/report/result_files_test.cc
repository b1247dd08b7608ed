#include "report/result_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.h"
#include "fixtures.h"
#include "report/fusion_study.h"
#include "report/json_reporter.h"
#include "report/raw_trace_json.h"
#include "report/result_json.h"
#include "report/trace_export.h"

namespace ngbench::report {
namespace {

namespace fs = std::filesystem;

class ResultFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ngbench-results-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string error_loading() {
    try {
      load_results(dir_.string());
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ResultFilesTest, StemNamesTheConfiguration) {
  RunConfig c;
  c.model = "gpt2";
  c.flow = "eager";
  c.batch = 8;
  c.seq_len = 128;
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128");
  c.layers = 4;
  c.attention = "sdpa";  // the default: no suffix
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__l4");
  c.attention = "eager";
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__l4__attn-eager");
}

TEST_F(ResultFilesTest, WritesAndLoadsBack) {
  JsonReporter rep(dir_.string());
  rep.report(testing::sample_result());
  const auto loaded = load_results(dir_.string());
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].result.config.model, "gpt2-tiny");
}

TEST_F(ResultFilesTest, AFailedRunNeverReplacesAGoodResult) {
  JsonReporter rep(dir_.string());
  RunResult good = testing::sample_result();
  rep.report(good);
  RunResult failed = good;
  failed.status = "failed";
  failed.error = "out of memory";
  rep.report(failed);
  const auto ok = load_result((dir_ / (result_stem(good.config) + ".json")).string());
  EXPECT_EQ(ok.status, "ok");
  EXPECT_TRUE(fs::exists(dir_ / (result_stem(good.config) + ".failed.json")));
  rep.report(good);  // a later success clears the failure
  EXPECT_FALSE(fs::exists(dir_ / (result_stem(good.config) + ".failed.json")));
}

TEST_F(ResultFilesTest, TruncatedFilesGiveAnErrorNamingTheFile) {
  const std::string text = to_json(testing::sample_result()).dump();
  for (size_t cut : {size_t{0}, size_t{1}, text.size() / 3, text.size() - 1}) {
    std::ofstream(dir_ / "r.json") << text.substr(0, cut);
    const auto msg = error_loading();
    EXPECT_NE(msg.find("r.json"), std::string::npos) << cut;
  }
  // Cut after its first section, a result is still recognized as one: a broken result.
  for (size_t cut : {text.size() / 3, text.size() - 1}) {
    std::ofstream(dir_ / "r.json") << text.substr(0, cut);
    const FileVerdict v = read_result_file((dir_ / "r.json").string());
    EXPECT_EQ(v.kind, FileKind::kBrokenResult) << cut;
    EXPECT_NE(v.reason.find("malformed JSON at byte"), std::string::npos) << v.reason;
  }
  std::ofstream(dir_ / "r.json") << R"({"schema_version": 1})";
  EXPECT_NE(error_loading().find("not an ngbench result"), std::string::npos);
  EXPECT_EQ(read_result_file((dir_ / "r.json").string()).kind, FileKind::kBrokenResult);
  std::ofstream(dir_ / "r.json") << R"({"schema_version": 3, "status": "ok"})";
  EXPECT_NE(error_loading().find("schema_version 3 is not supported"), std::string::npos);
  // A number beyond double's range: malformed, not an escaping json::out_of_range (fuzz/).
  std::ofstream(dir_ / "r.json") << R"({"schema_version": 2, "latency_ms": -1e999})";
  EXPECT_NE(error_loading().find("r.json: malformed JSON ("), std::string::npos);
  // A float where an integer belongs, beyond any integer's range: refused, never cast (the campaign's raw-trace case).
  auto huge = to_json(testing::sample_result());
  huge["config"]["batch"] = 1.8e31;
  std::ofstream(dir_ / "r.json") << huge.dump();
  EXPECT_NE(error_loading().find("r.json: a number beyond 2^63"), std::string::npos);
}

TEST_F(ResultFilesTest, MissingOrEmptyDirectoriesAreErrors) {
  EXPECT_NE(error_loading().find("no result files"), std::string::npos);
  EXPECT_THROW(load_results((dir_ / "nope").string()), Error);
  EXPECT_THROW(scan_results({(dir_ / "nope").string()}), Error);
  EXPECT_TRUE(scan_results({dir_.string()}).results.empty());  // no result is for the caller to judge
}

// A results tree as users keep it: results in subdirectories, and beside them
// what other commands write (a Chrome trace, a fusion study, ORT profiles, raw
// traces, CSV files), a truncated result and a file that is not JSON.
class StrayFilesTest : public ResultFilesTest {
 protected:
  void SetUp() override {
    ResultFilesTest::SetUp();
    RunResult a = testing::sample_result();
    RunResult b = a;
    b.config.batch = 8;
    RunResult c = a;
    c.config.flow = "ort";
    write("a.json", to_json(a).dump(1));
    write("nested/deeper/b.json", to_json(b).dump(1));
    write("fusion/fused/c.json", to_json(c).dump(1));
    write("a.groups.csv", "model,flow\n");
    write("trace.json", chrome_trace(a).dump());
    FusionStudyRow row{{"unfused", a, "unfused/a.json"}, {"fused", c, "fused/c.json"}};
    write("fusion/c.fusion.json", fusion_study_json(row, "ngbench fusion").dump(1));
    ModelStudy study{{{"eager", "", a, "a.json"}, {"ort", "fused", c, "fusion/fused/c.json"}}};
    write("study/a.study.json", model_study_json(study, "ngbench fusion --flows eager,ort").dump(1));
    write("ort/c.ort-profile.json", R"([{"cat": "Session", "name": "model_loading_uri", "ph": "X", "ts": 1}])");
    const std::string text = to_json(b).dump(1);
    write("nested/truncated.json", text.substr(0, text.size() / 2));
    write("notes.json", "these are notes, not JSON\n");
    ProfiledTrace raw;
    raw.iterations = {{0, 10}};
    write("raw/a.raw.json", raw_trace_to_json(raw).dump());       // the tool's raw-trace folder: not read
    write("debug/a.raw.json", raw_trace_to_json(raw).dump());     // elsewhere: read, and skipped
    write(".hidden/x.json", to_json(a).dump());                   // hidden directories are not read
  }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }
};

TEST_F(StrayFilesTest, ReadsEveryResultAndSaysWhyItSkipsTheRest) {
  const ResultScan scan = scan_results({dir_.string()});
  std::vector<std::string> results;
  for (const auto& l : scan.results) results.push_back(l.path);
  EXPECT_EQ(results, (std::vector<std::string>{path("a.json"), path("fusion/fused/c.json"), path("nested/deeper/b.json")}));
  std::map<std::string, std::string> skipped;
  for (const auto& s : scan.skipped) {
    EXPECT_TRUE(skipped.emplace(s.path, s.reason).second) << "twice: " << s.path;
    EXPECT_EQ(s.reason.find('\n'), std::string::npos) << s.reason;
    EXPECT_EQ(s.broken_result, s.path == path("nested/truncated.json")) << s.path;
  }
  ASSERT_EQ(skipped.size(), 7u);
  EXPECT_NE(skipped[path("trace.json")].find("Chrome trace"), std::string::npos);
  EXPECT_NE(skipped[path("fusion/c.fusion.json")].find("fusion study"), std::string::npos);
  EXPECT_NE(skipped[path("study/a.study.json")].find("fusion study across flows"), std::string::npos);
  EXPECT_NE(skipped[path("ort/c.ort-profile.json")].find("ONNX Runtime profile"), std::string::npos);
  EXPECT_NE(skipped[path("nested/truncated.json")].find("truncated"), std::string::npos);
  EXPECT_NE(skipped[path("notes.json")].find("not JSON"), std::string::npos);
  EXPECT_NE(skipped[path("debug/a.raw.json")].find("raw trace"), std::string::npos);
  EXPECT_TRUE(scan.has_broken_results());
  EXPECT_EQ(scan.files.size(), 10u);  // 3 results + 7 skipped; not raw/, .hidden/ or the CSV
}

TEST_F(StrayFilesTest, SeveralPathsAndFilesReadOnce) {
  fs::remove(dir_ / "nested/truncated.json");
  const ResultScan scan = scan_results({path("nested"), path("a.json"), dir_.string(), path("a.json")});
  EXPECT_EQ(scan.results.size(), 3u);
  EXPECT_FALSE(scan.has_broken_results());
  // A file named explicitly is read whatever its extension.
  fs::copy_file(dir_ / "a.json", dir_ / "a.result");
  EXPECT_EQ(scan_results({path("a.result")}).results.size(), 1u);
  // The strict reader names the first file that is not a result.
  try {
    load_results(dir_.string());
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(".json: "), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ngbench::report
