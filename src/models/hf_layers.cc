#include "models/hf_layers.h"

#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <ATen/InitialTensorOptions.h>
#include <ATen/ScalarOps.h>

#include "models/module_scope.h"
#include "models/quant.h"

namespace ngbench::models::hf {

at::Tensor py_number(double v) { return at::native::wrapped_scalar_tensor(c10::Scalar(v)); }

at::Tensor py_number(int64_t v) { return at::native::wrapped_scalar_tensor(c10::Scalar(v)); }

at::Tensor py_slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop) {
  // at::indexing::impl::applySlice skips a slice from 0 that reaches the end;
  // indexing that leaves the tensor itself then returns at::alias(self).
  if (start == 0 && t.size(dim) <= stop) return at::alias(t);
  return t.slice(dim, start, stop, 1);
}

at::Tensor py_to_device(const at::Tensor& t, at::Device device) {
  return t.to(t.options().device(device), /*non_blocking=*/false, /*copy=*/false, std::nullopt);
}

at::Tensor py_tensor(double value, at::ScalarType dtype, at::Device device) {
  // torch/csrc/utils/tensor_new.cpp (internal_new_from_data): a CPU tensor is
  // allocated and filled without dispatch, moved with to(), then lifted.
  at::Tensor t = at::empty({}, at::initialTensorOptions().dtype(dtype).pinned_memory(false));
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, dtype, "py_tensor",
                                  [&] { *t.data_ptr<scalar_t>() = static_cast<scalar_t>(value); });
  t = t.to(device, dtype, /*non_blocking=*/false, /*copy=*/false);
  t = at::lift_fresh(t);
  t.detach_();
  return t;
}

at::Tensor py_empty_tensor(at::ScalarType dtype, at::Device device) {
  // internal_new_from_data for an empty list: a CPU tensor of size [0], moved with to(), then lifted.
  at::Tensor t = at::empty({0}, at::initialTensorOptions().dtype(dtype).pinned_memory(false));
  t = t.to(device, dtype, /*non_blocking=*/false, /*copy=*/false);
  t = at::lift_fresh(t);
  t.detach_();
  return t;
}

LinearImpl::LinearImpl(int64_t in_features, int64_t out_features, bool with_bias) {
  weight = register_parameter("weight", at::normal(0.0, kInitStd, {out_features, in_features}),
                              /*requires_grad=*/false);
  if (with_bias) bias = register_parameter("bias", at::zeros({out_features}), false);
}

LinearImpl::LinearImpl(at::Tensor tied_weight) : weight(std::move(tied_weight)) {}

at::Tensor LinearImpl::forward(const at::Tensor& x) {
  if (quantized) return quantized->forward(x);
  ModuleScope scope("Linear", {x});
  return at::linear(x, weight, bias.defined() ? std::optional<at::Tensor>(bias) : std::nullopt);
}

EmbeddingImpl::EmbeddingImpl(int64_t num_embeddings, int64_t dim, int64_t padding_idx)
    : padding_idx(padding_idx) {
  at::Tensor w = at::normal(0.0, kInitStd, {num_embeddings, dim});
  if (padding_idx >= 0) w[padding_idx].zero_();
  weight = register_parameter("weight", w, /*requires_grad=*/false);
}

at::Tensor EmbeddingImpl::forward(const at::Tensor& ids) {
  ModuleScope scope("Embedding", {ids});
  // F.embedding: torch.embedding(weight, input, padding_idx (-1: none), scale_grad_by_freq, sparse).
  return at::embedding(weight, ids, padding_idx, /*scale_grad_by_freq=*/false, /*sparse=*/false);
}

LayerNormImpl::LayerNormImpl(int64_t dim, double eps) : eps(eps) {
  weight = register_parameter("weight", at::ones({dim}), /*requires_grad=*/false);
  bias = register_parameter("bias", at::zeros({dim}), false);
}

at::Tensor LayerNormImpl::forward(const at::Tensor& x) {
  ModuleScope scope("LayerNorm", {x});
  // F.layer_norm passes torch.backends.cudnn.enabled (true) as cudnn_enable.
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps, /*cudnn_enable=*/true);
}

at::Tensor DropoutImpl::forward(const at::Tensor& x) {
  ModuleScope scope("Dropout", {x});
  return at::dropout(x, p, is_training());
}

}  // namespace ngbench::models::hf
