// GPT-2: parameter counts, output shapes, inputs, option errors, numerics.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "models/gpt2.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::models {
namespace {

int64_t built_parameters(Model& m) {
  int64_t n = 0;
  for (const auto& p : m.module().parameters()) n += p.numel();
  return n;
}

at::Tensor run(Model& m, const std::vector<at::Tensor>& inputs) {
  c10::InferenceMode guard;
  return m.forward(inputs);
}

std::unique_ptr<Model> tiny(const std::string& attention = "", const std::string& dtype = "float32") {
  ModelOptions o;
  o.attention = attention;
  o.dtype = dtype;
  return find_model("gpt2-tiny").create(o);
}

TEST(Gpt2, PublishedParameterCounts) {
  EXPECT_EQ(find_model("gpt2").parameters, 124439808);
  EXPECT_EQ(find_model("gpt2-large").parameters, 774030080);
  EXPECT_EQ(find_model("gpt2-xl").parameters, 1557611200);
}

TEST(Gpt2, EntriesDescribeTheConfigs) {
  const ModelEntry& e = find_model("gpt2-xl");
  EXPECT_EQ(e.layers, 48);
  EXPECT_EQ(e.default_seq_len, 512);
  EXPECT_EQ(e.max_seq_len, 1024);
  EXPECT_TRUE(e.takes_seq_len);
  EXPECT_FALSE(e.for_tests);
  EXPECT_EQ(find_model("gpt2").default_seq_len, 256);
  EXPECT_TRUE(find_model("gpt2-tiny").for_tests);
  // Weights alone are 4 bytes a parameter; activations come on top and grow with the shape.
  EXPECT_GT(e.estimate_bytes(1, 512, e.layers), 4 * e.parameters);
  EXPECT_GT(e.estimate_bytes(2, 512, e.layers), e.estimate_bytes(1, 512, e.layers));
  EXPECT_GT(e.estimate_bytes(1, 1024, e.layers), e.estimate_bytes(1, 512, e.layers));
  EXPECT_LT(e.estimate_bytes(1, 512, 2), e.estimate_bytes(1, 512, e.layers));  // --layers builds fewer
}

TEST(Gpt2, BuiltCountEqualsAnalytic) {
  auto m = tiny();
  EXPECT_EQ(built_parameters(*m), find_model("gpt2-tiny").parameters);
  // The full gpt2 too (the tied lm_head counts once); gpt2-large and -xl are left out for time.
  auto full = find_model("gpt2").create(ModelOptions{});
  EXPECT_EQ(built_parameters(*full), 124439808);
}

TEST(Gpt2, LogitsShape) {
  for (const char* attention : {"eager", "sdpa"}) {
    auto m = tiny(attention);
    EXPECT_EQ(run(*m, m->make_inputs({2, 8, 0})).sizes(), (at::IntArrayRef{2, 8, 100})) << attention;
    EXPECT_EQ(run(*m, m->make_inputs({1, 1, 0})).sizes(), (at::IntArrayRef{1, 1, 100})) << attention;
    // seq_len 0: the default, 16.
    EXPECT_EQ(run(*m, m->make_inputs({3, 0, 0})).sizes(), (at::IntArrayRef{3, 16, 100})) << attention;
  }
}

TEST(Gpt2, InputsAreDeterministicTokenIds) {
  auto m = tiny();
  const auto a = m->make_inputs({2, 8, 7});
  const auto b = m->make_inputs({2, 8, 7});
  const auto c = m->make_inputs({2, 8, 8});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].scalar_type(), at::kLong);
  EXPECT_EQ(a[0].sizes(), (at::IntArrayRef{2, 8}));
  EXPECT_TRUE(at::equal(a[0], b[0]));
  EXPECT_FALSE(at::equal(a[0], c[0]));
  EXPECT_GE(a[0].min().item<int64_t>(), 0);
  EXPECT_LT(a[0].max().item<int64_t>(), 100);
}

TEST(Gpt2, BadSeqLenAndBatchThrow) {
  auto m = tiny();
  try {
    m->make_inputs({1, 33, 0});
    FAIL() << "seq_len 33 > n_positions 32 accepted";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("33"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1..32"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_THROW(m->make_inputs({1, -1, 0}), Error);
  EXPECT_THROW(m->make_inputs({0, 8, 0}), Error);
}

TEST(Gpt2, BadOptionsThrow) {
  ModelOptions o;
  o.attention = "flash";
  EXPECT_THROW(find_model("gpt2-tiny").create(o), Error);
  o.attention = "";
  o.dtype = "int8";
  EXPECT_THROW(find_model("gpt2-tiny").create(o), Error);
}

TEST(Gpt2, EagerAndSdpaAgreeAndAreCausal) {
  // Same seed, same weights: the two attention paths must compute the same logits.
  auto eager = tiny("eager");
  auto sdpa = tiny("sdpa");
  const auto inputs = eager->make_inputs({2, 8, 3});
  const at::Tensor a = run(*eager, inputs);
  EXPECT_TRUE(at::allclose(a, run(*sdpa, inputs), 1e-4, 1e-5));
  // Causal: changing the last token leaves the earlier positions' logits alone.
  at::Tensor changed = inputs[0].clone();
  changed.select(1, 7).copy_(inputs[0].select(1, 7).add(1).remainder(100));
  for (Model* m : {eager.get(), sdpa.get()}) {
    const at::Tensor b = run(*m, {changed});
    EXPECT_TRUE(at::allclose(a.narrow(1, 0, 7), b.narrow(1, 0, 7), 1e-4, 1e-5));
    EXPECT_FALSE(at::allclose(a.narrow(1, 7, 1), b.narrow(1, 7, 1), 1e-4, 1e-5));
  }
}

TEST(Gpt2, HalfPrecisionRuns) {
  auto m = tiny("eager", "bfloat16");
  const at::Tensor out = run(*m, m->make_inputs({1, 8, 0}));
  EXPECT_EQ(out.scalar_type(), at::kBFloat16);
  EXPECT_TRUE(at::isfinite(out).all().item<bool>());
}

}  // namespace
}  // namespace ngbench::models
