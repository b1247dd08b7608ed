// Op-for-op fidelity of the KV cache and of generation against Hugging Face
// (goldens from tools/golden/make_goldens.py, compared as fidelity_test.cc does):
//  - "-cache": a forward(input_ids) that fills a DynamicCache (use_cache=True, HF's default);
//  - "-decode": one step of greedy generate after a context of seq_len tokens: the step's input
//    slicing, the forward over the cache, the kwargs update, the next token, the stopping criteria.
// With the golden's weights (Llama, Mixtral) the generated tokens must be HF's as well.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "golden.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::models::testing {
namespace {

struct Case {
  const char* golden;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.golden; }

class DecodeFidelity : public ::testing::TestWithParam<Case> {};

std::unique_ptr<Model> build(const Golden& g) {
  ModelOptions options;
  options.attention = g.attention;
  options.dtype = g.dtype;
  options.kv_cache = g.kv_cache;
  options.gen_tokens = 3;
  auto model = find_model(g.model).create(options);
  if (!g.weights.empty()) load_into(*model, load_weights(g.weights));
  return model;
}

TEST_P(DecodeFidelity, MatchesHuggingFaceOpForOp) {
  const std::string name = GetParam().golden;
  const Golden g = load_golden(name);
  auto model = build(g);
  const auto inputs = g.input_ids.defined() ? std::vector<at::Tensor>{g.input_ids}
                                            : model->make_inputs({g.batch, g.seq_len, /*seed=*/1});
  ASSERT_EQ(inputs.at(0).sizes(), (at::IntArrayRef{g.batch, g.seq_len}));
  if (g.phase != "decode") {
    ASSERT_TRUE(g.kv_cache) << name;
    expect_same_ops(name, g.ops, observe_forward(*model, inputs), [](size_t) { return false; });
    return;
  }
  // A whole sequence as warm-up, then a new one: its prefill unobserved, its first decode step observed.
  const Observed observed = observe(
      [&] {
        model->start_sequence(inputs);
        model->decode_step();
        model->start_sequence(inputs);
      },
      [&] { model->decode_step(); });
  expect_same_ops(name, g.ops, observed, [](size_t) { return false; });
  if (g.generated_ids.defined()) {
    // HF's tokens: the prefill's and two steps'.
    {
      c10::InferenceMode guard;
      model->decode_step();
    }
    const at::Tensor ids = model->sequence();
    ASSERT_EQ(ids.size(1), g.seq_len + 3);
    EXPECT_TRUE(at::equal(ids.slice(1, g.seq_len), g.generated_ids))
        << "generated " << ids.slice(1, g.seq_len) << "\nHF " << g.generated_ids;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Goldens, DecodeFidelity,
    ::testing::Values(Case{"gpt2-tiny-eager-cache"}, Case{"gpt2-tiny-sdpa-cache"}, Case{"llama-tiny-eager-cache"},
                      Case{"llama-tiny-sdpa-cache"}, Case{"mixtral-tiny-eager-cache"}, Case{"mixtral-tiny-sdpa-cache"},
                      Case{"gpt2-tiny-eager-decode"}, Case{"gpt2-tiny-sdpa-decode"}, Case{"llama-tiny-eager-decode"},
                      Case{"llama-tiny-sdpa-decode"}, Case{"mixtral-tiny-eager-decode"},
                      Case{"mixtral-tiny-sdpa-decode"},
                      // GQA (repeat_kv skipped for SDPA's enable_gqa), and a one-token context at batch 1.
                      Case{"llama3-tiny-sdpa-decode"}, Case{"gpt2-tiny-sdpa-b1-s1-decode"}),
    [](const ::testing::TestParamInfo<Case>& info) { return test_name(info.param.golden); });

}  // namespace
}  // namespace ngbench::models::testing
