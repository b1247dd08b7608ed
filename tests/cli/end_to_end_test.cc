// End-to-end: the binary profiles tiny models and writes results that add up.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process.h"

namespace ngbench::testing {
namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

class EndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("e2e");
    // Large enough inputs that ops take tens of microseconds, as in real runs.
    run_ = new Output(run_ngbench("run --model gpt2-tiny,bert-tiny --batch 64 --seq-len 32 --threads 1 --warmup 2 --max-time 0 "
                                  "--iters 10 --profile-iters 5 --out " + dir_->path()));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  static nlohmann::json result(const std::string& model) {
    return read_json(dir_->path() + "/" + model + "__eager__cpu__float32__b64__s32__t1.json");
  }
  static TempDir* dir_;
  static Output* run_;
};

TempDir* EndToEnd::dir_ = nullptr;
Output* EndToEnd::run_ = nullptr;

TEST_F(EndToEnd, RunsAndPrintsTheBreakdown) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  EXPECT_NE(run_->out.find("gpt2-tiny | eager | cpu"), std::string::npos);
  EXPECT_NE(run_->out.find("non-GEMM total"), std::string::npos);
  EXPECT_NE(run_->out.find("2 configuration(s) run, 0 failed"), std::string::npos);
}

TEST_F(EndToEnd, TinyGpt2CoverageAndGroupsAddUp) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  const auto j = result("gpt2-tiny");
  EXPECT_EQ(j["status"], "ok");
  EXPECT_LE(j["breakdown"]["coverage"].get<double>(), 1.0);
  // Coverage >= 0.95 on tiny GPT-2. Time between operators includes any time
  // the OS gives the core to another process, so on a shared machine one run
  // can fall short: up to three runs, and the best must reach the target.
  double best = j["breakdown"]["coverage"];
  for (int attempt = 0; attempt < 2 && best < 0.95; ++attempt) {
    TempDir again("e2e-coverage");
    const auto o = run_ngbench("run --model gpt2-tiny --batch 64 --seq-len 32 --threads 1 --warmup 2 --iters 5 --max-time 0 "
                               "--profile-iters 10 --out " + again.path());
    ASSERT_EQ(o.status, 0) << o.err;
    best = std::max(best, read_json(again.path() + "/gpt2-tiny__eager__cpu__float32__b64__s32__t1.json")["breakdown"]["coverage"]
                              .get<double>());
  }
  EXPECT_GE(best, 0.95);
  double groups = 0;
  for (const auto& g : j["breakdown"]["groups"]) groups += g["time_ms"].get<double>();
  const double attributed = j["breakdown"]["attributed_ms"];
  EXPECT_NEAR(groups, attributed, 1e-9 * attributed + 1e-12);
  double ops = 0;
  for (const auto& o : j["breakdown"]["ops"]) ops += o["total_ms"].get<double>();
  EXPECT_NEAR(ops, attributed, 1e-9 * attributed + 1e-12);
  EXPECT_NEAR(j["summary"]["gemm_ms"].get<double>() + j["summary"]["non_gemm_ms"].get<double>(), attributed, 1e-9 * attributed);
  // Attributed time never exceeds the profiled wall time.
  EXPECT_LE(attributed, j["breakdown"]["profiled_ms"]["mean"].get<double>());
  EXPECT_EQ(j["latency_ms"]["samples"].size(), 10u);
  EXPECT_EQ(j["breakdown"]["iterations"], 5);
  EXPECT_GT(j["overhead"].get<double>(), 0.0);  // a ratio of two timings: only its sign is not noise
}

TEST_F(EndToEnd, BuiltInModelsLeaveNothingUnclassified) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  for (const char* m : {"gpt2-tiny", "bert-tiny"}) {
    EXPECT_TRUE(result(m)["summary"]["unclassified"].empty()) << m << ": " << result(m)["summary"]["unclassified"].dump();
  }
}

TEST_F(EndToEnd, GeluIsOneActivationOperatorAndTheTraceHasShapes) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  const auto j = result("gpt2-tiny");
  bool gelu = false;
  for (const auto& o : j["breakdown"]["ops"]) {
    if (o["name"] == "NewGELUActivation") {
      gelu = true;
      EXPECT_EQ(o["group"], "Activation");
      EXPECT_EQ(o["kind"], "module");
      EXPECT_DOUBLE_EQ(o["calls"].get<double>(), 2.0);  // one per layer
    }
  }
  EXPECT_TRUE(gelu);
  ASSERT_FALSE(j["breakdown"]["trace"].empty());
  bool addmm_with_shapes = false;
  for (const auto& e : j["breakdown"]["trace"]) {
    if (e["name"] == "aten::addmm" && e["inputs"].size() >= 3) addmm_with_shapes = true;
  }
  EXPECT_TRUE(addmm_with_shapes);
  EXPECT_EQ(j["context"]["threads"], 1);
  EXPECT_EQ(j["config"]["allocator"], "retain");  // the default
  EXPECT_EQ(j["context"]["allocator"].get<std::string>().rfind("retain", 0), 0u);
  EXPECT_GE(j["page_faults_per_iter"].get<double>(), 0.0);
  EXPECT_FALSE(j["context"]["git_commit"].get<std::string>().empty());
  EXPECT_FALSE(j["context"]["machine"]["cpu_model"].get<std::string>().empty());
}

bool trace_has(const nlohmann::json& j, const std::string& op) {
  return std::any_of(j["breakdown"]["trace"].begin(), j["breakdown"]["trace"].end(), [&](const auto& e) { return e["name"] == op; });
}

TEST_F(EndToEnd, AttentionDefaultsToSdpaAndEagerIsSelectable) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  const auto sdpa = result("gpt2-tiny");
  EXPECT_EQ(sdpa["config"]["attention"], "sdpa");
  EXPECT_TRUE(trace_has(sdpa, "aten::scaled_dot_product_attention"));
  TempDir d("e2e-eager");
  const auto o = run_ngbench("run --model gpt2-tiny --attention eager --batch 2 --seq-len 8 --warmup 0 --iters 1 "
                             "--profile-iters 1 --out " + d.path());
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("| attention eager"), std::string::npos) << o.out;
  const auto eager = read_json(d.path() + "/gpt2-tiny__eager__cpu__float32__b2__s8__attn-eager.json");
  EXPECT_EQ(eager["config"]["attention"], "eager");
  EXPECT_FALSE(trace_has(eager, "aten::scaled_dot_product_attention"));
  EXPECT_TRUE(trace_has(eager, "aten::softmax"));
}

TEST_F(EndToEnd, ReportReadsTheResultsBack) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  const auto o = run_ngbench("report " + dir_->path());
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("gpt2-tiny"), std::string::npos);
  EXPECT_NE(o.out.find("bert-tiny"), std::string::npos);
}

TEST_F(EndToEnd, WritesCsvForPandas) {
  ASSERT_EQ(run_->status, 0) << run_->err;
  const std::string stem = dir_->path() + "/gpt2-tiny__eager__cpu__float32__b64__s32__t1";
  EXPECT_TRUE(std::filesystem::exists(stem + ".groups.csv"));
  EXPECT_TRUE(std::filesystem::exists(stem + ".ops.csv"));
  // No temporary files are left behind.
  for (const auto& e : std::filesystem::directory_iterator(dir_->path())) {
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace ngbench::testing

namespace ngbench::testing {
namespace {

// Every built-in test config (one per architecture family, each taking every
// code path of its family) runs, and the taxonomy classifies all its operators.
TEST(EndToEndAllFamilies, EveryTestConfigRunsWithNothingUnclassified) {
  const auto list = run_ngbench("list models");
  ASSERT_EQ(list.status, 0);
  std::vector<std::string> models;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(test config)") != std::string::npos) models.push_back(line.substr(0, line.find(' ')));
  }
  ASSERT_GE(models.size(), 2u);
  TempDir dir("e2e-families");
  std::string joined;
  for (const auto& m : models) joined += (joined.empty() ? "" : ",") + m;
  const auto run = run_ngbench("run --model " + joined + " --batch 1 --warmup 0 --iters 1 --max-time 0 --profile-iters 1 --out " +
                               dir.path());
  ASSERT_EQ(run.status, 0) << run.err;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    if (e.path().extension() != ".json") continue;
    const auto j = read_json(e.path().string());
    EXPECT_EQ(j["status"], "ok") << e.path();
    EXPECT_TRUE(j["summary"]["unclassified"].empty()) << e.path() << ": " << j["summary"]["unclassified"].dump();
  }
}

}  // namespace
}  // namespace ngbench::testing

namespace ngbench::testing {
namespace {

// `ngbench quant`: every scheme of the sweep and the unquantized baseline, each to its own directory, then the
// study's summary per sequence length, which the result readers pass over.
TEST(EndToEndQuant, TheStudyRunsEverySchemeAgainstNoneAndWritesItsSummary) {
  TempDir dir("e2e-quant");
  const auto o = run_ngbench("quant --model llama3-tiny --seq-len 8,16 --quant int8-lt,int8-dynamic --threads 1 "
                             "--warmup 0 --iters 1 --max-time 0 --profile-iters 1 --out " + dir.path());
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("added it to the schemes"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("== quantization study"), std::string::npos) << o.out;
  for (const char* scheme : {"none", "int8-lt", "int8-dynamic"}) {
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() + "/" + scheme)) << scheme;
  }
  for (const char* seq : {"8", "16"}) {
    const std::string stem = dir.path() + "/llama3-tiny__eager__cpu__float32__b1__s" + std::string(seq) + "__t1";
    ASSERT_TRUE(std::filesystem::exists(stem + ".quant.json")) << stem;
    EXPECT_TRUE(std::filesystem::exists(stem + ".quant.csv")) << stem;
    const auto j = read_json(stem + ".quant.json");
    EXPECT_EQ(j["kind"], "ngbench-quant");
    ASSERT_EQ(j["rows"].size(), 3u);
    EXPECT_EQ(j["rows"][0]["variant"], "none");
    for (const auto& row : j["rows"]) {
      EXPECT_EQ(row["status"], "ok") << row.dump();
      if (row["variant"] != "none") {
        EXPECT_GT(row["operators_added"].get<double>(), 0) << row.dump();
      }
    }
  }
  const auto lt = read_json(dir.path() + "/int8-lt/llama3-tiny__eager__cpu__float32__b1__s16__q-int8-lt__t1.json");
  EXPECT_TRUE(lt["summary"]["unclassified"].empty()) << lt["summary"]["unclassified"].dump();
  EXPECT_DOUBLE_EQ(lt["workload_counts"]["int8_outlier_columns_mean"].get<double>(), 6);
  // The readers take the whole study directory: results read, summaries skipped.
  const auto report = run_ngbench("report " + dir.path());
  EXPECT_EQ(report.status, 0) << report.err;
  EXPECT_NE(report.out.find("quant int8-lt"), std::string::npos) << report.out;
}

TEST(EndToEndDecode, PrefillAndDecodeOfEveryDecoderFamilyRunWithNothingUnclassified) {
  TempDir dir("e2e-decode");
  const auto o = run_ngbench("run --model gpt2-tiny,llama3-tiny,mixtral-tiny --phase prefill,decode --gen-tokens 4 "
                             "--batch 2 --seq-len 8 --threads 1 --warmup 1 --iters 2 --max-time 0 --profile-iters 1 "
                             "--out " + dir.path());
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("6 configuration(s) run, 0 failed"), std::string::npos) << o.out;
  for (const char* model : {"gpt2-tiny", "llama3-tiny", "mixtral-tiny"}) {
    const std::string stem = dir.path() + "/" + model + "__eager__cpu__float32__b2__s8";
    const auto prefill = read_json(stem + "__t1.json");
    EXPECT_EQ(prefill["config"]["phase"], "prefill");
    EXPECT_EQ(prefill["config"]["kv_cache"], "on");  // HF's default, said in the result
    EXPECT_FALSE(prefill["decode"]["present"].get<bool>());
    const auto decode = read_json(stem + "__decode-g4__t1.json");
    EXPECT_EQ(decode["status"], "ok") << decode.dump();
    EXPECT_TRUE(decode["summary"]["unclassified"].empty()) << model << decode["summary"]["unclassified"].dump();
    EXPECT_EQ(decode["latency_ms"]["samples"].size(), 8u);  // per generated token
    ASSERT_EQ(decode["decode"]["steps"].size(), 4u);
    EXPECT_EQ(decode["decode"]["steps"][0]["context"], 8);
    EXPECT_GT(decode["decode"]["late"]["median_ms"].get<double>(), 0);
  }
}

}  // namespace
}  // namespace ngbench::testing
