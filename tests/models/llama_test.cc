// Llama: parameter counts, memory estimates, --layers, output shapes, option
// errors, numerics (eager vs SDPA, causality, RoPE frequencies, half precision).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "models/llama.h"
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

std::unique_ptr<Model> tiny(const std::string& name, const std::string& attention = "",
                            const std::string& dtype = "float32", int64_t layers = 0) {
  ModelOptions o;
  o.attention = attention;
  o.dtype = dtype;
  o.layers = layers;
  return find_model(name).create(o);
}

at::Tensor buffer(Model& m, const std::string& name) {
  return *m.module().named_buffers().find(name);
}

TEST(Llama, PublishedParameterCounts) {
  EXPECT_EQ(find_model("llama2-7b").parameters, 6738415616);
  EXPECT_EQ(find_model("llama3.1-8b").parameters, 8030261248);
}

TEST(Llama, EntriesDescribeTheConfigs) {
  const ModelEntry& l2 = find_model("llama2-7b");
  EXPECT_EQ(l2.task, "NLP");
  EXPECT_EQ(l2.reference, "hf:meta-llama/Llama-2-7b-hf");
  EXPECT_EQ(l2.layers, 32);
  EXPECT_EQ(l2.layer_scope, "LlamaDecoderLayer");
  EXPECT_EQ(l2.default_seq_len, 2048);
  EXPECT_EQ(l2.max_seq_len, 4096);
  EXPECT_TRUE(l2.takes_seq_len);
  EXPECT_FALSE(l2.for_tests);
  const ModelEntry& l3 = find_model("llama3.1-8b");
  EXPECT_EQ(l3.reference, "hf:meta-llama/Llama-3.1-8B");
  EXPECT_EQ(l3.default_seq_len, 2048);
  EXPECT_EQ(l3.max_seq_len, 131072);
  EXPECT_TRUE(find_model("llama-tiny").for_tests);
  EXPECT_TRUE(find_model("llama3-tiny").for_tests);
}

TEST(Llama, MemoryEstimates) {
  const ModelEntry& e = find_model("llama2-7b");
  // Full depth in float32: the weights alone are ~27 GB, so a 24 GiB machine refuses it ...
  EXPECT_GT(e.estimate_bytes(1, 2048, e.layers), 4 * e.parameters);
  EXPECT_GT(e.estimate_bytes(1, 2048, e.layers), 24 * kGiB);
  // ... and two layers fit comfortably.
  EXPECT_LT(e.estimate_bytes(1, 2048, 2), 12 * kGiB);
  EXPECT_GT(e.estimate_bytes(2, 2048, 2), e.estimate_bytes(1, 2048, 2));
  EXPECT_GT(e.estimate_bytes(1, 4096, 2), e.estimate_bytes(1, 2048, 2));
  EXPECT_LT(e.estimate_bytes(1, 2048, 1), e.estimate_bytes(1, 2048, 2));
  // Generous: at least the eager attention scores (batch, heads, seq, seq) in float32 and the logits.
  const int64_t scores = int64_t{4} * 32 * 2048 * 2048, logits = int64_t{4} * 2048 * 32000;
  EXPECT_GT(e.estimate_bytes(1, 2048, 1) - 4 * llama_parameter_count([] {
              LlamaConfig c = llama2_7b_config();
              c.num_hidden_layers = 1;
              return c;
            }()),
            scores + logits);
}

TEST(Llama, BuiltCountEqualsAnalytic) {
  for (const char* name : {"llama-tiny", "llama3-tiny"}) {
    auto m = tiny(name);
    EXPECT_EQ(built_parameters(*m), find_model(name).parameters) << name;
  }
  // GQA: k_proj and v_proj are num_key_value_heads * head_dim wide.
  auto m = tiny("llama3-tiny");
  const auto k = *m->module().named_parameters().find("model.layers.0.self_attn.k_proj.weight");
  EXPECT_EQ(k.sizes(), (at::IntArrayRef{2 * 8, 32}));
  // The lm_head is untied: its own parameter.
  const auto lm = *m->module().named_parameters().find("lm_head.weight");
  const auto emb = *m->module().named_parameters().find("model.embed_tokens.weight");
  EXPECT_FALSE(lm.is_same(emb));
}

TEST(Llama, LayersOptionBuildsThatManyDecoderLayers) {
  auto one = tiny("llama-tiny", "", "float32", 1);
  LlamaConfig c = llama_tiny_config();
  c.num_hidden_layers = 1;
  EXPECT_EQ(built_parameters(*one), llama_parameter_count(c));
  EXPECT_EQ(run(*one, one->make_inputs({1, 4, 0})).sizes(), (at::IntArrayRef{1, 4, 100}));
}

TEST(Llama, LogitsShape) {
  for (const char* name : {"llama-tiny", "llama3-tiny"}) {
    for (const char* attention : {"eager", "sdpa"}) {
      auto m = tiny(name, attention);
      EXPECT_EQ(run(*m, m->make_inputs({2, 8, 0})).sizes(), (at::IntArrayRef{2, 8, 100})) << name << attention;
      EXPECT_EQ(run(*m, m->make_inputs({1, 1, 0})).sizes(), (at::IntArrayRef{1, 1, 100})) << name << attention;
      // seq_len 0: the default, 16.
      EXPECT_EQ(run(*m, m->make_inputs({3, 0, 0})).sizes(), (at::IntArrayRef{3, 16, 100})) << name << attention;
    }
  }
}

TEST(Llama, BadSeqLenAndOptionsThrow) {
  auto m = tiny("llama-tiny");
  EXPECT_THROW(m->make_inputs({1, 65, 0}), Error);  // max_position_embeddings 64
  EXPECT_THROW(m->make_inputs({0, 8, 0}), Error);
  ModelOptions o;
  o.attention = "flash_attention_2";
  EXPECT_THROW(find_model("llama-tiny").create(o), Error);
  o.attention = "";
  o.dtype = "float64";
  EXPECT_THROW(find_model("llama-tiny").create(o), Error);
  LlamaConfig c = llama_tiny_config();
  c.rope.rope_type = "yarn";
  EXPECT_THROW(create_llama(c, 16, ModelOptions{}, "x"), Error);
}

TEST(Llama, EagerAndSdpaAgreeAndAreCausal) {
  for (const char* name : {"llama-tiny", "llama3-tiny"}) {
    auto eager = tiny(name, "eager");
    auto sdpa = tiny(name, "sdpa");
    const auto inputs = eager->make_inputs({2, 8, 3});
    const at::Tensor a = run(*eager, inputs);
    EXPECT_TRUE(at::allclose(a, run(*sdpa, inputs), 1e-4, 1e-5)) << name;
    at::Tensor changed = inputs[0].clone();
    changed.select(1, 7).copy_(inputs[0].select(1, 7).add(1).remainder(100));
    for (Model* m : {eager.get(), sdpa.get()}) {
      const at::Tensor b = run(*m, {changed});
      EXPECT_TRUE(at::allclose(a.narrow(1, 0, 7), b.narrow(1, 0, 7), 1e-4, 1e-5)) << name;
      EXPECT_FALSE(at::allclose(a.narrow(1, 7, 1), b.narrow(1, 7, 1), 1e-4, 1e-5)) << name;
    }
  }
}

TEST(Llama, RopeFrequencies) {
  // Default: 1 / 10000^(2i / head_dim), head_dim 8.
  auto l2 = tiny("llama-tiny");
  const at::Tensor f2 = buffer(*l2, "model.rotary_emb.inv_freq");
  ASSERT_EQ(f2.numel(), 4);
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(f2[i].item<double>(), std::pow(10000.0, -2.0 * i / 8), 1e-7);
  }
  // llama3 with original context 512 and theta 500000: wavelength 6.3 is below
  // 512 / 4 (kept), 167 lies between 512 / 4 and 512 (smoothed), 4450 and 118000
  // are above 512 (divided by the factor 8).
  auto l3 = tiny("llama3-tiny");
  const at::Tensor f3 = buffer(*l3, "model.rotary_emb.inv_freq");
  auto plain = [](int64_t i) { return std::pow(500000.0, -2.0 * i / 8); };
  EXPECT_NEAR(f3[0].item<double>(), plain(0), 1e-7);
  // smooth = (512 / wavelen - 1) / 3; (1 - smooth) * f / 8 + smooth * f
  const double wavelen1 = 2 * 3.141592653589793 / plain(1);
  const double smooth = (512 / wavelen1 - 1) / 3;
  EXPECT_NEAR(f3[1].item<double>(), (1 - smooth) * plain(1) / 8 + smooth * plain(1), 1e-7);
  EXPECT_NEAR(f3[2].item<double>(), plain(2) / 8, 1e-9);
  EXPECT_NEAR(f3[3].item<double>(), plain(3) / 8, 1e-10);
  // Llama 3.1 8B itself (head_dim 128): the three bands, including smoothed frequencies.
  LlamaConfig c = llama31_8b_config();
  c.num_hidden_layers = 0;
  c.vocab_size = 8;  // keep the build small; the rotary embedding depends on head_dim only
  c.intermediate_size = 8;
  auto full = create_llama(c, 16, ModelOptions{}, "llama3.1-8b-rope");
  const at::Tensor f = buffer(*full, "model.rotary_emb.inv_freq");
  ASSERT_EQ(f.numel(), 64);
  int kept = 0, divided = 0, smoothed = 0;
  for (int64_t i = 0; i < 64; ++i) {
    const double base = std::pow(500000.0, -2.0 * i / 128);
    const double got = f[i].item<double>();
    if (std::abs(got - base) <= 1e-6 * base) ++kept;
    else if (std::abs(got - base / 8) <= 1e-6 * base) ++divided;
    else if (got < base && got > base / 8) ++smoothed;
  }
  EXPECT_GT(kept, 0);
  EXPECT_GT(divided, 0);
  EXPECT_GT(smoothed, 0);
  EXPECT_EQ(kept + divided + smoothed, 64);
}

TEST(Llama, HalfPrecisionRunsWithFloat32Rope) {
  for (const char* dtype : {"bfloat16", "float16"}) {
    for (const char* attention : {"eager", "sdpa"}) {
      auto m = tiny("llama3-tiny", attention, dtype);
      const at::Tensor out = run(*m, m->make_inputs({1, 8, 0}));
      EXPECT_EQ(out.scalar_type(), std::string(dtype) == "bfloat16" ? at::kBFloat16 : at::kHalf);
      EXPECT_TRUE(at::isfinite(out).all().item<bool>()) << dtype << attention;
      // As from_pretrained(dtype=...): the RoPE frequencies stay float32.
      EXPECT_EQ(buffer(*m, "model.rotary_emb.inv_freq").scalar_type(), at::kFloat);
      EXPECT_EQ(buffer(*m, "model.rotary_emb.original_inv_freq").scalar_type(), at::kFloat);
    }
  }
}

}  // namespace
}  // namespace ngbench::models
