#include "report/result_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "core/error.h"
#include "fixtures.h"
#include "report/result_files.h"

namespace ngbench::report {
namespace {

using nlohmann::json;

const std::string kV1 = std::string(NGBENCH_SOURCE_DIR) + "/tests/report/fixtures/v1/";

json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// Every leaf (number, string, bool) of `j` with its JSON pointer.
void leaves(const json& j, const std::string& at, const std::function<void(const std::string&, const json&)>& f) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) leaves(v, at + "/" + k, f);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) leaves(j[i], at + "/" + std::to_string(i), f);
  } else {
    f(at, j);
  }
}

TEST(ResultJson, HasTheDocumentedSections) {
  const auto j = to_json(testing::sample_result());
  for (const char* key : {"schema_version", "status", "error", "context", "config", "model_info", "latency_ms",
                          "page_faults_per_iter", "overhead", "warmup", "breakdown", "energy", "extrapolation",
                          "fusion", "inputs", "workload_counts", "summary"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  EXPECT_EQ(kSchemaVersion, 2);
  for (const char* key : {"machine", "runtime", "threads", "libtorch_version", "build_type", "git_commit",
                          "timestamp"}) {
    EXPECT_TRUE(j["context"].contains(key)) << key;
  }
  EXPECT_EQ(j["context"]["runtime"]["name"], "libtorch");
  for (const char* key : {"model", "model_file", "flow", "device", "batch", "seq_len", "backend_options"}) {
    EXPECT_TRUE(j["config"].contains(key)) << key;
  }
  for (const char* key : {"median", "p90", "p99", "min", "max", "stddev", "samples"}) {
    EXPECT_TRUE(j["latency_ms"].contains(key)) << key;
  }
  const auto& op = j["breakdown"]["ops"][0];
  for (const char* key : {"name", "group", "side", "scope", "calls", "self_ms", "total_ms", "share", "shapes"}) {
    EXPECT_TRUE(op.contains(key)) << key;
  }
  EXPECT_EQ(op["shapes"][0]["inputs"][0], json::array({"float32", {1, 4, 8}}));
  // Unclassified ops are listed on their own.
  ASSERT_EQ(j["summary"]["unclassified"].size(), 1u);
  EXPECT_EQ(j["summary"]["unclassified"][0]["name"], "weird::op, \"quoted\"");
  // GEMM and non-GEMM add up to the attributed time.
  EXPECT_NEAR(j["summary"]["gemm_ms"].get<double>() + j["summary"]["non_gemm_ms"].get<double>(),
              j["breakdown"]["attributed_ms"].get<double>(), 1e-12);
}

TEST(ResultJson, RoundTripsEveryField) {
  const RunResult a = testing::complete_result();
  const json ja = to_json(a);
  // complete_result() sets every field away from its default, so that the
  // round trip below covers all of them: find any leaf still at its default.
  const RunResult empty;
  const json defaults = to_json(empty);
  leaves(defaults, "", [&](const std::string& at, const json& v) {
    if (at == "/schema_version" || at.rfind("/summary", 0) == 0 || at.rfind("/fusion/fusion_rate", 0) == 0) return;
    const json::json_pointer p(at);
    ASSERT_TRUE(ja.contains(p)) << at;
    EXPECT_NE(ja.at(p), v) << at << " is at its default in complete_result(): the round trip does not cover it";
  });
  const RunResult b = result_from_json(json::parse(ja.dump()), "mem");
  EXPECT_EQ(to_json(b), ja);
  EXPECT_EQ(b.breakdown.ops[0].shapes[0].inputs, a.breakdown.ops[0].shapes[0].inputs);
  EXPECT_EQ(b.config.backend_options, a.config.backend_options);
  EXPECT_EQ(b.fusion.fusion_rate(), a.fusion.fusion_rate());
}

TEST(ResultJson, RejectsOtherSchemaVersionsMissingSectionsAndBadValues) {
  auto expect_refused = [](const json& j, const std::string& what) {
    try {
      result_from_json(j, "x.json");
      ADD_FAILURE() << "accepted: " << what;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos) << e.what();
    }
  };
  auto j = to_json(testing::sample_result());
  j["schema_version"] = 99;
  expect_refused(j, "version 99");
  for (const char* section : {"schema_version", "status", "context", "config", "model_info", "latency_ms",
                              "breakdown"}) {
    auto k = to_json(testing::sample_result());
    k.erase(section);
    expect_refused(k, section);
  }
  auto k = to_json(testing::sample_result());
  k["breakdown"].erase("groups");
  expect_refused(k, "breakdown without groups");
  k = to_json(testing::sample_result());
  k["breakdown"]["groups"][0]["side"] = 5;
  expect_refused(k, "side 5");
  k = to_json(testing::sample_result());
  k["breakdown"]["groups"][0]["side"] = "sideways";
  expect_refused(k, "side sideways");
  k = to_json(testing::sample_result());
  k["breakdown"]["ops"][0]["kind"] = "kernel";
  expect_refused(k, "kind kernel");
  k = to_json(testing::sample_result());
  k["breakdown"]["ops"][0]["shapes"][0]["inputs"][0] = json::array({"float32"});
  expect_refused(k, "an input without a shape");
  k = to_json(testing::sample_result());
  k["latency_ms"]["median"] = "fast";
  expect_refused(k, "a string for a number");
  expect_refused(json::array(), "an array");
}

TEST(ResultJson, ReadsVersionOneFiles) {
  const RunResult r = load_result(kV1 + "gpt2-fixture-v1.json");
  const json v1 = read_json(kV1 + "gpt2-fixture-v1.json");
  EXPECT_EQ(r.schema_version, kSchemaVersion);
  EXPECT_EQ(r.config.model, v1["model"]);
  EXPECT_EQ(r.config.flow, "eager");
  EXPECT_EQ(r.config.seq_len, v1["seq_len"]);
  EXPECT_EQ(r.config.allocator, "system");  // before --allocator: glibc's defaults
  EXPECT_EQ(r.context.runtime.name, "libtorch");
  EXPECT_EQ(r.context.runtime.version, v1["context"]["torch_version"]);
  EXPECT_EQ(r.breakdown.groups.size(), v1["groups"].size());
  EXPECT_EQ(r.breakdown.ops.size(), v1["ops"].size());
  EXPECT_EQ(r.breakdown.trace.size(), v1["trace"].size());
  EXPECT_DOUBLE_EQ(r.breakdown.coverage, v1["coverage"].get<double>());
  EXPECT_DOUBLE_EQ(r.breakdown.profiled_ms.median, v1["profiled_latency_ms"]["median"].get<double>());
  ASSERT_FALSE(r.breakdown.ops[0].shapes.empty());
  EXPECT_EQ(r.breakdown.ops[0].shapes[0].inputs.size(), v1["ops"][0]["input_shapes"][0]["input_types"].size());
  EXPECT_FALSE(r.energy.measured);
  EXPECT_FALSE(r.extrapolation.applied);
  // Written back, it is a version-2 result.
  EXPECT_EQ(to_json(r)["schema_version"], 2);
  EXPECT_EQ(load_result(kV1 + "segformer-fixture-v1.failed.json").status, "failed");
}

TEST(ResultJson, VersionOneOrtFieldsBecomeTheFlowsOptions) {
  json v1 = read_json(kV1 + "gpt2-fixture-v1.json");
  v1["flow"] = "ort";
  v1["context"]["torch_version"] = "onnxruntime 1.30.0";
  v1["config"]["onnx_file"] = "m.onnx";
  v1["config"]["shapes"] = {"x=1x2"};
  v1["config"]["graph_opt"] = "disabled";
  v1["extrapolation"] = {{"layers_built", 1}, {"layers_total", 2}, {"factor", 2.0}, {"layer_scope", "B"},
                         {"latency_ms", 3.0}, {"depth_scale", 1.7}};
  v1["energy"] = {{"method", "nvml"}, {"joules", 1.0}, {"joules_per_inference", 0.1}, {"average_watts", 5.0},
                  {"iterations", 10}};
  const RunResult r = result_from_json(v1, "v1");
  EXPECT_EQ(r.context.runtime.name, "onnxruntime");
  EXPECT_EQ(r.context.runtime.version, "1.30.0");
  EXPECT_EQ(r.config.model_file, "m.onnx");
  EXPECT_EQ(r.config.backend_options.at("shape"), std::vector<std::string>{"x=1x2"});
  EXPECT_EQ(r.config.backend_options.at("graph-opt"), std::vector<std::string>{"disabled"});
  EXPECT_TRUE(r.extrapolation.applied);
  EXPECT_DOUBLE_EQ(r.breakdown.depth_scale, 1.7);
  EXPECT_TRUE(r.energy.measured);
  EXPECT_EQ(r.energy.iterations, 10);
  v1["ops"][0]["input_shapes"][0]["input_types"] = json::array();
  EXPECT_THROW(result_from_json(v1, "v1"), Error);
}

}  // namespace
}  // namespace ngbench::report
