// ORT's profiling JSON -> ProfiledTrace, on profiles ORT 1.30 wrote for the
// committed tiny models (1 warm-up run, then 2 profiled runs, CPU), and on
// truncated and malformed ones.
#include "backends/ort/ort_profile.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::ort {
namespace {

const std::string kData = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/ort/data/";
const std::vector<std::string> kProfiles = {"gpt2-tiny.all.ort-profile.json", "bert-tiny.disabled.ort-profile.json"};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ProfileOptions two_of_three() {
  ProfileOptions o;
  o.profiled_runs = 2;
  o.expected_runs = 3;
  return o;
}

std::string error_of(const std::string& text, const std::string& source, const ProfileOptions& o) {
  try {
    parse_profile(text, source, o);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(OrtProfile, RealProfilesBecomeNodeScopesHoldingOps) {
  const auto t = taxonomy::Taxonomy::builtin("ort");
  for (const auto& file : kProfiles) {
    SCOPED_TRACE(file);
    const Profile p = load_profile(kData + file, two_of_three());
    EXPECT_EQ(p.model_runs, 3);
    ASSERT_EQ(p.trace.iterations.size(), 2u);
    EXPECT_GT(p.node_events, 20);
    EXPECT_GT(p.dropped_events, 0);  // the warm-up run's nodes
    EXPECT_EQ(p.providers.size(), 1u);
    EXPECT_EQ(p.providers.begin()->first, "CPUExecutionProvider");
    ASSERT_EQ(p.trace.records.size(), 2 * static_cast<size_t>(p.node_events));
    // Both iterations ran the same nodes; each record lies inside one of them.
    int64_t in_first = 0;
    const auto& its = p.trace.iterations;
    EXPECT_LT(its[0].end_ns, its[1].start_ns + 1);
    for (size_t i = 0; i < p.trace.records.size(); i += 2) {
      const OpRecord& scope = p.trace.records[i];
      const OpRecord& op = p.trace.records[i + 1];
      EXPECT_EQ(scope.kind, RecordKind::kScope);
      EXPECT_EQ(op.kind, RecordKind::kOp);
      EXPECT_EQ(op.parent, static_cast<int32_t>(i));
      EXPECT_EQ(op.start_ns, scope.start_ns);
      EXPECT_EQ(op.thread, 0u);
      EXPECT_GE(op.start_ns, its[0].start_ns);
      EXPECT_LE(op.end_ns, its[1].end_ns);
      in_first += op.start_ns <= its[0].end_ns ? 1 : 0;
      EXPECT_NE(t.op_group(op.name), t.unclassified()) << op.name;
      EXPECT_FALSE(op.inputs.empty()) << op.name << " " << scope.name;
    }
    EXPECT_EQ(in_first * 2, p.node_events);
  }
}

TEST(OrtProfile, ShapesAreReadWithTheirTypes) {
  const Profile p = load_profile(kData + kProfiles[0], two_of_three());
  bool matmul = false;
  for (const auto& r : p.trace.records) {
    if (r.kind != RecordKind::kOp || (r.name != "MatMul" && r.name != "Gemm" && r.name != "FusedMatMul")) continue;
    matmul = true;
    // ORT lists the inputs it did not prepack: a GEMM's constant weights are not among them.
    ASSERT_GE(r.inputs.size(), 1u);
    EXPECT_EQ(r.inputs[0].dtype, "float32");
    EXPECT_GE(r.inputs[0].shape.size(), 2u);
  }
  EXPECT_TRUE(matmul);
  ProfileOptions o = two_of_three();
  o.record_shapes = false;
  for (const auto& r : load_profile(kData + kProfiles[0], o).trace.records) EXPECT_TRUE(r.inputs.empty());
}

TEST(OrtProfile, WrongRunCountsAreErrors) {
  const std::string text = slurp(kData + kProfiles[0]);
  ProfileOptions o = two_of_three();
  o.expected_runs = 5;
  EXPECT_NE(error_of(text, "p.json", o).find("p.json: expected 5 model_run events"), std::string::npos);
  o.expected_runs = -1;
  o.profiled_runs = 4;
  EXPECT_NE(error_of(text, "p.json", o).find("fewer than the 4 profiled runs"), std::string::npos);
  // Any run count is fine when not checked: the last ones are the profiled iterations.
  o.profiled_runs = 3;
  EXPECT_EQ(parse_profile(text, "p.json", o).dropped_events, 0);
}

TEST(OrtProfile, TruncatedProfilesFailNamingTheFile) {
  const std::string text = slurp(kData + kProfiles[1]);
  for (size_t cut : {size_t{0}, size_t{1}, text.size() / 3, text.size() - 3}) {
    const std::string err = error_of(text.substr(0, cut), "cut.json", two_of_three());
    EXPECT_NE(err.find("cut.json: malformed ORT profile JSON"), std::string::npos) << cut << ": " << err;
  }
  // Cut at an event boundary and closed again: valid JSON, but runs are missing.
  const size_t at = text.find("\"model_run\"");
  ASSERT_NE(at, std::string::npos);
  // A number beyond double's range is malformed too, not an escaping json::out_of_range (fuzz/).
  EXPECT_NE(error_of(R"([{"ts": 1e999}])", "big.json", two_of_three()).find("big.json: malformed ORT profile JSON"),
            std::string::npos);
  const std::string head = text.substr(0, text.rfind("},", at) + 1) + "]";
  EXPECT_NE(error_of(head, "short.json", two_of_three()).find("short.json: expected 3 model_run events"),
            std::string::npos);
}

TEST(OrtProfile, MalformedEventsFailNamingTheFileAndEvent) {
  const auto o = two_of_three();
  EXPECT_NE(error_of("{\"a\": 1}", "obj.json", o).find("obj.json: not an ORT profile"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]", "num.json", o).find("num.json: event 0 of the ORT profile is not an object"),
            std::string::npos);
  const std::string no_op =
      R"([{"cat":"Node","name":"n_kernel_time","ts":1,"dur":2,"args":{}}])";
  EXPECT_NE(error_of(no_op, "op.json", o).find("op.json: event 0 of the ORT profile (n_kernel_time) has no 'args.op_name'"),
            std::string::npos);
  const std::string bad_ts =
      R"([{"cat":"Session","name":"model_run","ts":"soon","dur":2}])";
  EXPECT_NE(error_of(bad_ts, "ts.json", o).find("ts.json: event 0 of the ORT profile has a non-numeric 'ts'"),
            std::string::npos);
  const std::string bad_shape =
      R"([{"cat":"Node","name":"n_kernel_time","ts":1,"dur":2,"args":{"op_name":"Add","input_type_shape":[{"float":"x"}]}}])";
  EXPECT_NE(error_of(bad_shape, "sh.json", o).find("sh.json: event 0"), std::string::npos);
  // Numbers an integer field cannot hold, or whose nanoseconds would overflow, are errors, never casts (the fuzz
  // smoke found a tid of 3.03e24 cast to uint64_t).
  for (const char* event : {R"({"cat":"Session","name":"model_run","ts":1.5,"dur":2})",
                            R"({"cat":"Session","name":"model_run","ts":1e300,"dur":2})",
                            R"({"cat":"Session","name":"model_run","ts":9223372036854775807,"dur":2})",
                            R"({"cat":"Session","name":"model_run","ts":1,"dur":-2})",
                            R"({"cat":"Session","name":"model_run","ts":1,"dur":2,"tid":3.03e24})",
                            R"({"cat":"Node","name":"n_kernel_time","ts":1,"dur":2,"tid":-1,"args":{"op_name":"Add"}})",
                            R"({"cat":"Node","name":"n_kernel_time","ts":1,"dur":2,"args":{"op_name":"Add","input_type_shape":[{"float":[18446744073709551615]}]}})"}) {
    const std::string e = error_of(std::string("[") + event + "]", "n.json", o);
    EXPECT_NE(e.find("n.json: event 0 of the ORT profile has a"), std::string::npos) << event << " -> " << e;
  }
  const std::string empty = error_of("[]", "empty.json", o);
  EXPECT_NE(empty.find("empty.json: expected 3 model_run events"), std::string::npos) << empty;
  EXPECT_NE(empty.find("found 0"), std::string::npos) << empty;
}

}  // namespace
}  // namespace ngbench::ort
