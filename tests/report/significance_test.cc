#include "report/significance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ngbench::report::stats {
namespace {

// Reference values from mpmath (betainc, findroot on the t CDF).
TEST(Significance, IncompleteBetaMatchesReferenceValues) {
  EXPECT_NEAR(regularized_incomplete_beta(2, 3, 0.5), 0.6875, 1e-12);
  EXPECT_NEAR(regularized_incomplete_beta(0.5, 30, 0.01), 0.560665631094749, 1e-10);
  EXPECT_NEAR(regularized_incomplete_beta(50, 60, 0.45), 0.464235291430604, 1e-10);
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 0), 0.0);
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 1), 1.0);
}

TEST(Significance, StudentTCdfAndQuantile) {
  EXPECT_NEAR(student_t_cdf(2.0, 10), 0.96330598261463, 1e-10);
  EXPECT_NEAR(student_t_cdf(-1.5, 3.3), 0.111251598359646, 1e-10);
  EXPECT_NEAR(student_t_cdf(0, 7), 0.5, 1e-15);
  EXPECT_NEAR(student_t_cdf(1.96, std::numeric_limits<double>::infinity()), 0.9750021048517795, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.22813885198627, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.7062047361747, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.975, 5.882352941176471), 2.45882370969915, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.22813885198627, 1e-8);
}

TEST(Significance, WelchMatchesAWorkedExample) {
  // R: t.test(c(2,4,6,8,10), c(1,2,3,4,5)) with B - A = -3.
  const auto w = welch_t_test({2, 4, 6, 8, 10}, {1, 2, 3, 4, 5});
  ASSERT_TRUE(w.valid);
  EXPECT_DOUBLE_EQ(w.diff, -3.0);
  EXPECT_NEAR(w.t, -1.89736659610103, 1e-12);
  EXPECT_NEAR(w.df, 5.882352941176471, 1e-12);
  EXPECT_NEAR(w.p, 0.107531194930627, 1e-9);
  EXPECT_NEAR(w.ci_lo, -3 - 2.45882370969915 * std::sqrt(2.5), 1e-7);
  EXPECT_NEAR(w.ci_hi, -3 + 2.45882370969915 * std::sqrt(2.5), 1e-7);
}

TEST(Significance, DegenerateSamples) {
  EXPECT_FALSE(welch_t_test({1.0}, {1.0, 2.0}).valid);
  const auto same = welch_t_test({1, 1, 1}, {1, 1, 1});
  EXPECT_TRUE(same.valid);
  EXPECT_EQ(same.p, 1.0);
  const auto shifted = welch_t_test({1, 1, 1}, {2, 2, 2});
  EXPECT_EQ(shifted.p, 0.0);
  EXPECT_DOUBLE_EQ(shifted.diff, 1.0);
  // An operator that vanished: B is all zeros.
  const auto gone = welch_t_test({1.0, 1.1, 0.9}, {0, 0, 0});
  EXPECT_LT(gone.p, 0.01);
  const auto r = relative_change(gone);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.value, -1.0, 1e-12);
}

TEST(Significance, RelativeChangeIntervalCoversTheRatio) {
  const auto w = welch_t_test({10, 10.2, 9.8, 10.1, 9.9}, {7, 7.1, 6.9, 7.05, 6.95});
  const auto r = relative_change(w);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.value, -0.3, 1e-12);
  EXPECT_LT(r.lo, -0.3);
  EXPECT_GT(r.hi, -0.3);
  EXPECT_LT(r.hi, -0.25);
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

}  // namespace
}  // namespace ngbench::report::stats
