// Conformance: every backend this build registers, on every test model it
// supports, with the options that change what the model is fed or how it is
// built. Each configuration must validate, run, cover its profiled time within
// bounds, classify every operator, add up, and round-trip through JSON with
// every field intact (ggml's test-backend-ops runs every backend the same way).
//
// Which models a backend supports: flows that build the built-in models run
// every test config of the model registry; flows that run model files
// (BackendEntry::export_format) run the files conformance_models.json lists
// for their format, or, where it lists {"export": [models]} (a format whose
// files are compiled for one machine and configuration, as AOTInductor's), those
// built-in models exported on first use into the build tree's cache
// (NGBENCH_EXPORT_CACHE_DIR). Backends whose device this machine lacks are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "backends/backend.h"
#include "core/error.h"
#include "models/quant_scheme.h"
#include "models/registry.h"
#include "report/result_json.h"
#include "runner/runner.h"

namespace ngbench::backends {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kHere = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/";

struct Case {
  std::string name;  // for the test's name
  RunConfig config;
  std::string variant;
};

// What ctest and gtest print for a case: its name, not the bytes of its config.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

json conformance_models() {
  std::ifstream in(kHere + "conformance_models.json");
  return json::parse(in);
}

// A small, quick run.
RunConfig base_config(const BackendEntry& e) {
  RunConfig c;
  c.flow = e.flow;
  c.device = e.device;
  c.threads = 1;
  c.warmup = 1;
  c.warmup_max_s = 0.5;
  c.max_time_s = 0;  // exactly `iters` timed passes
  c.iters = 2;
  c.profile_iters = 2;
  c.out_dir = (fs::temp_directory_path() / "ngbench-conformance").string();
  return c;
}

// The variants of one built-in model that change its inputs or how it is built.
void add_builtin_cases(const BackendEntry& e, const models::ModelEntry& m, std::vector<Case>& out) {
  RunConfig c = base_config(e);
  c.model = m.name;
  const std::string id = e.flow + "_" + e.device + "_" + m.name;
  out.push_back({id, c, "default"});
  RunConfig b2 = c;
  b2.batch = 2;
  out.push_back({id + "_batch2", b2, "batch 2"});
  if (m.input_kind == models::InputKind::kTokenIds) {
    RunConfig s = c;
    s.seq_len = 5;
    out.push_back({id + "_seq5", s, "seq 5"});
    RunConfig t = c;
    t.text_file = kHere + "data/prompt.txt";
    out.push_back({id + "_text", t, "--text"});
  } else {
    RunConfig i = c;
    i.images = std::string(NGBENCH_SOURCE_DIR) + "/data/images/coffee.png";
    out.push_back({id + "_images", i, "--images"});
  }
  if (!m.layer_scope.empty() && m.layers > 1) {
    RunConfig l = c;
    l.layers = 1;
    out.push_back({id + "_layers1", l, "--layers 1"});
  }
  if (!m.default_attention.empty()) {
    RunConfig a = c;
    a.attention = m.default_attention == "sdpa" ? "eager" : "sdpa";
    out.push_back({id + "_attn_" + a.attention, a, "--attention " + a.attention});
  }
  if (m.kv_width > 0 && e.generates) {
    // Decode over the cache (its own operators: the generate step's) and a prefill without the cache.
    RunConfig d = c;
    d.phase = "decode";
    d.gen_tokens = 3;
    out.push_back({id + "_decode", d, "--phase decode --gen-tokens 3"});
    RunConfig n = c;
    n.kv_cache = "off";
    out.push_back({id + "_nocache", n, "--kv-cache off"});
  }
  if (m.takes_score_threshold) {
    RunConfig t = c;
    t.score_threshold = 0.0;
    out.push_back({id + "_score0", t, "--score-threshold 0"});
  }
  if (m.quant_min_in_features > 0) {
    // Every scheme the device has (they add operators the taxonomy must classify), and int8-lt as detected.
    for (const auto& scheme : models::quant::schemes_on(e.device.rfind("cuda", 0) == 0 ? "cuda" : e.device)) {
      if (scheme == "none") continue;
      RunConfig q = c;
      q.quant = scheme;
      if (scheme == "fp8") q.dtype = "bfloat16";  // _scaled_mm's row-wise output
      out.push_back({id + "_quant_" + scheme, q, "--quant " + scheme});
    }
    RunConfig d = c;
    d.quant = "int8-lt";
    d.int8_outliers = kInt8OutliersDetected;
    out.push_back({id + "_quant_int8_lt_detected", d, "--quant int8-lt --int8-outliers detected"});
  }
}

void add_file_cases(const BackendEntry& e, const json& files, std::vector<Case>& out) {
  for (const auto& f : files) {
    RunConfig c = base_config(e);
    c.model_file = kHere + f.get<std::string>();
    c.model = fs::path(c.model_file).filename().string();
    c.seq_len = 8;
    const std::string id = e.flow + "_" + e.device + "_" + fs::path(c.model_file).stem().string();
    out.push_back({id, c, "default"});
    RunConfig b2 = c;
    b2.batch = 2;
    b2.seq_len = 4;
    out.push_back({id + "_batch2_seq4", b2, "batch 2, seq 4"});
  }
}

// Built-in models a file-running flow exports on first use (one configuration each: every one is a compile).
void add_exported_cases(const BackendEntry& e, const json& spec, std::vector<Case>& out) {
  for (const auto& m : spec.value("export", json::array())) {
    RunConfig c = base_config(e);
    c.model = m.get<std::string>();
    out.push_back({e.flow + "_" + e.device + "_" + c.model, c, "exported on first use"});
  }
}

std::vector<Case> all_cases() {
  std::vector<Case> out;
  const json files = conformance_models();
  for (const auto& e : backend_registry()) {
    if (!e.export_format.empty()) {
      const json spec = files.value(e.export_format, json::array());
      if (spec.is_object()) {
        add_exported_cases(e, spec, out);
      } else {
        add_file_cases(e, spec, out);
      }
      continue;
    }
    for (const auto& m : models::model_registry()) {
      if (m.for_tests) add_builtin_cases(e, m, out);
    }
  }
  return out;
}

bool device_present(const std::string& device) {
  if (device == "cpu") return true;
  // Other devices: only where the machine has one (nvidia-smi for cuda).
  return device == "cuda" && std::system("nvidia-smi -L > /dev/null 2>&1") == 0;
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, RunsClassifiesAddsUpAndRoundTrips) {
  const Case& k = GetParam();
  if (!device_present(k.config.device)) GTEST_SKIP() << "no " << k.config.device << " device here";
  if (k.variant == "exported on first use") {  // the flow's cache of exported files lies under the working directory
    fs::create_directories(NGBENCH_EXPORT_CACHE_DIR);
    fs::current_path(NGBENCH_EXPORT_CACHE_DIR);
  }
  const RunConfig c = runner::validate(k.config);
  const RunResult r = runner::run_one(c, "conformance");
  ASSERT_EQ(r.status, "ok") << k.variant << ": " << r.error;
  const Breakdown& b = r.breakdown;
  // Decode: an iteration is a sequence of gen_tokens passes, each a sample and a profiled iteration.
  const int passes = c.phase == "decode" ? static_cast<int>(c.gen_tokens) : 1;
  EXPECT_EQ(b.iterations, c.profile_iters * passes);
  EXPECT_EQ(r.latency_ms.samples.size(), static_cast<size_t>(c.iters * passes));
  EXPECT_EQ(r.decode.present, c.phase == "decode");
  EXPECT_GT(b.attributed_ms, 0);
  // Coverage within bounds: attributed time is part of the profiled wall time.
  EXPECT_GT(b.coverage, 0.0);
  EXPECT_LE(b.coverage, 1.0 + 1e-9);
  double groups = 0, ops = 0;
  for (const auto& g : b.groups) groups += g.time_ms;
  for (const auto& o : b.ops) {
    ops += o.total_ms;
    EXPECT_NE(o.group, "Unclassified") << o.name << " in " << o.scope;
  }
  EXPECT_NEAR(groups, b.attributed_ms, 1e-9 * b.attributed_ms);
  EXPECT_NEAR(ops, b.attributed_ms, 1e-9 * b.attributed_ms);
  EXPECT_GE(r.warmup.timed.iterations, c.warmup);
  EXPECT_GE(r.warmup.profiled.iterations, 1);
  EXPECT_FALSE(r.context.runtime.name.empty());
  EXPECT_FALSE(r.context.runtime.version.empty());
  // What changed the run is recorded as run.
  EXPECT_EQ(r.extrapolation.applied, c.layers > 0);
  if (!c.text_file.empty()) {
    ASSERT_EQ(r.inputs.size(), 1u);
    EXPECT_EQ(r.inputs[0].sha256.size(), 64u);
  }
  if (!c.images.empty()) {
    ASSERT_FALSE(r.inputs.empty());
    EXPECT_GT(r.inputs[0].model_height, 0);
  }
  if (c.quant != "none") {
    EXPECT_GT(r.workload_counts.count("quant_linears") ? r.workload_counts.at("quant_linears") : 0.0, 0.0);
    EXPECT_EQ(r.workload_counts.count("int8_outlier_columns_mean"), c.quant == "int8-lt" ? 1u : 0u);
  }
  EXPECT_GE(b.dispatcher_ops, [&] {
    double n = 0;
    for (const auto& o : b.ops) n += o.kind == RecordKind::kOp ? o.calls : 0;
    return n;
  }() - 1e-9) << "every attributed op is a dispatcher call";
  const BackendEntry& e = find_backend(c.flow, c.device);
  EXPECT_EQ(r.fusion.analyzed, !e.unfused.empty() || !e.study_variants.empty())
      << "a flow with a fusion switch or study variants reports what it fused";
  // Every field survives the round trip.
  const json j = report::to_json(r);
  EXPECT_EQ(report::to_json(report::result_from_json(json::parse(j.dump()), "conformance")), j);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.name;
  std::replace_if(n.begin(), n.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(EveryBackendEveryTestModel, Conformance, ::testing::ValuesIn(all_cases()), case_name);

TEST(ConformanceCoverage, EveryRegisteredBackendHasCases) {
  const auto cases = all_cases();
  for (const auto& e : backend_registry()) {
    const bool any = std::any_of(cases.begin(), cases.end(), [&](const Case& k) {
      return k.config.flow == e.flow && k.config.device == e.device;
    });
    EXPECT_TRUE(any) << e.flow << "/" << e.device << " has no conformance case";
  }
}

}  // namespace
}  // namespace ngbench::backends
