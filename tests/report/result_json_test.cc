#include "report/result_json.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "fixtures.h"

namespace ngbench::report {
namespace {

TEST(ResultJson, HasTheDocumentedTopLevelFields) {
  const auto j = to_json(testing::sample_result());
  for (const char* key : {"schema_version", "status", "error", "context", "model", "flow", "device", "batch",
                          "seq_len", "dtype", "layers", "attention", "config", "model_info", "latency_ms", "profiled_latency_ms", "overhead",
                          "coverage", "attributed_ms", "gemm_ms", "non_gemm_ms", "non_gemm_share", "groups", "ops",
                          "unclassified", "other_threads", "records_outside_iterations", "trace"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  for (const char* key : {"machine", "threads", "torch_version", "build_type", "git_commit", "timestamp"}) {
    EXPECT_TRUE(j["context"].contains(key)) << key;
  }
  for (const char* key : {"median", "p90", "p99", "min", "max", "stddev", "samples"}) {
    EXPECT_TRUE(j["latency_ms"].contains(key)) << key;
  }
  const auto& op = j["ops"][0];
  for (const char* key : {"name", "group", "side", "scope", "calls", "self_ms", "total_ms", "share", "input_shapes"}) {
    EXPECT_TRUE(op.contains(key)) << key;
  }
  // Unclassified ops are listed on their own.
  ASSERT_EQ(j["unclassified"].size(), 1u);
  EXPECT_EQ(j["unclassified"][0]["name"], "weird::op, \"quoted\"");
  // GEMM and non-GEMM add up to the attributed time.
  EXPECT_NEAR(j["gemm_ms"].get<double>() + j["non_gemm_ms"].get<double>(), j["attributed_ms"].get<double>(), 1e-12);
}

TEST(ResultJson, RoundTripsEveryField) {
  const RunResult a = testing::sample_result();
  const RunResult b = result_from_json(nlohmann::json::parse(to_json(a).dump()), "mem");
  EXPECT_EQ(to_json(a), to_json(b));
  EXPECT_EQ(b.breakdown.trace.size(), a.breakdown.trace.size());
  EXPECT_EQ(b.breakdown.ops[0].shapes[0].inputs, a.breakdown.ops[0].shapes[0].inputs);
}

TEST(ResultJson, RejectsOtherSchemaVersionsAndMissingFields) {
  auto j = to_json(testing::sample_result());
  j["schema_version"] = 99;
  EXPECT_THROW(result_from_json(j, "x.json"), Error);
  auto k = to_json(testing::sample_result());
  k.erase("groups");
  try {
    result_from_json(k, "x.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos);
  }
  EXPECT_THROW(result_from_json(nlohmann::json::array(), "x.json"), Error);
}

}  // namespace
}  // namespace ngbench::report
