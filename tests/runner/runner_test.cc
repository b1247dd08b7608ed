// The runner's checks of a configuration before anything runs, and one run.
#include "runner/runner.h"

#include <gtest/gtest.h>

#include <string>

#include "core/context.h"
#include "core/error.h"

namespace ngbench::runner {
namespace {

RunConfig config(const std::string& model) {
  RunConfig c;
  c.model = model;
  return c;
}

// The one-line message of validate(c), or "" when it passes.
std::string refusal(const RunConfig& c) {
  try {
    validate(c);
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

TEST(Validate, ResolvesTheModelsDefaults) {
  const RunConfig gpt2 = validate(config("gpt2-tiny"));
  EXPECT_GT(gpt2.seq_len, 0);            // the model's default sequence length
  EXPECT_EQ(gpt2.attention, "sdpa");     // HF's default, recorded as run
  EXPECT_EQ(validate(config("vit-test")).attention, "");  // torchvision: no choice
  EXPECT_EQ(validate(config("vit-test")).seq_len, 0);
  RunConfig eager = config("llama3-tiny");
  eager.attention = "eager";
  EXPECT_EQ(validate(eager).attention, "eager");
}

TEST(Validate, RefusesWhatAModelCannotDo) {
  RunConfig c = config("gpt2-tiny");
  c.attention = "flash";
  EXPECT_NE(refusal(c).find("'flash'; valid: eager, sdpa"), std::string::npos) << refusal(c);
  c = config("vit-test");
  c.attention = "sdpa";
  EXPECT_NE(refusal(c).find("single attention implementation"), std::string::npos) << refusal(c);
  c = config("vit-test");
  c.seq_len = 16;
  EXPECT_NE(refusal(c).find("takes no sequence length"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.layers = 3;  // it has 2
  EXPECT_NE(refusal(c).find("--layers 3 is impossible for gpt2-tiny; valid: 0 (all) or 1 to 2"), std::string::npos)
      << refusal(c);
  c = config("gpt2-tiny");
  c.allocator = "tcmalloc";
  EXPECT_NE(refusal(c).find("'tcmalloc'"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.model_file = "model.onnx";  // on flow eager
  EXPECT_NE(refusal(c).find("runs built-in models"), std::string::npos) << refusal(c);
}

TEST(Validate, DepthScalingAndHalfPrecisionShrinkTheEstimate) {
  RunConfig full = validate(config("gpt2-large"));
  RunConfig part = full;
  part.layers = 4;
  EXPECT_LT(estimate_bytes(part), estimate_bytes(full) / 3);
  RunConfig half = full;
  half.dtype = "bfloat16";
  EXPECT_EQ(estimate_bytes(half), estimate_bytes(full) / 2);
}

TEST(Validate, AModelThatCannotFitIsRefusedWithTheDepthThatFits) {
  // Llama 2 7B in float32 needs 25+ GiB of weights alone.
  const int64_t have = available_memory_bytes();
  if (have <= 0 || have > (int64_t{26} << 30)) GTEST_SKIP() << "this machine could hold the whole model";
  const std::string why = refusal(config("llama2-7b"));
  EXPECT_NE(why.find("llama2-7b at batch 1"), std::string::npos) << why;
  EXPECT_NE(why.find("GiB is available"), std::string::npos) << why;
  EXPECT_NE(why.find("with --layers "), std::string::npos) << why;
}

TEST(RunOne, MeasuresATinyModelAndNeverThrows) {
  RunConfig c = validate(config("gpt2-tiny"));
  c.batch = 2;
  c.seq_len = 8;
  c.warmup = 1;
  c.iters = 3;
  c.profile_iters = 2;
  const RunResult r = run_one(c, "test");
  ASSERT_EQ(r.status, "ok") << r.error;
  EXPECT_EQ(r.latency_ms.samples.size(), 3u);
  EXPECT_EQ(r.breakdown.iterations, 2);
  EXPECT_EQ(r.context.allocator.rfind("retain", 0), 0u);
  EXPECT_GE(r.page_faults_per_iter, 0);
  EXPECT_FALSE(r.extrapolation.applied);
  // The allocator mode is process-wide: "system" after "retain" fails as data.
  c.allocator = "system";
  const RunResult failed = run_one(c, "test");
  EXPECT_EQ(failed.status, "failed");
  EXPECT_NE(failed.error.find("after 'retain'"), std::string::npos) << failed.error;
}

TEST(RunOne, DepthScaledRunsAreMarkedExtrapolated) {
  RunConfig c = validate(config("llama-tiny"));
  c.layers = 1;
  c.batch = 1;
  c.seq_len = 8;
  c.warmup = 1;
  c.iters = 2;
  c.profile_iters = 2;
  const RunResult r = run_one(c, "test");
  ASSERT_EQ(r.status, "ok") << r.error;
  ASSERT_TRUE(r.extrapolation.applied);
  EXPECT_EQ(r.extrapolation.layers_built, 1);
  EXPECT_EQ(r.extrapolation.layers_total, 2);
  EXPECT_DOUBLE_EQ(r.extrapolation.factor, 2.0);
  EXPECT_GT(r.breakdown.depth_scale, 1.0);  // the layer's ops counted twice
  EXPECT_GT(r.extrapolation.latency_ms, r.latency_ms.median);
}

}  // namespace
}  // namespace ngbench::runner
