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

TEST(SweepConfig, CrossesTheQuantSchemesLastAndGivesOutliersToInt8LtOnly) {
  SweepConfig s;
  s.seq_lens = {64, 128};
  s.quants = {"none", "int8-lt", "int8-dynamic"};
  s.base.int8_outliers = kInt8OutliersDetected;
  const auto cs = s.expand();
  ASSERT_EQ(cs.size(), 6u);
  EXPECT_EQ(cs[0].quant, "none");
  EXPECT_EQ(cs[1].quant, "int8-lt");
  EXPECT_EQ(cs[2].quant, "int8-dynamic");
  EXPECT_EQ(cs[3].seq_len, 128);
  // --int8-outliers is int8-lt's: the other schemes of the sweep keep the default (and their result names).
  EXPECT_EQ(cs[0].int8_outliers, RunConfig().int8_outliers);
  EXPECT_EQ(cs[1].int8_outliers, kInt8OutliersDetected);
  EXPECT_EQ(cs[2].int8_outliers, RunConfig().int8_outliers);
  // Without int8-lt in the sweep it stays, so that validation can say where it applies.
  s.quants = {"int8-dynamic"};
  EXPECT_EQ(s.expand().at(0).int8_outliers, kInt8OutliersDetected);
}

TEST(SweepConfig, CrossesThePhasesLastAndGivesEachPhaseOnlyItsOwnOptions) {
  SweepConfig s;
  s.quants = {"none", "int8-lt"};
  s.phases = {"prefill", "decode"};
  s.base.gen_tokens = 8;
  s.base.kv_cache = "off";
  const auto cs = s.expand();
  ASSERT_EQ(cs.size(), 4u);
  EXPECT_EQ(cs[0].phase, "prefill");
  EXPECT_EQ(cs[1].phase, "decode");
  EXPECT_EQ(cs[2].quant, "int8-lt");
  // --gen-tokens is decode's, --kv-cache prefill's: each phase of a mixed sweep keeps the other's default.
  EXPECT_EQ(cs[0].gen_tokens, RunConfig().gen_tokens);
  EXPECT_EQ(cs[0].kv_cache, "off");
  EXPECT_EQ(cs[1].gen_tokens, 8);
  EXPECT_EQ(cs[1].kv_cache, RunConfig().kv_cache);
  // One phase alone keeps both, so that validation can say where they apply.
  s.phases = {"prefill"};
  EXPECT_EQ(s.expand().at(0).gen_tokens, 8);
}

TEST(SweepConfig, AnEmptyListGivesNothing) {
  SweepConfig s;
  s.batches.clear();
  EXPECT_TRUE(s.expand().empty());
}

}  // namespace
}  // namespace ngbench
