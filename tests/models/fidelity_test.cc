// Op-for-op fidelity: each tiny model, run under the observer, must issue the
// same outermost aten ops as the real Hugging Face model (the golden, from
// tools/golden/make_goldens.py): same names, same order, same input shapes and
// input kinds, and each op inside a scope named as HF's innermost module.
//
// Known differences: none. Every op HF issues at the outermost level is
// reproduced, including the bookkeeping ops (position ids, the packed-sequence
// check of masking_utils, torch.tensor's empty/to/lift_fresh/detach_, the alias
// from indexing with full slices, dropout in eval mode). Should a future
// version force a difference, list it in kKnownDifferences with its reason.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "golden.h"
#include "models/bert.h"
#include "models/gpt2.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::models::testing {
namespace {

struct KnownDifference {
  const char* golden;  // "gpt2-tiny-eager"
  size_t index;        // position in the golden's op list
  const char* reason;
};
const std::vector<KnownDifference> kKnownDifferences = {};  // none

bool known(const std::string& golden, size_t index) {
  for (const auto& d : kKnownDifferences) {
    if (golden == d.golden && index == d.index) return true;
  }
  return false;
}

// The golden's "config" must be the C++ tiny config, or the comparison means nothing.
void expect_same_config(const Golden& g) {
  const auto& j = g.config;
  if (g.model == "gpt2-tiny") {
    const GPT2Config c = gpt2_tiny_config();
    EXPECT_EQ(j.at("vocab_size").get<int64_t>(), c.vocab_size);
    EXPECT_EQ(j.at("n_positions").get<int64_t>(), c.n_positions);
    EXPECT_EQ(j.at("n_embd").get<int64_t>(), c.n_embd);
    EXPECT_EQ(j.at("n_layer").get<int64_t>(), c.n_layer);
    EXPECT_EQ(j.at("n_head").get<int64_t>(), c.n_head);
    EXPECT_DOUBLE_EQ(j.at("layer_norm_epsilon").get<double>(), c.layer_norm_epsilon);
  } else {
    const BertConfig c = bert_tiny_config();
    EXPECT_EQ(j.at("vocab_size").get<int64_t>(), c.vocab_size);
    EXPECT_EQ(j.at("hidden_size").get<int64_t>(), c.hidden_size);
    EXPECT_EQ(j.at("num_hidden_layers").get<int64_t>(), c.num_hidden_layers);
    EXPECT_EQ(j.at("num_attention_heads").get<int64_t>(), c.num_attention_heads);
    EXPECT_EQ(j.at("intermediate_size").get<int64_t>(), c.intermediate_size);
    EXPECT_EQ(j.at("max_position_embeddings").get<int64_t>(), c.max_position_embeddings);
    EXPECT_EQ(j.at("type_vocab_size").get<int64_t>(), c.type_vocab_size);
    EXPECT_DOUBLE_EQ(j.at("layer_norm_eps").get<double>(), c.layer_norm_eps);
  }
}

// Why `seen` differs from `want`, or "" if it does not (the scope is compared
// only when the C++ model opens a scope of the golden's module class).
std::string mismatch(const SeenOp& seen, const SeenOp& want, const std::set<std::string>& cpp_scopes) {
  if (seen.name != want.name) return "op name";
  if (seen.shapes != want.shapes) return "input shapes";
  if (seen.types.size() != want.types.size()) return "input count";
  for (size_t i = 0; i < want.types.size(); ++i) {
    if (!types_match(seen.types[i], want.types[i])) return "input " + std::to_string(i) + " kind";
  }
  if (cpp_scopes.count(want.module) && seen.module != want.module) return "module scope";
  return "";
}

std::string context(const std::vector<SeenOp>& ops, size_t at) {
  std::ostringstream s;
  const size_t from = at >= 3 ? at - 3 : 0;
  for (size_t i = from; i < ops.size() && i <= at + 3; ++i) {
    s << (i == at ? "  > " : "    ") << i << ": " << describe(ops[i]) << "\n";
  }
  return s.str();
}

struct Case {
  const char* golden;  // file name under tests/models/golden, without .json
  const char* model;
  const char* attention;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.golden; }

class Fidelity : public ::testing::TestWithParam<Case> {};

TEST_P(Fidelity, MatchesHuggingFaceOpForOp) {
  const Case c = GetParam();
  const std::string golden_name = c.golden;
  const Golden g = load_golden(golden_name);
  ASSERT_EQ(g.model, c.model);
  ASSERT_EQ(g.attention, c.attention);
  expect_same_config(g);

  const ModelEntry& entry = find_model(c.model);
  EXPECT_EQ(entry.parameters, g.parameters) << "analytic count vs HF's sum of numel";

  ModelOptions options;
  options.attention = c.attention;
  auto model = entry.create(options);
  const auto inputs = model->make_inputs({g.batch, g.seq_len, /*seed=*/1});
  const Observed observed = observe_forward(*model, inputs);
  const std::vector<SeenOp>& seen = observed.ops;
  const std::set<std::string>& cpp_scopes = observed.scopes;
  // Every HF module class that runs ops must be a C++ scope too.
  for (const auto& op : g.ops) {
    EXPECT_TRUE(cpp_scopes.count(op.module)) << "no C++ scope for HF module " << op.module;
  }

  size_t failures = 0;
  const size_t n = std::max(seen.size(), g.ops.size());
  for (size_t i = 0; i < n && failures < 5; ++i) {
    if (known(golden_name, i)) continue;
    std::string why;
    if (i >= seen.size()) why = "missing in C++";
    else if (i >= g.ops.size()) why = "extra in C++";
    else why = mismatch(seen[i], g.ops[i], cpp_scopes);
    if (why.empty()) continue;
    ++failures;
    ADD_FAILURE() << golden_name << ": op " << i << " differs (" << why << ")\n"
                  << "HF:\n" << context(g.ops, i) << "C++:\n" << context(seen, i);
    if (why == "missing in C++" || why == "extra in C++" || why == "op name") break;  // the rest is shifted
  }
  EXPECT_EQ(seen.size(), g.ops.size());
}

INSTANTIATE_TEST_SUITE_P(Goldens, Fidelity,
                         // The main goldens (batch 2, seq 8), then edge shapes that take other
                         // branches of HF's code (see GOLDENS in make_goldens.py).
                         ::testing::Values(Case{"gpt2-tiny-eager", "gpt2-tiny", "eager"},
                                           Case{"gpt2-tiny-sdpa", "gpt2-tiny", "sdpa"},
                                           Case{"bert-tiny-eager", "bert-tiny", "eager"},
                                           Case{"bert-tiny-sdpa", "bert-tiny", "sdpa"},
                                           Case{"gpt2-tiny-eager-b1-s1", "gpt2-tiny", "eager"},
                                           Case{"gpt2-tiny-sdpa-b1-s1", "gpt2-tiny", "sdpa"},
                                           Case{"bert-tiny-eager-b1-s32", "bert-tiny", "eager"},
                                           Case{"bert-tiny-sdpa-b1-s32", "bert-tiny", "sdpa"}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.golden;
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace ngbench::models::testing
