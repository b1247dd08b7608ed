#include "core/run_config.h"

#include <gtest/gtest.h>

namespace ngbench {
namespace {

TEST(SweepConfig, ExpandsTheCartesianProductInOrder) {
  SweepConfig s;
  s.base.threads = 2;
  s.models = {"gpt2", "bert-base-uncased"};
  s.batches = {1, 8};
  s.seq_lens = {128, 256};
  const auto cs = s.expand();
  ASSERT_EQ(cs.size(), 8u);
  EXPECT_EQ(cs[0].model, "gpt2");
  EXPECT_EQ(cs[0].batch, 1);
  EXPECT_EQ(cs[0].seq_len, 128);
  EXPECT_EQ(cs[1].seq_len, 256);
  EXPECT_EQ(cs[2].batch, 8);
  EXPECT_EQ(cs[7].model, "bert-base-uncased");
  EXPECT_EQ(cs[7].batch, 8);
  EXPECT_EQ(cs[7].seq_len, 256);
  for (const auto& c : cs) EXPECT_EQ(c.threads, 2);  // the base is copied into each
}

TEST(SweepConfig, AnEmptyListGivesNothing) {
  SweepConfig s;
  s.batches.clear();
  EXPECT_TRUE(s.expand().empty());
}

}  // namespace
}  // namespace ngbench
