// The stability verdict on synthetic sample sets: stable, bimodal, drifting,
// too few, loaded; and the order-statistics interval of the median.
#include "core/stability.h"

#include <gtest/gtest.h>

#include <random>

#include "core/stats.h"

namespace ngbench {
namespace {

std::vector<double> noisy(int n, double center, double sd, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(center, sd);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(d(rng));
  return v;
}

RunResult result_of(const std::vector<double>& samples) {
  RunResult r;
  r.latency_ms = summarize(samples);
  r.overhead = 1.01;
  r.breakdown.coverage = 0.99;
  r.warmup.timed = {12, true, 1.0};
  return r;
}

TEST(MedianInterval, OrderStatisticsAtNinetyFivePercent) {
  // n = 20: P(Bin(20, 1/2) <= 5) = 0.0207 <= 0.025 < P(<= 6): the interval is [x(6), x(15)] (1-based).
  std::vector<double> v;
  for (int i = 1; i <= 20; ++i) v.push_back(i);
  const auto ci = median_interval(v);
  EXPECT_TRUE(ci.exact);
  EXPECT_EQ(ci.low, 6);
  EXPECT_EQ(ci.high, 15);
  // n = 6: only [min, max] reaches 95% (1 - 2/64 = 96.9%); n = 5 cannot (93.8%).
  const auto six = median_interval({3, 1, 2, 6, 5, 4});
  EXPECT_TRUE(six.exact);
  EXPECT_EQ(six.low, 1);
  EXPECT_EQ(six.high, 6);
  EXPECT_FALSE(median_interval({1, 2, 3, 4, 5}).exact);
  EXPECT_FALSE(median_interval({}).exact);
  // Large n: the interval narrows around the median.
  const auto big = median_interval(noisy(2000, 100, 5, 1));
  EXPECT_LT(big.high - big.low, 1.0);
  EXPECT_LT(big.low, 100.3);
  EXPECT_GT(big.high, 99.7);
}

TEST(Stability, QuietSamplesAreStable) {
  const Stability s = judge_stability(result_of(noisy(40, 100, 1, 2)), 0.02, 2, 4);
  EXPECT_EQ(s.verdict, "stable") << (s.reasons.empty() ? "" : s.reasons[0]);
  EXPECT_LT(s.median_ci_rel, 0.02);
  EXPECT_FALSE(s.bimodal);
  EXPECT_EQ(s.timed_blocks, 4);
}

TEST(Stability, TheLoadedMainJobIsBimodal) {
  // The case: 12 samples near 2.2 s, then 8 near 0.42 s.
  std::vector<double> v = noisy(12, 2200, 20, 3);
  for (double x : noisy(8, 420, 5, 4)) v.push_back(x);
  EXPECT_TRUE(is_bimodal(v));
  const Stability s = judge_stability(result_of(v), 1.9, 2, 4);
  EXPECT_EQ(s.verdict, "unstable");
  auto says = [&](const std::string& what) {
    for (const auto& r : s.reasons) {
      if (r.find(what) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(says("bimodal"));
  EXPECT_TRUE(says("drift"));
  EXPECT_TRUE(says("other work used 1.90 of the machine's 2 CPUs"));
  EXPECT_TRUE(says("95% interval"));
}

TEST(Stability, DriftAndTooFewSamplesAndBandsAreReasons) {
  std::vector<double> rising;
  for (int i = 0; i < 30; ++i) rising.push_back(100 + 2.0 * i);
  EXPECT_GT(drift(rising), 0.2);
  EXPECT_FALSE(is_bimodal(rising));
  EXPECT_EQ(judge_stability(result_of(rising), 0, 2, 1).verdict, "unstable");
  const Stability few = judge_stability(result_of({1, 1, 1}), 0, 2, 1);
  ASSERT_EQ(few.reasons.size(), 1u);
  EXPECT_NE(few.reasons[0].find("too few"), std::string::npos);
  RunResult r = result_of(noisy(40, 100, 0.5, 5));
  r.overhead = 0.2;  // profiled far faster than timed: the timed phase was disturbed
  r.breakdown.coverage = 0.43;
  const Stability bands = judge_stability(r, 0, 2, 4);
  EXPECT_EQ(bands.reasons.size(), 2u);
  // Other load below the threshold (10% of the CPUs, at least 0.1) is evidence, not a reason.
  EXPECT_EQ(judge_stability(result_of(noisy(40, 100, 0.5, 6)), 0.15, 2, 4).verdict, "stable");
  EXPECT_EQ(judge_stability(result_of(noisy(40, 100, 0.5, 6)), 0.25, 2, 4).verdict, "unstable");
}

TEST(Stability, NormalNoiseIsNotBimodal) {
  for (unsigned seed = 0; seed < 50; ++seed) EXPECT_FALSE(is_bimodal(noisy(20, 100, 3, seed))) << seed;
  EXPECT_NEAR(robust_cv(noisy(5000, 100, 3, 9)), 0.03, 0.003);
}

}  // namespace
}  // namespace ngbench
