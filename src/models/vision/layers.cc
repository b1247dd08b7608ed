#include "models/vision/layers.h"

#include <ATen/ATen.h>
#include <ATen/ScalarOps.h>

#include <cmath>

#include "core/error.h"
#include "models/module_scope.h"

namespace ngbench::models::vision::modules {

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                       int64_t groups, bool with_bias)
    : stride(stride), padding(padding), groups(groups) {
  // Kaiming-uniform-like scale (values do not affect latency).
  const double bound = 1.0 / std::sqrt(static_cast<double>(in / groups * kernel * kernel));
  weight = register_parameter("weight", at::empty({out, in / groups, kernel, kernel}).uniform_(-bound, bound),
                              /*requires_grad=*/false);
  if (with_bias) bias = register_parameter("bias", at::empty({out}).uniform_(-bound, bound), false);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope("Conv2d", {x});
  return at::conv2d(x, weight, bias.defined() ? std::optional<at::Tensor>(bias) : std::nullopt, {stride, stride},
                    {padding, padding}, {1, 1}, groups);
}

at::Tensor GELUImpl::forward(const at::Tensor& x) {
  ModuleScope scope("GELU", {x});
  return at::gelu(x, "none");
}

at::Tensor ReLUImpl::forward(const at::Tensor& x) {
  ModuleScope scope("ReLU", {x});
  return at::relu(x);
}

BatchNorm2dImpl::BatchNorm2dImpl(int64_t channels, double eps) : eps(eps) {
  weight = register_parameter("weight", at::ones({channels}), false);
  bias = register_parameter("bias", at::zeros({channels}), false);
  running_mean = register_buffer("running_mean", at::zeros({channels}));
  running_var = register_buffer("running_var", at::ones({channels}));
  register_buffer("num_batches_tracked", at::zeros({}, at::kLong));
}

at::Tensor BatchNorm2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope("BatchNorm2d", {x});
  // F.batch_norm in eval: training=False, momentum 0.1, cudnn enabled.
  return at::batch_norm(x, weight, bias, running_mean, running_var, /*training=*/false, /*momentum=*/0.1, eps,
                        /*cudnn_enabled=*/true);
}

GroupNormImpl::GroupNormImpl(int64_t groups, int64_t channels, double eps) : groups(groups), eps(eps) {
  weight = register_parameter("weight", at::ones({channels}), false);
  bias = register_parameter("bias", at::zeros({channels}), false);
}

at::Tensor GroupNormImpl::forward(const at::Tensor& x) {
  ModuleScope scope("GroupNorm", {x});
  return at::group_norm(x, groups, weight, bias, eps, /*cudnn_enabled=*/true);
}

namespace {

// Applies the slices that applySlice does not skip; returns t itself when none applied.
at::Tensor apply_slices(const at::Tensor& t, const std::vector<PySlice>& slices) {
  at::Tensor out = t;
  for (const PySlice& s : slices) {
    if (s.start == 0 && out.size(s.dim) <= s.stop && s.step == 1) continue;
    out = out.slice(s.dim, s.start, s.stop, s.step);
  }
  return out;
}

}  // namespace

at::Tensor py_slices(const at::Tensor& t, const std::vector<PySlice>& slices) {
  at::Tensor out = apply_slices(t, slices);
  return out.is_same(t) ? at::alias(t) : out;
}

void py_fill_slices(const at::Tensor& t, const std::vector<PySlice>& slices, double value) {
  // python_variable_indexing.cpp: valueToTensor -> at::indexing::scalarToTensor (on the CPU
  // scalar_tensor_static, without dispatch; elsewhere aten::scalar_tensor), then lift_fresh.
  const bool cpu = t.device().is_cpu();
  at::Tensor v = cpu ? at::detail::scalar_tensor_static(c10::Scalar(value), t.scalar_type(), t.device())
                     : at::scalar_tensor(c10::Scalar(value), t.options());
  v = at::lift_fresh(v);
  at::Tensor dst = apply_slices(t, slices);
  // at::indexing::copy_to: equal sizes copy; a 0-d CPU source fills; else copy from a view.
  if (dst.sizes().equals(v.sizes())) dst.copy_(v);
  else if (cpu) dst.fill_(v);
  else dst.copy_(v.view(std::vector<int64_t>{}));
}

}  // namespace ngbench::models::vision::modules

namespace ngbench::models::vision {

std::vector<at::Tensor> ImageModel::make_inputs(const InputSpec& spec) const {
  if (spec.batch < 1) throw Error("batch " + std::to_string(spec.batch) + " is out of range; valid: 1 or more");
  if (loaded_.empty() || loaded_path_ != spec.images) {
    loaded_ = load_images(spec.images);
    loaded_path_ = spec.images;
  }
  Preprocessed p = preprocess_(take(loaded_, spec.batch));
  records_ = p.records;
  std::vector<at::Tensor> inputs = {p.pixel_values.to(device_, dtype_)};
  if (with_mask_) inputs.push_back(p.pixel_mask.to(device_));
  return inputs;
}

}  // namespace ngbench::models::vision
