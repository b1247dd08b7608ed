#pragma once
// The built-in model of a configuration, built and fed: what the backends that
// run the C++ models (eager on the CPU and on CUDA) share. Everything happens
// under c10::InferenceMode, as PyTorch inference does.
#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/run_config.h"
#include "core/run_result.h"
#include "models/model.h"

namespace ngbench::backends {

class BuiltInModel {
 public:
  // Builds the configuration's model (models::model_options) and makes its inputs (models::input_spec).
  void build(const RunConfig& config);
  // One pass: a forward over the inputs, or, for --phase decode, one generated token (Model::decode_step).
  void forward();
  // Decode: a new sequence, its context prefilled (Model::start_sequence).
  void start_sequence();
  std::vector<InputRecord> inputs() const { return model_->input_records(); }
  std::map<std::string, double> workload_counts() const { return model_->workload_counts(); }

 private:
  std::unique_ptr<models::Model> model_;
  std::vector<at::Tensor> inputs_;
  bool decode_ = false;
};

}  // namespace ngbench::backends
