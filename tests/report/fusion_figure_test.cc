// Fig. 8 and Table V from results (report/fusion_figure.h): a model
// configuration that ran unfused (eager) and on a fusing flow is a group, its
// unfused run first and the others' non-GEMM speedup over it; runs of another
// thread count or without an unfused run form no group with it.
#include "report/fusion_figure.h"

#include <gtest/gtest.h>

#include "synthetic_results.h"

namespace ngbench::report {
namespace {

using testing::SynthOptions;
using testing::synth_model;
using testing::synth_result;

LoadedResult fused(const std::string& freezing, double non_gemm_scale, int threads = 1) {
  SynthOptions o;
  o.flow = "inductor";
  for (const char* g : {"Normalization", "Activation", "Element-wise arithmetic", "Memory", "Logit computation"}) {
    o.group_scale[g] = non_gemm_scale;
  }
  RunResult r = synth_result(synth_model("gpt2-fixture"), o);
  r.config.threads = threads;
  r.config.backend_options["freezing"] = {freezing};
  r.fusion.analyzed = true;
  r.fusion.original_non_gemm = 10;
  r.fusion.fused_non_gemm = 6;
  r.fusion.fused_with_gemm = 2;
  r.fusion.kept_non_gemm = 2;
  return {"inductor-" + freezing + ".json", r};
}

LoadedResult unfused(int threads = 1) {
  RunResult r = synth_result(synth_model("gpt2-fixture"), SynthOptions{});
  r.config.threads = threads;
  return {"eager.json", r};
}

TEST(FusionFigure, GroupsAnUnfusedRunWithItsFusedOnesAndComputesTheSpeedup) {
  const ResultSet set = split_by_status({fused("on", 0.5), unfused(), fused("off", 0.8)});  // the groups point into it
  const auto groups = fusion_groups(set);
  ASSERT_EQ(groups.size(), 1u);
  const FusionGroup& g = groups[0];
  ASSERT_EQ(g.runs.size(), 3u);
  EXPECT_TRUE(g.runs[0].baseline);
  EXPECT_EQ(g.runs[0].label, "eager");
  EXPECT_EQ(g.runs[1].label, "inductor freezing=off");
  EXPECT_EQ(g.runs[2].label, "inductor freezing=on");
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_NEAR(g.runs[i].non_gemm_speedup, g.runs[0].non_gemm_ms / g.runs[i].non_gemm_ms, 1e-12);
    EXPECT_GT(g.runs[i].non_gemm_speedup, 1.0);
  }
  const TextTable t = table_v(groups);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][1], "eager (unfused)");
  EXPECT_EQ(t.rows[0][6], "-");
  EXPECT_EQ(t.rows[2][6], "80.0%");  // (6 + 2) / 10
  EXPECT_EQ(t.rows[2][7], "20.0%");
  EXPECT_EQ(t.rows[2][8], "60.0%");
}

TEST(FusionFigure, NoGroupWithoutAnUnfusedRunOfTheSameConfiguration) {
  for (const auto& results : {std::vector<LoadedResult>{fused("on", 0.5)}, std::vector<LoadedResult>{unfused()},
                               std::vector<LoadedResult>{fused("on", 0.5, 2), unfused(1)}}) {
    const ResultSet set = split_by_status(results);
    EXPECT_TRUE(fusion_groups(set).empty()) << results.size() << " result(s); the last: threads differ";
  }
}

}  // namespace
}  // namespace ngbench::report
