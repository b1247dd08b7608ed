#pragma once
// The model interface: a built model makes its own inputs and runs forward.
//
// Lifecycle: a ModelEntry's create() builds the module tree with weights drawn
// from a fixed seed (nothing is downloaded; latency does not depend on the
// values), make_inputs() draws deterministic inputs for one shape, and forward()
// runs one inference. Callers hold c10::InferenceMode around forward().
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/run_result.h"
#include "models/registry.h"

namespace ngbench::models {

class Model {
 public:
  virtual ~Model() = default;

  // Deterministic inputs for one forward pass (same spec, same tensors).
  virtual std::vector<at::Tensor> make_inputs(const InputSpec& spec) const = 0;

  // One forward pass; returns the model's main output (logits, hidden states, ...).
  virtual at::Tensor forward(const std::vector<at::Tensor>& inputs) = 0;

  // The module tree, for parameter counts and dtype / device moves.
  virtual torch::nn::Module& module() = 0;

  // (optional) The inputs the last make_inputs() used: image files and their
  // original and preprocessed sizes. Empty for synthetic inputs.
  virtual std::vector<InputRecord> input_records() const { return {}; }

  // (optional) Data-dependent counts of the last forward pass, e.g. anchors,
  // proposals before and after NMS, detections, masks. Empty when fixed.
  virtual std::map<std::string, double> workload_counts() const { return {}; }

  // (optional) Text decoders (ModelEntry::kv_width > 0): greedy generation over a KV cache, as transformers'
  // generate runs it (models/generate.h). start_sequence() empties the cache, prefills the context `inputs`
  // (make_inputs()) and takes the first token; decode_step() generates one more token per sequence.
  virtual void start_sequence(const std::vector<at::Tensor>& /*inputs*/) {
    throw Error("this model does not generate (it has no KV cache)");
  }
  virtual void decode_step() { throw Error("this model does not generate (it has no KV cache)"); }
  // (optional) The ids of the sequence so far: its context and the tokens generated; undefined before
  // start_sequence() and for models that do not generate.
  virtual at::Tensor sequence() const { return {}; }
};

}  // namespace ngbench::models
