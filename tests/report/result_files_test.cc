#include "report/result_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "fixtures.h"
#include "report/json_reporter.h"
#include "report/result_json.h"

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
  std::ofstream(dir_ / "r.json") << R"({"schema_version": 1})";
  EXPECT_NE(error_loading().find("not an ngbench result"), std::string::npos);
  // A number beyond double's range: malformed, not an escaping json::out_of_range (fuzz/).
  std::ofstream(dir_ / "r.json") << R"({"schema_version": 2, "latency_ms": -1e999})";
  EXPECT_NE(error_loading().find("r.json: malformed JSON"), std::string::npos);
}

TEST_F(ResultFilesTest, MissingOrEmptyDirectoriesAreErrors) {
  EXPECT_NE(error_loading().find("no result files"), std::string::npos);
  EXPECT_THROW(load_results((dir_ / "nope").string()), Error);
}

}  // namespace
}  // namespace ngbench::report
