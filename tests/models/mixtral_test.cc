// Mixtral: parameter counts, memory estimates, --layers, output shapes, the two
// experts implementations (grouped_mm and the eager loop) agreeing, routing
// edge cases, option errors, half precision.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "models/mixtral.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::models {
namespace {

constexpr int64_t kGiB = int64_t{1} << 30;

int64_t built_parameters(Model& m) {
  int64_t n = 0;
  for (const auto& p : m.module().parameters()) n += p.numel();
  return n;
}

at::Tensor run(Model& m, const std::vector<at::Tensor>& inputs) {
  c10::InferenceMode guard;
  return m.forward(inputs);
}

std::unique_ptr<Model> tiny(const std::string& experts, const std::string& attention = "",
                            const std::string& dtype = "float32") {
  ModelOptions o;
  o.attention = attention;
  o.dtype = dtype;
  MixtralConfig c = mixtral_tiny_config();
  c.experts_implementation = experts;
  return create_mixtral(c, 16, o, "mixtral-tiny");
}

TEST(Mixtral, PublishedParameterCount) {
  EXPECT_EQ(find_model("mixtral-8x7b").parameters, 46702792704);
  const ModelEntry& e = find_model("mixtral-8x7b");
  EXPECT_EQ(e.reference, "hf:mistralai/Mixtral-8x7B-v0.1");
  EXPECT_EQ(e.layers, 32);
  EXPECT_EQ(e.layer_scope, "MixtralDecoderLayer");
  EXPECT_EQ(e.default_seq_len, 2048);
  EXPECT_EQ(e.max_seq_len, 32768);
  EXPECT_TRUE(find_model("mixtral-tiny").for_tests);
}

TEST(Mixtral, MemoryEstimates) {
  const ModelEntry& e = find_model("mixtral-8x7b");
  EXPECT_GT(e.estimate_bytes(1, 2048, e.layers), 4 * e.parameters);
  EXPECT_LT(e.estimate_bytes(1, 2048, 1), 16 * kGiB);  // one layer (1.45B parameters) fits
  EXPECT_GT(e.estimate_bytes(1, 2048, 2), e.estimate_bytes(1, 2048, 1));
  EXPECT_GT(e.estimate_bytes(1, 4096, 1), e.estimate_bytes(1, 2048, 1));
}

TEST(Mixtral, BuiltCountEqualsAnalytic) {
  auto m = tiny("grouped_mm");
  EXPECT_EQ(built_parameters(*m), find_model("mixtral-tiny").parameters);
  const auto gate_up = *m->module().named_parameters().find("model.layers.0.mlp.experts.gate_up_proj");
  EXPECT_EQ(gate_up.sizes(), (at::IntArrayRef{4, 2 * 48, 32}));
  ModelOptions one;
  one.layers = 1;
  MixtralConfig c = mixtral_tiny_config();
  c.num_hidden_layers = 1;
  EXPECT_EQ(built_parameters(*find_model("mixtral-tiny").create(one)), mixtral_parameter_count(c));
}

TEST(Mixtral, ExpertsImplementationsAgree) {
  for (const char* attention : {"eager", "sdpa"}) {
    auto grouped = tiny("grouped_mm", attention);
    auto eager = tiny("eager", attention);  // same seed, same weights
    for (const InputSpec& spec : {InputSpec{2, 8, 3}, InputSpec{1, 1, 4}, InputSpec{3, 16, 5}}) {
      const auto inputs = grouped->make_inputs(spec);
      const at::Tensor a = run(*grouped, inputs);
      EXPECT_EQ(a.sizes(), (at::IntArrayRef{spec.batch, spec.seq_len, 100}));
      EXPECT_TRUE(at::allclose(a, run(*eager, inputs), 1e-4, 1e-5)) << attention << " seq " << spec.seq_len;
    }
  }
}

TEST(Mixtral, DefaultIsGroupedMmAndSdpa) {
  // The registry's entry builds HF's defaults: its logits are grouped_mm + sdpa's.
  auto entry = find_model("mixtral-tiny").create(ModelOptions{});
  auto explicit_default = tiny("grouped_mm", "sdpa");
  const auto inputs = entry->make_inputs({2, 8, 9});
  EXPECT_TRUE(at::equal(run(*entry, inputs), run(*explicit_default, inputs)));
}

TEST(Mixtral, BadOptionsThrow) {
  EXPECT_THROW(tiny("batched_mm"), Error);
  ModelOptions o;
  o.attention = "flex_attention";
  EXPECT_THROW(find_model("mixtral-tiny").create(o), Error);
}

TEST(Mixtral, HalfPrecisionRuns) {
  for (const char* dtype : {"bfloat16", "float16"}) {
    for (const char* experts : {"grouped_mm", "eager"}) {
      auto m = tiny(experts, "sdpa", dtype);
      const at::Tensor out = run(*m, m->make_inputs({1, 8, 0}));
      EXPECT_EQ(out.scalar_type(), std::string(dtype) == "bfloat16" ? at::kBFloat16 : at::kHalf);
      EXPECT_TRUE(at::isfinite(out).all().item<bool>()) << dtype << " " << experts;
    }
  }
}

}  // namespace
}  // namespace ngbench::models
