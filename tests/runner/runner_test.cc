// The runner's checks of a configuration before anything runs, and one run.
#include "runner/runner.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/atomic_file.h"
#include "core/context.h"
#include "core/error.h"
#include "core/result_name.h"
#include "report/result_json.h"

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
  c.max_time_s = 0;
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
  c.max_time_s = 0;
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

TEST(Validate, DecodeAndTheKvCacheWhereAModelHasOne) {
  // The prefill of a text decoder fills HF's cache by default, and says so; a model without one records "".
  EXPECT_EQ(validate(config("gpt2-tiny")).kv_cache, "on");
  EXPECT_EQ(validate(config("bert-tiny")).kv_cache, "");
  RunConfig c = config("gpt2-tiny");  // 32 positions, default context 16
  c.phase = "decode";
  c.gen_tokens = 16;
  EXPECT_EQ(refusal(c), "");
  c.gen_tokens = 17;
  EXPECT_NE(refusal(c).find("--gen-tokens 17 is impossible for gpt2-tiny with a 16-token context; valid: 1 to 16"),
            std::string::npos)
      << refusal(c);
  c.gen_tokens = 0;
  EXPECT_NE(refusal(c).find("--gen-tokens 0 is impossible"), std::string::npos) << refusal(c);
  c.gen_tokens = -3;
  EXPECT_NE(refusal(c).find("--gen-tokens -3 is impossible"), std::string::npos) << refusal(c);
  c = config("bert-tiny");
  c.phase = "decode";
  EXPECT_NE(refusal(c).find("has no decoder to generate with; --phase decode applies to: gpt2"), std::string::npos)
      << refusal(c);
  c = config("vit-test");
  c.kv_cache = "off";
  EXPECT_NE(refusal(c).find("has no KV cache; --kv-cache applies to"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.kv_cache = "maybe";
  EXPECT_NE(refusal(c).find("--kv-cache 'maybe' is invalid; valid: on, off"), std::string::npos) << refusal(c);
  c.kv_cache = "off";
  c.phase = "decode";
  EXPECT_NE(refusal(c).find("decode always runs over the KV cache"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.phase = "generate";
  EXPECT_NE(refusal(c).find("unknown phase 'generate'; valid: prefill, decode"), std::string::npos) << refusal(c);
  c.phase = "prefill";
  c.gen_tokens = 8;
  EXPECT_NE(refusal(c).find("--gen-tokens 8 applies to --phase decode"), std::string::npos) << refusal(c);
}

TEST(Validate, TheCacheCountsInTheMemoryEstimate) {
  RunConfig off = config("gpt2-large");
  off.kv_cache = "off";
  off = validate(off);
  const RunConfig on = validate(config("gpt2-large"));
  RunConfig decode = config("gpt2-large");
  decode.phase = "decode";
  decode = validate(decode);
  // 36 layers x 2 x 1280 floats per token.
  const int64_t per_token = int64_t{36} * 2 * 1280 * 4;
  EXPECT_EQ(estimate_bytes(on) - estimate_bytes(off), per_token * on.seq_len);
  EXPECT_EQ(estimate_bytes(decode) - estimate_bytes(on), per_token * decode.gen_tokens);
}

TEST(RunOne, DecodeTimesAndProfilesEveryGeneratedToken) {
  RunConfig c = config("gpt2-tiny");
  c.phase = "decode";
  c.gen_tokens = 4;
  c = validate(c);
  c.batch = 2;
  c.seq_len = 8;
  c.warmup = 1;
  c.iters = 2;
  c.max_time_s = 0;
  c.profile_iters = 2;
  const RunResult r = run_one(c, "test");
  ASSERT_EQ(r.status, "ok") << r.error;
  EXPECT_EQ(r.latency_ms.samples.size(), 8u);  // 2 sequences of 4 tokens
  EXPECT_EQ(r.breakdown.iterations, 8);
  ASSERT_TRUE(r.decode.present);
  EXPECT_EQ(r.decode.context, 8);
  ASSERT_EQ(r.decode.steps.size(), 4u);
  EXPECT_EQ(r.decode.steps[3].context, 11);
  for (const auto& s : r.decode.steps) {
    EXPECT_EQ(s.samples, 2);
    EXPECT_GT(s.median_ms, 0);
    EXPECT_GT(s.attributed_ms, 0);
    EXPECT_GT(s.non_gemm_share, 0);
  }
  EXPECT_EQ(r.decode.late.first_step, 2);
  EXPECT_FALSE(r.decode.late.top_group.empty());
  EXPECT_GT(r.decode.tokens_per_s, 0);
  // The cache's two cat per layer are in every step's trace.
  int cats = 0;
  for (const auto& e : r.breakdown.trace) cats += e.name == "aten::cat" ? 1 : 0;
  EXPECT_GE(cats, 2 * 2);
}

}  // namespace
}  // namespace ngbench::runner

namespace ngbench::runner {
namespace {

namespace fs = std::filesystem;

TEST(ValidateSweep, RefusesAConfigurationListedTwice) {
  SweepConfig s;
  s.models = {"gpt2-tiny"};
  s.batches = {1, 1};
  try {
    validate_sweep(s);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lists gpt2-tiny batch 1 seq 16 twice"), std::string::npos) << e.what();
  }
}

TEST(ValidateSweep, NeverReplacesAResultOfAnotherConfiguration) {
  const fs::path dir = fs::temp_directory_path() / ("ngbench-keep-" + std::to_string(getpid()));
  fs::remove_all(dir);
  RunConfig c = config("gpt2-tiny");
  c.out_dir = dir.string();
  c.iters = 2;
  c.max_time_s = 0;
  c.profile_iters = 1;
  const RunConfig v = validate(c);
  const RunResult r = run_one(v, "test");
  ASSERT_EQ(r.status, "ok") << r.error;
  fs::create_directories(dir);
  // An older ngbench wrote this configuration's name for a run with another seed.
  RunResult older = r;
  older.config.seed = 7;
  const std::string path = (dir / (result_stem(v) + ".json")).string();
  write_file_atomically(path, report::to_json(older).dump());
  try {
    validate_configs({c});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("another configuration (seed 7 there, 0 here)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos) << e.what();
  }
  c.overwrite = true;
  EXPECT_NO_THROW(validate_configs({c}));
  // The same configuration (a rerun, here with more iterations) replaces its result.
  write_file_atomically(path, report::to_json(r).dump());
  c.overwrite = false;
  c.iters = 5;
  EXPECT_NO_THROW(validate_configs({c}));
  // Something that is not a result is kept too.
  write_file_atomically(path, "{\"not\": \"a result\"}");
  EXPECT_THROW(validate_configs({c}), Error);
  fs::remove_all(dir);
}

TEST(Validate, ThreadsTaxonomyOfAnotherFlowAndNumbers) {
  RunConfig c = config("gpt2-tiny");
  c.threads = 100000;
  EXPECT_NE(refusal(c).find("valid: 0 (one per logical CPU) to"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.taxonomy_file = std::string(NGBENCH_SOURCE_DIR) + "/taxonomy/ort.json";
  EXPECT_NE(refusal(c).find("holds rules of flow 'ort'"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.target_ci = 0;
  EXPECT_NE(refusal(c).find("--target-ci"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.max_time_s = -1;
  EXPECT_NE(refusal(c).find("--max-time"), std::string::npos) << refusal(c);
  c = config("vit-test");
  c.text_file = std::string(NGBENCH_SOURCE_DIR) + "/README.md";
  EXPECT_NE(refusal(c).find("takes images, not text"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.images = std::string(NGBENCH_SOURCE_DIR) + "/data/images";
  EXPECT_NE(refusal(c).find("takes token ids, not images"), std::string::npos) << refusal(c);
  c = config("gpt2-tiny");
  c.text_file = "/nonexistent/prompt.txt";
  EXPECT_NE(refusal(c).find("does not exist"), std::string::npos) << refusal(c);
  c = config("vit-test");
  c.score_threshold = 0.5;
  EXPECT_NE(refusal(c).find("detects no boxes"), std::string::npos) << refusal(c);
}

TEST(RunOne, StrictMakesAnUnstableResultAFailedOne) {
  RunConfig c = validate(config("gpt2-tiny"));
  c.iters = 3;  // too few samples for a 95% interval of the median: unstable by construction
  c.max_time_s = 0;
  c.profile_iters = 1;
  c.strict = true;
  const RunResult r = run_one(c, "test");
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.error.find("unstable (--strict): 3 timed samples are too few"), std::string::npos) << r.error;
  EXPECT_EQ(r.stability.verdict, "unstable");
  c.strict = false;
  EXPECT_EQ(run_one(c, "test").status, "ok");
}

}  // namespace
}  // namespace ngbench::runner
