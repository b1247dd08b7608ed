// Golden output: the result file of a real run of the binary, compared field
// by field with tests/cli/golden/gpt2-tiny.result.json, where the volatile
// values (timings, the machine, the build) are placeholders (golden_json.h).
// Any change to the result format shows up here as a diff to review.
//
// To regenerate after an intended change of the format:
//   NGBENCH_UPDATE_GOLDEN=1 build/tests/cli/test_cli --gtest_filter='ResultGolden.*'
// then read the diff of the golden file before committing it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "golden_json.h"
#include "process.h"

namespace ngbench::testing {
namespace {

using nlohmann::json;

const std::string kGolden = std::string(NGBENCH_SOURCE_DIR) + "/tests/cli/golden/gpt2-tiny.result.json";

// Lists whose order follows measured times are put in a fixed order.
void normalize(json& j) {
  auto by_name = [](json& list) {
    std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
      return a.value("name", "") + "\x1f" + a.value("scope", "") < b.value("name", "") + "\x1f" + b.value("scope", "");
    });
  };
  by_name(j["breakdown"]["ops"]);
  by_name(j["breakdown"]["groups"]);
  by_name(j["summary"]["unclassified"]);
  for (auto& op : j["breakdown"]["ops"]) {
    std::stable_sort(op["shapes"].begin(), op["shapes"].end(),
                     [](const json& a, const json& b) { return a["inputs"].dump() < b["inputs"].dump(); });
  }
}

// What a golden file holds for a value at `path` (key `key`): a placeholder
// where the value is volatile, else the value.
json golden_value(const std::string& path, const std::string& key, const json& v) {
  static const std::set<std::string> stable_floats = {"calls", "score_threshold", "warmup_max_s", "factor",
                                                      "depth_scale"};
  const bool volatile_section = path.rfind("/context", 0) == 0 || path.rfind("/warmup", 0) == 0 ||
                                (path.rfind("/stability", 0) == 0 && path != "/stability/timed_blocks") ||
                                path == "/config/out_dir" || path == "/page_faults_per_iter";
  if (path == "/context/threads" || path == "/context/runtime/name" || path == "/context/allocator" ||
      path == "/context/taxonomy") {
    return v;
  }
  if (volatile_section) {
    if (v.is_string()) return "<string>";
    if (v.is_boolean()) return "<bool>";
    if (v.is_number_integer()) return "<int>";
    if (v.is_number()) return "<float>";
  }
  if (v.is_number_float() && !stable_floats.count(key)) return "<float>";
  return v;
}

json to_golden(const json& j, const std::string& path = "", const std::string& key = "") {
  if (path == "/stability/reasons") return "<any>";  // what the machine did meanwhile: any number of lines
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : j.items()) out[k] = to_golden(v, path + "/" + k, k);
    return out;
  }
  if (j.is_array()) {
    json out = json::array();
    for (size_t i = 0; i < j.size(); ++i) out.push_back(to_golden(j[i], path + "/" + std::to_string(i), key));
    return out;
  }
  return golden_value(path, key, j);
}

TEST(ResultGolden, ARealRunMatchesTheGoldenFile) {
  TempDir dir("golden");
  // --max-time 0: exactly --iters timed passes, so that the golden file holds their number.
  const auto o = run_ngbench("run --model gpt2-tiny --batch 2 --seq-len 8 --threads 1 --warmup 1 --iters 3 "
                             "--max-time 0 --profile-iters 2 --seed 7 --out " + dir.path());
  ASSERT_EQ(o.status, 0) << o.err;
  std::ifstream in(dir.path() + "/gpt2-tiny__eager__cpu__float32__b2__s8__t1__seed7.json");
  json actual = json::parse(in);
  normalize(actual);
  if (const char* update = std::getenv("NGBENCH_UPDATE_GOLDEN"); update && *update) {
    std::ofstream(kGolden) << to_golden(actual).dump(1) << "\n";
    GTEST_SKIP() << "wrote " << kGolden;
  }
  std::ifstream g(kGolden);
  ASSERT_TRUE(g) << kGolden;
  const json golden = json::parse(g);
  const auto diffs = golden_differences(golden, actual);
  for (size_t i = 0; i < diffs.size() && i < 40; ++i) ADD_FAILURE() << diffs[i];
  EXPECT_TRUE(diffs.empty()) << diffs.size() << " difference(s) from " << kGolden;
}

TEST(GoldenJson, PlaceholdersMatchTheirTypeOnly) {
  const json golden = json::parse(R"({"a": "<float>", "b": "<int>", "c": "<string>", "d": [1, "<any>"], "e": "x"})");
  EXPECT_TRUE(golden_differences(golden, json::parse(R"({"a": 1.5, "b": 2, "c": "s", "d": [1, null], "e": "x"})"))
                  .empty());
  EXPECT_EQ(golden_differences(golden, json::parse(R"({"a": "1", "b": 2.5, "c": 3, "d": [2, 0], "e": "y"})")).size(),
            5u);
  EXPECT_EQ(golden_differences(golden, json::parse(R"({"a": 1, "b": 2, "c": "s", "d": [1], "e": "x", "f": 0})"))
                .size(),
            2u);  // d's length, f not in the golden file
}

}  // namespace
}  // namespace ngbench::testing
