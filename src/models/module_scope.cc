#include "models/module_scope.h"

#include <vector>

namespace ngbench::models {

ModuleScope::ModuleScope(const char* name) : guard_(at::RecordScope::USER_SCOPE) {
  if (guard_.isActive()) guard_.before(name);
}

ModuleScope::ModuleScope(const char* name, std::initializer_list<at::Tensor> inputs)
    : guard_(at::RecordScope::USER_SCOPE) {
  if (!guard_.isActive()) return;
  if (guard_.needsInputs()) {
    // The callbacks read inputs only during before(), so a local vector suffices.
    std::vector<c10::IValue> args(inputs.begin(), inputs.end());
    guard_.before(name, &args);
  } else {
    guard_.before(name);
  }
}

}  // namespace ngbench::models
