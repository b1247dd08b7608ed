#include "report/significance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/stats.h"

namespace ngbench::report::stats {
namespace {

std::vector<double> noisy(std::mt19937_64& rng, size_t n, double center, double sd) {
  std::normal_distribution<double> d(center, sd);
  std::vector<double> v(n);
  for (double& x : v) x = std::max(0.0, d(rng));
  return v;
}

bool excludes(double lo, double hi, double value) { return lo > value || hi < value; }

TEST(Significance, MediansAreThoseRunPrints) {
  const std::vector<double> a{3, 1, 2, 5, 4, 9}, b{7, 8, 6, 10, 9};
  const MedianBootstrap boot(a, b, 1, 0.05);
  EXPECT_EQ(boot.median_a(), percentile(a, 50));  // 3.5: even n, the mean of the middle two
  EXPECT_EQ(boot.median_b(), percentile(b, 50));
  const MedianChange c = median_change(boot, 0.05);
  EXPECT_DOUBLE_EQ(c.diff, 8 - 3.5);
  EXPECT_DOUBLE_EQ(c.ratio, 8 / 3.5);
  EXPECT_DOUBLE_EQ(c.confidence, 0.95);
}

TEST(Significance, SeededAndReproducible) {
  std::mt19937_64 rng(3);
  const auto a = noisy(rng, 10, 1.0, 0.05), b = noisy(rng, 10, 1.02, 0.05);
  const MedianChange x = median_change(MedianBootstrap(a, b, 42, 0.05), 0.05);
  const MedianChange y = median_change(MedianBootstrap(a, b, 42, 0.05), 0.05);
  EXPECT_EQ(x.p, y.p);
  EXPECT_EQ(x.ci_lo, y.ci_lo);
  EXPECT_EQ(x.ratio_hi, y.ratio_hi);
}

// The interval at level a excludes 0 exactly when p < a, for the difference
// and for the ratio (around 1), whatever the samples and the level.
TEST(Significance, IntervalsAndPValueAgreeAtEveryLevel) {
  std::mt19937_64 rng(7);
  int significant = 0, not_significant = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 3 + static_cast<size_t>(trial % 20);
    const double shift = 0.01 * (trial % 9);
    const auto a = noisy(rng, n, 1.0, 0.05), b = noisy(rng, n + trial % 3, 1.0 + shift, 0.05);
    const MedianBootstrap boot(a, b, static_cast<uint64_t>(trial), 0.05, 2000);
    for (const double level : {0.05, 0.025, 0.01, 0.004, 0.001, 0.0004}) {
      const MedianChange c = median_change(boot, level);
      SCOPED_TRACE(::testing::Message() << "trial " << trial << " level " << level << " p " << c.p);
      EXPECT_EQ(excludes(c.ci_lo, c.ci_hi, 0.0), c.p < level);
      EXPECT_EQ(excludes(c.ratio_lo, c.ratio_hi, 1.0), c.p < level);
      EXPECT_LE(c.ci_lo, c.ci_hi);
      (c.p < level ? significant : not_significant)++;
    }
  }
  EXPECT_GT(significant, 100);  // both outcomes occur
  EXPECT_GT(not_significant, 100);
}

TEST(Significance, RelativeChangeNeverPassesMinus100Percent) {
  std::mt19937_64 rng(11);
  for (const double factor : {1e-6, 1e-3, 0.01, 0.5, 2.0, 100.0, 1e6}) {
    const auto a = noisy(rng, 10, 1.0, 0.05), b = noisy(rng, 10, factor, 0.05 * factor);
    const MedianChange c = median_change(MedianBootstrap(a, b, 5, 0.05), 0.05 / 40);
    SCOPED_TRACE(factor);
    ASSERT_TRUE(c.has_ratio);
    EXPECT_GE(c.ratio_lo, 0.0);  // relative change >= -100%
    EXPECT_LE(c.ratio_lo, c.ratio);
    EXPECT_GE(c.ratio_hi, c.ratio);
    EXPECT_EQ(c.p, 0.0);  // no replicate crosses: every one of them changed the same way
    EXPECT_TRUE(excludes(c.ratio_lo, c.ratio_hi, 1.0));
  }
}

TEST(Significance, DegenerateSamples) {
  const MedianBootstrap one({1.0}, {1.0, 2.0}, 1, 0.05);
  EXPECT_FALSE(one.valid());
  EXPECT_EQ(one.p_value(), 1.0);
  const MedianChange same = median_change(MedianBootstrap({1, 1, 1}, {1, 1, 1}, 1, 0.05), 0.05);
  EXPECT_TRUE(same.valid);
  EXPECT_EQ(same.p, 1.0);
  EXPECT_EQ(same.ci_lo, 0.0);
  EXPECT_EQ(same.ci_hi, 0.0);
  const MedianChange shifted = median_change(MedianBootstrap({1, 1, 1}, {2, 2, 2}, 1, 0.05), 0.05);
  EXPECT_EQ(shifted.p, 0.0);
  EXPECT_DOUBLE_EQ(shifted.ci_lo, 1.0);
  EXPECT_DOUBLE_EQ(shifted.ratio_lo, 2.0);
  // An operator that vanished: B is all zeros, -100% exactly.
  const MedianChange gone = median_change(MedianBootstrap({1.0, 1.1, 0.9}, {0, 0, 0}, 1, 0.05), 0.05);
  EXPECT_EQ(gone.p, 0.0);
  EXPECT_DOUBLE_EQ(gone.ratio, 0.0);
  EXPECT_DOUBLE_EQ(gone.ratio_lo, 0.0);
  // A new one: no ratio to A's zero.
  const MedianChange fresh = median_change(MedianBootstrap({0, 0, 0}, {1.0, 1.1, 0.9}, 1, 0.05), 0.05);
  EXPECT_FALSE(fresh.has_ratio);
  EXPECT_EQ(fresh.p, 0.0);
}

TEST(Significance, HolmAdjustment) {
  const auto p = holm_adjust({0.01, 0.04, 0.03, 0.005});
  // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, made monotone.
  EXPECT_NEAR(p[3], 0.02, 1e-12);
  EXPECT_NEAR(p[0], 0.03, 1e-12);
  EXPECT_NEAR(p[2], 0.06, 1e-12);
  EXPECT_NEAR(p[1], 0.06, 1e-12);
  EXPECT_TRUE(holm_adjust({}).empty());
}

TEST(Significance, HolmLevelsRejectExactlyWhatTheAdjustedPRejects) {
  const auto levels = holm_levels({0.01, 0.04, 0.03, 0.005}, 0.05);
  EXPECT_NEAR(levels[3], 0.05 / 4, 1e-15);  // rejected at step 1
  EXPECT_NEAR(levels[0], 0.05 / 3, 1e-15);  // rejected at step 2
  EXPECT_NEAR(levels[2], 0.05 / 2, 1e-15);  // 0.03 >= 0.025: the procedure stops here
  EXPECT_NEAR(levels[1], 0.05 / 2, 1e-15);  // and tests the rest at the same level
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> u(0, 0.03);
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<double> p(1 + static_cast<size_t>(trial % 30));
    for (double& x : p) x = trial % 2 ? u(rng) : std::pow(u(rng), 3);
    const auto adjusted = holm_adjust(p), level = holm_levels(p, 0.05);
    for (size_t i = 0; i < p.size(); ++i) EXPECT_EQ(p[i] < level[i], adjusted[i] < 0.05) << trial << " " << i;
  }
}

}  // namespace
}  // namespace ngbench::report::stats
