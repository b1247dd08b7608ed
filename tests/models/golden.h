#pragma once
// Goldens (tests/models/golden/*.json, written by tools/golden/make_goldens.py)
// and the same view of an ngbench model run under the observer, so the two
// can be compared op for op.
#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/op_record.h"
#include "models/model.h"

namespace ngbench::models::testing {

// One outermost aten op, as the golden or the observer saw it.
struct SeenOp {
  std::string name;                              // "aten::addmm"
  std::vector<std::vector<int64_t>> shapes;      // per input, the profiler's convention (below)
  std::vector<std::string> types;                // per input, the profiler's type names (below)
  std::string module;                            // innermost module scope; "" if none
};

struct Golden {
  std::string model, reference, attention;
  int64_t batch = 0, seq_len = 0, parameters = 0;
  nlohmann::json config;
  std::string dtype = "float32";  // absent in the file: float32
  std::string experts;            // MoE experts implementation; absent: the model's default
  std::string weights;            // the model's weights file stem (<weights>.weights.json/.bin); absent: none
  at::Tensor input_ids;           // int64 [batch, seq_len] the golden ran on; undefined when absent
  std::string phase = "prefill";  // "decode": the ops of one generate step after a seq_len-token context
  bool kv_cache = false;          // the forward filled a DynamicCache (use_cache=True)
  at::Tensor generated_ids;       // decode: int64 [batch, n] the tokens generate produced; undefined when absent
  std::vector<SeenOp> ops;
};

// Reads tests/models/golden/<name>.json from the source tree.
Golden load_golden(const std::string& name);

// A tiny model's weights as tools/golden/make_goldens.py dumps them (float32,
// HF's state_dict names), with the token ids and HF's logits for them.
struct GoldenWeights {
  std::vector<std::pair<std::string, at::Tensor>> tensors;  // state_dict order
  at::Tensor input_ids;                                     // int64 [2, 8]
  at::Tensor logits;                                        // float32 [2, 8, vocab]
};

// Reads tests/models/golden/<stem>.weights.json and .bin.
GoldenWeights load_weights(const std::string& stem);

// Copies the weights into `model`'s parameters of the same names (casting to
// their dtype). Throws std::runtime_error naming any parameter missing on
// either side or any shape that differs.
void load_into(Model& model, const GoldenWeights& weights);

// The outermost ops of thread 0 (records of kind kOp whose ancestors are all
// scopes), in order, with their innermost scope, converted to the profiler's
// conventions:
//  - shapes: a tensor's sizes ([] for a 0-d tensor); [] for anything else (a
//    TensorList too: torch 2.11's profiler reports [] for one).
//  - types: a tensor's dtype as the profiler names it ("float", "double",
//    "long int", "bool", ...); "Scalar" for numbers and bools; "ScalarList" for
//    int lists; "TensorList"; "" for None and undefined tensors. The observer
//    records int lists, devices and strings alike as kOther: that becomes
//    "<other>", which types_match() accepts for "ScalarList" and "" (the
//    profiler's name for a device or a string).
std::vector<SeenOp> outermost_ops(const ProfiledTrace& trace);

// Every scope name the trace holds (thread 0), innermost or not.
std::set<std::string> scope_names(const ProfiledTrace& trace);

struct Observed {
  std::vector<SeenOp> ops;       // outermost_ops()
  std::set<std::string> scopes;  // scope_names()
};

// Runs one forward pass of `model` under the observer (shapes on), inside
// c10::InferenceMode, after one unobserved warm-up.
Observed observe_forward(Model& model, const std::vector<at::Tensor>& inputs);

// Runs `warm_up`, then `observed` under the observer (shapes on), both inside c10::InferenceMode.
Observed observe(const std::function<void()>& warm_up, const std::function<void()>& observed);

// True when an observed type matches a golden type (see outermost_ops).
bool types_match(const std::string& observed, const std::string& golden);

// A golden's name as a test name: '-' and '.' become '_'.
std::string test_name(const char* golden);

// One line describing an op, for failure messages.
std::string describe(const SeenOp& op);

// The fidelity check: `observed` must issue `want`'s ops in order, each with
// the same name, input shapes and input kinds, and the same innermost module
// where the C++ model opens a scope of that class; every reference module that
// runs ops must be a C++ scope. Each difference is a gtest failure showing both
// sides around it (at most five; after a missing, extra or renamed op the rest
// is shifted and not compared). `known(i)`: reference op i is a difference the
// test lists with its reason, and is skipped.
void expect_same_ops(const std::string& golden_name, const std::vector<SeenOp>& want, const Observed& observed,
                     const std::function<bool(size_t)>& known);

}  // namespace ngbench::models::testing
