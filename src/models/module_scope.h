#pragma once
// A named module scope, so the observer can attribute the ops a module runs to
// it: an at::RecordFunction of USER_SCOPE kind, costing nothing when no
// observer is installed. Models open one in every module the paper treats as
// an operator (NewGELUActivation, LayerNorm, the attention block, MLP, ...),
// named exactly as the reference implementation's module class.
#include <ATen/core/Tensor.h>
#include <ATen/record_function.h>

#include <initializer_list>

namespace ngbench::models {

class ModuleScope {
 public:
  // `name` must be a string literal (or otherwise outlive the scope).
  explicit ModuleScope(const char* name);
  // As above, and records the module's inputs when the observer wants shapes.
  ModuleScope(const char* name, std::initializer_list<at::Tensor> inputs);

  ModuleScope(const ModuleScope&) = delete;
  ModuleScope& operator=(const ModuleScope&) = delete;

 private:
  at::RecordFunction guard_;
};

}  // namespace ngbench::models
