#include "runner/warmup.h"

#include <gtest/gtest.h>

namespace ngbench::runner {
namespace {

TEST(Warmup, AtLeastTheMinimumThenUntilStable) {
  WarmupJudge j({3, 100, 2, 0.02, 50});
  for (double ms : {50.0, 20.0, 12.0}) {
    EXPECT_TRUE(j.more(0));
    j.add(ms);
  }
  EXPECT_TRUE(j.more(0));  // the last window moved far
  for (double ms : {10.0, 10.1, 10.0, 10.05}) j.add(ms);
  EXPECT_FALSE(j.more(0));
  EXPECT_TRUE(j.record(1.5).stable);
  EXPECT_EQ(j.record(1.5).iterations, 7);
}

TEST(Warmup, BoundedByTimeAndIterations) {
  WarmupJudge slow({2, 5, 5, 0.02, 200});
  slow.add(1000);
  slow.add(2000);
  EXPECT_FALSE(slow.more(6.0));  // the budget is spent: it ends unstable
  EXPECT_FALSE(slow.record(6.0).stable);
  WarmupJudge cap({0, 1e9, 5, 0.0, 4});
  for (int i = 0; i < 4; ++i) cap.add(i % 2 ? 1 : 100);
  EXPECT_FALSE(cap.more(0));
  WarmupJudge none({0, 0, 5, 0.02, 200});
  EXPECT_FALSE(none.more(0));  // --warmup 0 --warmup-time 0: no warm-up at all
}

}  // namespace
}  // namespace ngbench::runner
