// BERT: parameter counts, output shapes, inputs, option errors, numerics.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "models/bert.h"
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
  return find_model("bert-tiny").create(o);
}

TEST(Bert, PublishedParameterCount) {
  const ModelEntry& e = find_model("bert-base-uncased");
  EXPECT_EQ(e.parameters, 109482240);
  EXPECT_EQ(e.layers, 12);
  EXPECT_EQ(e.default_seq_len, 128);
  EXPECT_EQ(e.max_seq_len, 512);
  EXPECT_GT(e.estimate_bytes(1, 128, e.layers), 4 * e.parameters);
  EXPECT_GT(e.estimate_bytes(1, 512, e.layers), e.estimate_bytes(1, 128, e.layers));
}

TEST(Bert, BuiltCountEqualsAnalytic) {
  auto m = tiny();
  EXPECT_EQ(built_parameters(*m), find_model("bert-tiny").parameters);
  auto full = find_model("bert-base-uncased").create(ModelOptions{});
  EXPECT_EQ(built_parameters(*full), 109482240);
}

TEST(Bert, HiddenStateShape) {
  for (const char* attention : {"eager", "sdpa"}) {
    auto m = tiny(attention);
    EXPECT_EQ(run(*m, m->make_inputs({2, 8, 0})).sizes(), (at::IntArrayRef{2, 8, 64})) << attention;
    // The longest sequence: position ids are then the whole buffer (no slice op).
    EXPECT_EQ(run(*m, m->make_inputs({1, 32, 0})).sizes(), (at::IntArrayRef{1, 32, 64})) << attention;
    EXPECT_EQ(run(*m, m->make_inputs({3, 0, 0})).sizes(), (at::IntArrayRef{3, 16, 64})) << attention;
  }
}

TEST(Bert, InputsAreDeterministicTokenIds) {
  auto m = tiny();
  const auto a = m->make_inputs({2, 8, 5});
  EXPECT_TRUE(at::equal(a[0], m->make_inputs({2, 8, 5})[0]));
  EXPECT_FALSE(at::equal(a[0], m->make_inputs({2, 8, 6})[0]));
  EXPECT_EQ(a[0].scalar_type(), at::kLong);
  EXPECT_LT(a[0].max().item<int64_t>(), 100);
}

TEST(Bert, BadSeqLenThrows) {
  auto m = tiny();
  try {
    m->make_inputs({1, 64, 0});
    FAIL() << "seq_len 64 > max_position_embeddings 32 accepted";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("64"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1..32"), std::string::npos) << msg;
  }
  EXPECT_THROW(m->make_inputs({1, -5, 0}), Error);
}

TEST(Bert, EagerAndSdpaAgreeAndAreBidirectional) {
  auto eager = tiny("eager");
  auto sdpa = tiny("sdpa");
  const auto inputs = eager->make_inputs({2, 8, 3});
  const at::Tensor a = run(*eager, inputs);
  EXPECT_TRUE(at::allclose(a, run(*sdpa, inputs), 1e-4, 1e-5));
  // Bidirectional: changing the last token changes the first position too.
  at::Tensor changed = inputs[0].clone();
  changed.select(1, 7).copy_(inputs[0].select(1, 7).add(1).remainder(100));
  const at::Tensor b = run(*eager, {changed});
  EXPECT_FALSE(at::allclose(a.narrow(1, 0, 1), b.narrow(1, 0, 1), 1e-4, 1e-5));
}

TEST(Bert, HalfPrecisionKeepsIntegerBuffers) {
  auto m = tiny("sdpa", "float16");
  for (const auto& b : m->module().buffers()) EXPECT_EQ(b.scalar_type(), at::kLong);
  const at::Tensor out = run(*m, m->make_inputs({1, 8, 0}));
  EXPECT_EQ(out.scalar_type(), at::kHalf);
  EXPECT_TRUE(at::isfinite(out).all().item<bool>());
}

}  // namespace
}  // namespace ngbench::models
