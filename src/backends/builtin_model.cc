#include "backends/builtin_model.h"

#include <c10/core/InferenceMode.h>

#include "models/configure.h"
#include "models/registry.h"

namespace ngbench::backends {

void BuiltInModel::build(const RunConfig& config) {
  c10::InferenceMode inference;
  model_ = models::find_model(config.model).create(models::model_options(config));
  inputs_ = model_->make_inputs(models::input_spec(config));
  decode_ = config.phase == "decode";
}

void BuiltInModel::forward() {
  c10::InferenceMode inference;
  if (decode_) {
    model_->decode_step();
  } else {
    model_->forward(inputs_);
  }
}

void BuiltInModel::start_sequence() {
  c10::InferenceMode inference;
  model_->start_sequence(inputs_);
}

}  // namespace ngbench::backends
