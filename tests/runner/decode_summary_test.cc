// The decode section (runner/decode_summary.h): timed and profiled passes split
// by step, the halves compared.
#include "runner/decode_summary.h"

#include <gtest/gtest.h>

#include <vector>

namespace ngbench::runner {
namespace {

// Two groups, GEMM and Memory; per profiled iteration (steps 0..3, twice) GEMM 1 ms and Memory k ms at step k.
Breakdown two_groups() {
  Breakdown b;
  GroupTime gemm{"GEMM", Side::kGemm};
  GroupTime memory{"Memory", Side::kNonGemm};
  GroupTime norm{"Normalization", Side::kNonGemm};
  for (int seq = 0; seq < 2; ++seq) {
    for (int step = 0; step < 4; ++step) {
      gemm.iter_ms.push_back(1.0);
      memory.iter_ms.push_back(step);
      norm.iter_ms.push_back(0.5);
    }
  }
  b.groups = {gemm, memory, norm};
  return b;
}

TEST(DecodeSummary, SplitsPassesByStepAndComparesTheHalves) {
  const std::vector<int> steps = {0, 1, 2, 3, 0, 1, 2, 3};
  const std::vector<double> timed = {10, 11, 12, 13, 10, 11, 12, 13};
  const DecodeResult d = summarize_decode(timed, steps, steps, two_groups(), /*context=*/100, /*gen_tokens=*/4,
                                          /*batch=*/2);
  ASSERT_TRUE(d.present);
  EXPECT_EQ(d.context, 100);
  EXPECT_EQ(d.sequences_timed, 2);
  EXPECT_EQ(d.sequences_profiled, 2);
  ASSERT_EQ(d.steps.size(), 4u);
  EXPECT_EQ(d.steps[3].context, 103);
  EXPECT_DOUBLE_EQ(d.steps[3].median_ms, 13);
  EXPECT_EQ(d.steps[3].samples, 2);
  EXPECT_DOUBLE_EQ(d.steps[3].attributed_ms, 1 + 3 + 0.5);  // mean over the two profiled sequences
  EXPECT_DOUBLE_EQ(d.steps[0].non_gemm_share, 0.5 / 1.5);
  // Early: steps 0-1, late: steps 2-3; the late half spends more in Memory.
  EXPECT_EQ(d.early.first_step, 0);
  EXPECT_EQ(d.early.last_step, 1);
  EXPECT_EQ(d.late.first_step, 2);
  EXPECT_EQ(d.late.last_step, 3);
  EXPECT_DOUBLE_EQ(d.early.median_ms, 10.5);
  EXPECT_DOUBLE_EQ(d.late.median_ms, 12.5);
  EXPECT_DOUBLE_EQ(d.early.non_gemm_share, (0 + 1 + 1.0) / (2 + 1 + 1.0));
  EXPECT_DOUBLE_EQ(d.late.non_gemm_share, (2 + 3 + 1.0) / (2 + 5 + 1.0));
  EXPECT_EQ(d.early.top_group, "Memory");  // a tie with Normalization (2 ms each) goes to the first group
  EXPECT_EQ(d.late.top_group, "Memory");
  // Two rows per step at the median 11.5 ms per token.
  EXPECT_NEAR(d.tokens_per_s, 2 * 1000.0 / 11.5, 1e-9);
}

TEST(DecodeSummary, OneStepIsBothHalves) {
  const std::vector<int> steps = {0, 0};
  Breakdown b;
  b.groups = {GroupTime{"GEMM", Side::kGemm, 0, 0, {1, 1}}};
  const DecodeResult d = summarize_decode({5, 7}, steps, steps, b, 8, 1, 1);
  EXPECT_EQ(d.early.first_step, 0);
  EXPECT_EQ(d.early.last_step, 0);
  EXPECT_EQ(d.late.first_step, 0);
  EXPECT_EQ(d.late.last_step, 0);
  EXPECT_DOUBLE_EQ(d.early.median_ms, 6);
  EXPECT_DOUBLE_EQ(d.late.median_ms, 6);
  EXPECT_EQ(d.early.top_group, "");  // no non-GEMM time
}

}  // namespace
}  // namespace ngbench::runner
