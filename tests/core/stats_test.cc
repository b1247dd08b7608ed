#include "core/stats.h"

#include <gtest/gtest.h>

namespace ngbench {
namespace {

TEST(Percentile, InterpolatesBetweenClosestRanks) {
  // numpy.percentile([1, 2, 3, 4], q) for q = 0, 50, 90, 100
  const std::vector<double> v{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(percentile(v, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile(v, 90), 3.7);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 4.0);
}

TEST(Summarize, GivesOrderStatisticsAndSampleStddev) {
  const auto s = summarize({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.stddev, 2.138089935, 1e-9);  // sqrt(32 / 7)
  EXPECT_EQ(s.samples.size(), 8u);
  EXPECT_EQ(s.samples.front(), 2);  // kept in the order taken
}

TEST(Summarize, SingleSampleHasNoSpread) {
  const auto s = summarize({3.5});
  EXPECT_DOUBLE_EQ(s.median, 3.5);
  EXPECT_DOUBLE_EQ(s.p99, 3.5);
  EXPECT_DOUBLE_EQ(s.stddev, 0);
}

TEST(Summarize, EmptyIsAllZero) {
  const auto s = summarize({});
  EXPECT_EQ(s.median, 0);
  EXPECT_TRUE(s.samples.empty());
}

}  // namespace
}  // namespace ngbench
