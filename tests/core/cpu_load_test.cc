// The /proc parsers of the other-load measure, on real, truncated and malformed text.
#include "core/cpu_load.h"

#include <gtest/gtest.h>

#include <string>

namespace ngbench {
namespace {

TEST(CpuLoad, ParsesProcStat) {
  const std::string stat =
      "cpu  10 20 30 400 50 6 7 8 0 0\ncpu0 5 10 15 200 25 3 3 4 0 0\nintr 123\nctxt 456\n";
  uint64_t busy = 0, steal = 0;
  ASSERT_TRUE(parse_proc_stat(stat, busy, steal));
  EXPECT_EQ(busy, 10u + 20 + 30 + 6 + 7);
  EXPECT_EQ(steal, 8u);
  ASSERT_TRUE(parse_proc_stat("cpu  1 2 3 4 5 6 7\n", busy, steal));  // no steal column
  EXPECT_EQ(steal, 0u);
  for (const std::string bad : {"", "cpu0 1 2 3 4 5 6 7 8\n", "cpu  1 2 x 4 5 6 7\n", "cpu  1 2\n", "intr 1\n"}) {
    EXPECT_FALSE(parse_proc_stat(bad, busy, steal)) << bad;
  }
  // Every truncation of a real line either parses or is refused; never a crash.
  for (size_t n = 0; n <= stat.size(); ++n) parse_proc_stat(stat.substr(0, n), busy, steal);
}

TEST(CpuLoad, ParsesProcessStatWithSpacesInTheName) {
  const std::string stat = "4242 (ngbench (a b)) R 1 2 3 4 5 6 7 8 9 10 111 222 0 0 20 0 1 0 99 0 0";
  uint64_t ticks = 0;
  ASSERT_TRUE(parse_process_stat(stat, ticks));
  EXPECT_EQ(ticks, 333u);
  EXPECT_FALSE(parse_process_stat("4242 (x) R 1 2 3", ticks));
  EXPECT_FALSE(parse_process_stat("no parenthesis", ticks));
  EXPECT_FALSE(parse_process_stat("1 (x) R 1 2 3 4 5 6 7 8 9 10 -5 2", ticks));
  for (size_t n = 0; n <= stat.size(); ++n) parse_process_stat(stat.substr(0, n), ticks);
}

TEST(CpuLoad, SnapshotsOfThisMachine) {
  const CpuSnapshot a = cpu_snapshot();
  ASSERT_TRUE(a.valid);  // Linux
  volatile double x = 0;
  for (int i = 0; i < 20000000; ++i) x = x + 1e-9 * i;  // our own work is not "other"
  const CpuSnapshot b = cpu_snapshot();
  const double other = other_load(a, b);
  EXPECT_GE(other, 0);
  EXPECT_EQ(other_load(CpuSnapshot{}, b), -1);
}

}  // namespace
}  // namespace ngbench
