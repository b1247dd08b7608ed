#include "report/trace_export.h"

#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "report/result_files.h"
#include "report_test_util.h"

namespace ngbench::report {
namespace {

using nlohmann::json;
using testing::fixture_dir;

// Chrome's reserved color names (catapult's color_scheme.html).
const std::set<std::string> kReservedColors{
    "thread_state_uninterruptible", "thread_state_iowait", "thread_state_running", "thread_state_runnable",
    "thread_state_unknown", "background_memory_dump", "light_memory_dump", "detailed_memory_dump",
    "vsync_highlight_color", "generic_work", "good", "bad", "terrible", "black", "grey", "white", "yellow", "olive",
    "rail_response", "rail_animation", "rail_idle", "rail_load", "startup", "heap_dump_stack_frame",
    "heap_dump_object_type", "heap_dump_child_node_highlight", "cq_build_running", "cq_build_passed",
    "cq_build_failed", "cq_build_abandoned", "cq_build_attempt_runnig", "cq_build_attempt_passed",
    "cq_build_attempt_failed"};

void check_schema(const json& doc, size_t expected_events) {
  ASSERT_TRUE(doc.is_object());
  ASSERT_TRUE(doc.contains("traceEvents"));
  ASSERT_TRUE(doc["traceEvents"].is_array());
  EXPECT_EQ(doc["displayTimeUnit"], "ms");
  size_t complete = 0, metadata = 0;
  double last_ts = -1;
  for (const json& e : doc["traceEvents"]) {
    ASSERT_TRUE(e.is_object());
    ASSERT_TRUE(e.contains("ph") && e["ph"].is_string());
    ASSERT_TRUE(e.contains("name") && e["name"].is_string());
    ASSERT_TRUE(e.contains("pid") && e["pid"].is_number_integer());
    ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer());
    if (e["ph"] == "M") {
      ++metadata;
      EXPECT_TRUE(e["args"]["name"].is_string());
      continue;
    }
    ASSERT_EQ(e["ph"], "X");
    ++complete;
    ASSERT_TRUE(e.contains("ts") && e["ts"].is_number());
    ASSERT_TRUE(e.contains("dur") && e["dur"].is_number());
    ASSERT_TRUE(e.contains("cat") && e["cat"].is_string());
    ASSERT_TRUE(e.contains("cname") && e["cname"].is_string());
    EXPECT_TRUE(kReservedColors.count(e["cname"].get<std::string>())) << e["cname"];
    const double ts = e["ts"], dur = e["dur"];
    EXPECT_GE(ts, 0);
    EXPECT_GE(dur, 0);
    EXPECT_GE(ts, last_ts) << "ts must not decrease";
    last_ts = ts;
    const json& args = e.at("args");
    EXPECT_TRUE(args["scope"].is_string());
    EXPECT_TRUE(args["group"].is_string());
    EXPECT_EQ(args["group"], e["cat"]);
    EXPECT_TRUE(args["input_shapes"].is_array());
    EXPECT_TRUE(args["input_types"].is_array());
    EXPECT_EQ(args["input_shapes"].size(), args["input_types"].size());
  }
  EXPECT_EQ(complete, expected_events);
  EXPECT_EQ(metadata, 2u);
}

TEST(TraceExport, EveryOperatorOfTheIterationIsACompleteEvent) {
  const RunResult r = load_result(fixture_dir("results") + "/gpt2-fixture__eager__cpu__float32__b1__s32.json");
  const json doc = chrome_trace(r);
  check_schema(doc, r.breakdown.trace.size());
  // Valid JSON text, and the group decides the color.
  const json again = json::parse(doc.dump());
  bool saw_gelu = false;
  for (const json& e : again["traceEvents"]) {
    if (e["name"] != "NewGELUActivation") continue;
    saw_gelu = true;
    EXPECT_EQ(e["cat"], "Activation");
    EXPECT_EQ(e["cname"], chrome_cname("Activation"));
    EXPECT_EQ(e["args"]["scope"], "GPT2Block");
    EXPECT_EQ(e["args"]["input_shapes"][0], json::array({1, 32, 3072}));
    EXPECT_EQ(e["args"]["input_types"][0], "float32");
  }
  EXPECT_TRUE(saw_gelu);
}

TEST(TraceExport, WritesAFileAndSortsByStart) {
  RunResult r = load_result(fixture_dir("results") + "/detr-fixture__eager__cpu__float32__b1__s0.json");
  std::reverse(r.breakdown.trace.begin(), r.breakdown.trace.end());
  testing::TempDir dir("trace");
  const std::string path = dir.str() + "/trace.json";
  write_chrome_trace(r, path);
  check_schema(json::parse(testing::read_text(path)), r.breakdown.trace.size());
}

TEST(TraceExport, ColorsAreFixedPerGroup) {
  EXPECT_STREQ(chrome_cname("GEMM"), "rail_response");
  EXPECT_STREQ(chrome_cname("Unclassified"), "black");
  EXPECT_STREQ(chrome_cname("no such group"), "generic_work");
  EXPECT_STRNE(chrome_cname("Normalization"), chrome_cname("Memory"));
}

TEST(TraceExport, FailedOrEmptyRunsHaveNoTrace) {
  const RunResult failed =
      load_result(fixture_dir("results") + "/segformer-fixture__eager__cpu__float32__b8__s0.failed.json");
  EXPECT_THROW(chrome_trace(failed), Error);
  RunResult empty = load_result(fixture_dir("results") + "/vit-fixture__eager__cpu__float32__b1__s0.json");
  empty.breakdown.trace.clear();
  EXPECT_THROW(chrome_trace(empty), Error);
}

}  // namespace
}  // namespace ngbench::report
