// End-to-end on flow ort: the binary profiles the committed tiny exports with
// ONNX Runtime and writes results that add up; warm-up runs are excluded; the
// fusion study compares ORT_DISABLE_ALL with ORT_ENABLE_ALL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.h"

namespace ngbench::testing {
namespace {

namespace fs = std::filesystem;

const std::string kData = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/ort/data/";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

class OrtEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("ort-e2e");
    const std::string common = " --batch 8 --seq-len 32 --threads 1 --warmup 2 --iters 10 --max-time 0 --profile-iters 5 ";
    gpt2_ = new Output(run_ngbench("run --flow ort --onnx " + kData + "gpt2-tiny.onnx" + common +
                                   "--keep-ort-files --out " + dir_->path() + "/all"));
    bert_ = new Output(run_ngbench("run --onnx " + kData + "bert-tiny.onnx" + common + "--graph-opt disabled --out " +
                                   dir_->path() + "/disabled"));
  }
  static void TearDownTestSuite() {
    delete gpt2_;
    delete bert_;
    delete dir_;
  }
  static nlohmann::json result(const std::string& level, const std::string& model) {
    // One result per folder; its name carries the settings (core/result_name.h).
    const std::string path = only_file(dir_->path() + "/" + level, ".json");
    EXPECT_EQ(fs::path(path).filename().string().rfind(model + ".onnx__ort__cpu__float32__b8__s32__t1__graph-opt-" +
                                                           level, 0),
              0u)
        << path;
    return read_json(path);
  }
  static TempDir* dir_;
  static Output* gpt2_;
  static Output* bert_;
};

TempDir* OrtEndToEnd::dir_ = nullptr;
Output* OrtEndToEnd::gpt2_ = nullptr;
Output* OrtEndToEnd::bert_ = nullptr;

void expect_adds_up(const nlohmann::json& j) {
  EXPECT_EQ(j["status"], "ok") << j["error"];
  const double attributed = j["breakdown"]["attributed_ms"];
  EXPECT_GT(attributed, 0);
  double groups = 0;
  for (const auto& g : j["breakdown"]["groups"]) groups += g["time_ms"].get<double>();
  EXPECT_NEAR(groups, attributed, 1e-9 * attributed);
  double ops = 0;
  for (const auto& o : j["breakdown"]["ops"]) ops += o["total_ms"].get<double>();
  EXPECT_NEAR(ops, attributed, 1e-9 * attributed);
  EXPECT_NEAR(j["summary"]["gemm_ms"].get<double>() + j["summary"]["non_gemm_ms"].get<double>(), attributed, 1e-9 * attributed);
  // Coverage: node kernel time over the model_run span (ORT's executor and the profiler's own
  // bookkeeping between nodes are the rest); never above 1.
  EXPECT_GT(j["breakdown"]["coverage"].get<double>(), 0.5);
  EXPECT_LE(j["breakdown"]["coverage"].get<double>(), 1.0);
  EXPECT_LE(attributed, j["breakdown"]["profiled_ms"]["mean"].get<double>());
  // Warm-up excluded: exactly the profiled iterations, and no node outside them.
  EXPECT_EQ(j["breakdown"]["iterations"], 5);
  EXPECT_EQ(j["breakdown"]["records_outside_iterations"], 0);
  EXPECT_EQ(j["latency_ms"]["samples"].size(), 10u);
  EXPECT_TRUE(j["summary"]["unclassified"].empty()) << j["summary"]["unclassified"].dump();
  EXPECT_EQ(j["context"]["threads"], 1);
  EXPECT_EQ(j["context"]["runtime"]["name"], "onnxruntime");
  EXPECT_EQ(j["context"]["runtime"]["version"].get<std::string>().rfind("1.", 0), 0u);
  EXPECT_EQ(j["model_info"]["task"], "custom");
  EXPECT_EQ(j["model_info"]["reference"].get<std::string>().rfind("onnx:", 0), 0u);
  // Every node ran once per iteration, and keeps its name as its scope.
  for (const auto& o : j["breakdown"]["ops"]) {
    EXPECT_NEAR(o["calls"].get<double>(), 1.0, 1e-9) << o["name"] << " " << o["scope"];
    EXPECT_FALSE(o["scope"].get<std::string>().empty()) << o["name"];
  }
}

TEST_F(OrtEndToEnd, TinyGpt2AllOptimizations) {
  ASSERT_EQ(gpt2_->status, 0) << gpt2_->err;
  EXPECT_NE(gpt2_->out.find("gpt2-tiny.onnx | ort | cpu"), std::string::npos);
  const auto j = result("all", "gpt2-tiny");
  expect_adds_up(j);
  EXPECT_GE(j["model_info"]["parameters"].get<int64_t>(), 108544);  // initializers: weights and constants
  // ORT fused MatMul+scale into FusedMatMul and the GELU chain into FastGelu; the fused GEMM has its own row,
  // and its scope says what it took in.
  bool fused_gemm = false, fast_gelu = false;
  for (const auto& o : j["breakdown"]["ops"]) {
    if (o["name"] == "FusedMatMul") {
      fused_gemm = true;
      EXPECT_EQ(o["group"], "Fused GEMM+non-GEMM");
      const std::string scope = o["scope"];
      const auto brace = scope.find(" {");
      ASSERT_NE(brace, std::string::npos) << scope;
      EXPECT_NE(scope.find("MatMul", brace), std::string::npos) << scope;  // e.g. "{Mul+Mul+MatMul}"
    }
    if (o["name"] == "FastGelu") {
      fast_gelu = true;
      EXPECT_EQ(o["group"], "Activation");
    }
  }
  EXPECT_TRUE(fused_gemm);
  EXPECT_TRUE(fast_gelu);
  // --keep-ort-files: ORT's own profile and optimized graph beside the results.
  // Beside the results, in a folder of their own.
  EXPECT_FALSE(only_file(dir_->path() + "/all/ort-files", ".ort-profile.json").empty());
  EXPECT_FALSE(only_file(dir_->path() + "/all/ort-files", ".optimized.onnx").empty());
}

TEST_F(OrtEndToEnd, TinyBertWithoutOptimizationsRunsTheExportedGraph) {
  ASSERT_EQ(bert_->status, 0) << bert_->err;
  const auto j = result("disabled", "bert-tiny");
  expect_adds_up(j);
  for (const auto& o : j["breakdown"]["ops"]) {
    EXPECT_EQ(o["group"].get<std::string>().rfind("Fused", 0), std::string::npos) << o["name"];
  }
}

TEST(OrtCli, BadInputIsOneLine) {
  TempDir dir("ort-cli");
  // A built-in model the export tool cannot make (the tool knows gpt2-tiny, not llama-tiny).
  const auto missing = run_ngbench("run --flow ort --model llama-tiny --out " + dir.path());
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no ONNX file for model llama-tiny"), std::string::npos) << missing.err;
  const auto eager = run_ngbench("run --flow eager --onnx " + kData + "gpt2-tiny.onnx --out " + dir.path());
  EXPECT_EQ(eager.status, 2);
  EXPECT_NE(eager.err.find("runs built-in models (ngbench list models); use --flow ort"), std::string::npos)
      << eager.err;
  const auto seq = run_ngbench("run --onnx " + kData + "gpt2-tiny.onnx --out " + dir.path());
  EXPECT_EQ(seq.status, 2);
  EXPECT_NE(seq.err.find("give --seq-len N"), std::string::npos) << seq.err;
  const auto level = run_ngbench("run --onnx " + kData + "gpt2-tiny.onnx -s 8 --graph-opt most --out " + dir.path());
  EXPECT_EQ(level.status, 2);
  EXPECT_NE(level.err.find("valid: disabled, basic, extended, all"), std::string::npos) << level.err;
  const auto both = run_ngbench("run --model gpt2 --onnx " + kData + "gpt2-tiny.onnx --out " + dir.path());
  EXPECT_EQ(both.status, 2);
  const auto shape = run_ngbench("run --onnx " + kData + "gpt2-tiny.onnx --shape pixels=1x3 -s 8 --out " + dir.path());
  EXPECT_EQ(shape.status, 2);
  EXPECT_NE(shape.err.find("inputs: input_ids"), std::string::npos) << shape.err;
  for (const auto* o : {&missing, &eager, &seq, &level, &both, &shape}) {
    EXPECT_EQ(o->err.find('\n'), o->err.size() - 1) << "one line: " << o->err;
  }
  const auto flows = run_ngbench("list flows");
  EXPECT_NE(flows.out.find("ort"), std::string::npos);
}

// `run --flow ort --model M` exports a built-in model on first use (tools/export_onnx.py with the project's
// Python), into onnx/ of the working directory, and reuses the file afterwards.
TEST(OrtExport, ABuiltInModelIsExportedOnFirstUseAndReused) {
  TempDir d("ort-export");
  const std::string args = "run --flow ort --model gpt2-tiny --batch 2 --seq-len 8 --threads 1 --warmup 1 --iters 2 "
                           "--max-time 0 --profile-iters 1 --out results";
  const auto first = run_ngbench(args, d.path());
  if (first.status != 0 && first.err.find("the export tool has") != std::string::npos) {
    GTEST_SKIP() << "the Python environment cannot export (scripts/setup.sh makes it): " << first.err;
  }
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("first use of gpt2-tiny: exporting it once to onnx/gpt2-tiny.onnx"), std::string::npos)
      << first.out;
  EXPECT_TRUE(fs::exists(d.path() + "/onnx/gpt2-tiny.onnx"));
  for (const auto& e : fs::directory_iterator(d.path() + "/onnx")) {
    EXPECT_EQ(e.path().filename().string().rfind(".export-", 0), std::string::npos) << "left behind: " << e.path();
  }
  const auto again = run_ngbench(args, d.path());  // the same configuration: its result is replaced
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out.find("first use"), std::string::npos) << again.out;
}

TEST(OrtFusion, StudyWritesTheTableAndTheRatesAddUp) {
  TempDir dir("ort-fusion");
  const auto o = run_ngbench("fusion --onnx " + kData + "gpt2-tiny.onnx --batch 4 --seq-len 16 --threads 1 --max-time 0 "
                             "--warmup 1 --iters 3 --profile-iters 2 --out " + dir.path());
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("fusion rate (estimate)"), std::string::npos) << o.out;
  const std::string study = only_file(dir.path(), ".fusion.json");
  ASSERT_FALSE(study.empty());
  const std::string stem = fs::path(study).filename().string().substr(0, fs::path(study).filename().string().size() - 12);
  const auto j = read_json(study);
  ASSERT_EQ(j["variants"].size(), 2u);
  EXPECT_EQ(j["variants"][0]["variant"], "unfused");
  EXPECT_EQ(j["variants"][0]["backend_options"]["graph-opt"][0], "disabled");
  EXPECT_EQ(j["variants"][1]["variant"], "fused");
  EXPECT_EQ(j["variants"][1]["backend_options"]["graph-opt"][0], "all");
  EXPECT_EQ(j["variants"][0]["fused_ms"], 0.0);
  EXPECT_GT(j["variants"][1]["fused_ms"].get<double>(), 0.0);
  const auto& f = j["fusion"];
  EXPECT_TRUE(f["analyzed"].get<bool>());
  EXPECT_NE(f["method"].get<std::string>().find("estimate"), std::string::npos);
  EXPECT_EQ(f["kept_non_gemm"].get<int>() + f["replaced_non_gemm"].get<int>() + f["fused_with_gemm"].get<int>() + f["fused_non_gemm"].get<int>() +
                f["folded_non_gemm"].get<int>() + f["removed_non_gemm"].get<int>(),
            f["original_non_gemm"].get<int>());
  EXPECT_GT(f["fusion_rate_with_gemm"].get<double>(), 0);
  EXPECT_GT(f["fusion_rate_non_gemm"].get<double>(), 0);
  EXPECT_NEAR(f["fusion_rate"].get<double>(),
              f["fusion_rate_with_gemm"].get<double>() + f["fusion_rate_non_gemm"].get<double>(), 1e-12);
  EXPECT_FALSE(only_file(dir.path() + "/unfused", ".json").empty());
  EXPECT_TRUE(fs::exists(dir.path() + "/" + j["variants"][0]["result"].get<std::string>()));
  EXPECT_TRUE(fs::exists(dir.path() + "/" + j["variants"][1]["result"].get<std::string>()));
  EXPECT_TRUE(fs::exists(dir.path() + "/" + stem + ".fusion.csv"));
  // The fused run's own result carries the same fusion summary.
  const auto fused = read_json(dir.path() + "/" + j["variants"][1]["result"].get<std::string>());
  EXPECT_EQ(fused["fusion"]["original_non_gemm"], f["original_non_gemm"]);
}

}  // namespace
}  // namespace ngbench::testing
