#pragma once
// Goldens (tests/models/golden/*.json, written by tools/golden/make_goldens.py)
// and the same view of an ngbench model run under the observer, so the two
// can be compared op for op.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
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
  std::vector<SeenOp> ops;
};

// Reads tests/models/golden/<name>.json from the source tree.
Golden load_golden(const std::string& name);

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

// True when an observed type matches a golden type (see outermost_ops).
bool types_match(const std::string& observed, const std::string& golden);

// One line describing an op, for failure messages.
std::string describe(const SeenOp& op);

}  // namespace ngbench::models::testing
