#include "report/raw_trace_json.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace ngbench::report {
namespace {

ProfiledTrace sample() {
  ProfiledTrace t;
  t.iterations = {{0, 100}};
  t.records = {{"aten::linear", RecordKind::kOp, 0, 50, -1, 0, 0,
                {{ArgInfo::Kind::kTensor, {2, 3}, "float16"}, {ArgInfo::Kind::kScalar, {}, ""}}},
               {"aten::addmm", RecordKind::kOp, 1, 49, 0, 1, 0, {}},
               {"Mod", RecordKind::kScope, 60, 90, -1, 0, 3, {}}};
  DeviceRecord d;
  d.name = "gemm";
  d.start_ns = 10;
  d.end_ns = 40;
  d.stream = 7;
  d.launched_by = 1;
  t.device = {d};
  return t;
}

TEST(RawTraceJson, RoundTrips) {
  const auto t = sample();
  const auto back = raw_trace_from_json(nlohmann::json::parse(raw_trace_to_json(t).dump()), "mem");
  ASSERT_EQ(back.records.size(), 3u);
  EXPECT_EQ(back.records[0].inputs, t.records[0].inputs);
  EXPECT_EQ(back.records[1].parent, 0);
  EXPECT_EQ(back.records[2].kind, RecordKind::kScope);
  EXPECT_EQ(back.records[2].thread, 3u);
  ASSERT_EQ(back.device.size(), 1u);
  EXPECT_EQ(back.device[0].launched_by, 1);
  EXPECT_EQ(back.device[0].stream, 7);
  EXPECT_EQ(back.iterations[0].end_ns, 100);
  EXPECT_EQ(raw_trace_to_json(back), raw_trace_to_json(t));
}

TEST(RawTraceJson, RejectsMalformedAndInconsistentInput) {
  const std::string text = raw_trace_to_json(sample()).dump();
  for (size_t cut : {size_t{1}, text.size() / 2, text.size() - 1}) {
    nlohmann::json j;
    bool parsed = true;
    try {
      j = nlohmann::json::parse(text.substr(0, cut));
    } catch (const nlohmann::json::parse_error&) {
      parsed = false;
    }
    if (parsed) {
      EXPECT_THROW(raw_trace_from_json(j, "t.json"), Error);
    }
  }
  auto bad_parent = raw_trace_to_json(sample());
  bad_parent["records"][0]["parent"] = 5;
  EXPECT_THROW(raw_trace_from_json(bad_parent, "t.json"), Error);
  auto bad_launch = raw_trace_to_json(sample());
  bad_launch["device"][0]["launched_by"] = 99;
  EXPECT_THROW(raw_trace_from_json(bad_launch, "t.json"), Error);
  auto bad_kind = raw_trace_to_json(sample());
  bad_kind["device"][0]["kind"] = 9;
  try {
    raw_trace_from_json(bad_kind, "t.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.json"), std::string::npos);
  }
  EXPECT_THROW(load_raw_trace("/nonexistent/raw.json"), Error);
  // Integers as floats beyond their type's range, or out of range, are errors, never cast (found by the campaign).
  for (const auto& [where, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"start_ns", 1.79541e31}, {"parent", int64_t{1} << 40}, {"thread", -1}, {"depth", 1.5}}) {
    auto bad = raw_trace_to_json(sample());
    bad["records"][0][where] = value;
    try {
      raw_trace_from_json(bad, "t.json");
      ADD_FAILURE() << where;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("t.json: '" + where + "' must be an integer in range"), std::string::npos)
          << e.what();
    }
  }
  // A number beyond double's range: malformed, not an escaping json::out_of_range (fuzz/).
  try {
    parse_raw_trace(R"({"records": [{"start_ns": 17e95407624523383315}]})", "big.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("big.json: malformed JSON"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ngbench::report
