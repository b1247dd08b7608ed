#include "backends/builtin_model.h"

#include <c10/core/InferenceMode.h>

#include "models/configure.h"
#include "models/registry.h"

namespace ngbench::backends {

void BuiltInModel::build(const RunConfig& config) {
  c10::InferenceMode inference;
  model_ = models::find_model(config.model).create(models::model_options(config));
  inputs_ = model_->make_inputs(models::input_spec(config));
}

void BuiltInModel::forward() {
  c10::InferenceMode inference;
  model_->forward(inputs_);
}

}  // namespace ngbench::backends
