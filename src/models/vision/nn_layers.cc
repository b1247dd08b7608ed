#include "models/vision/nn_layers.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>

#include <cmath>

#include "models/hf_layers.h"
#include "models/module_scope.h"

namespace ngbench::models::vision {

namespace {

// PyTorch's _ConvNd.reset_parameters: kaiming_uniform_(w, a=sqrt(5)), bias ~ U(+-1/sqrt(fan_in)).
void default_conv_init(at::Tensor& weight, at::Tensor& bias, int64_t fan_in) {  // also nn.Linear's
  init::kaiming_uniform(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    torch::nn::init::uniform_(bias, -bound, bound);
  }
}

}  // namespace

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                       int64_t dilation, bool with_bias)
    : stride(stride), padding(padding), dilation(dilation) {
  weight = register_parameter("weight", at::empty({out, in, kernel, kernel}), /*requires_grad=*/false);
  if (with_bias) bias = register_parameter("bias", at::empty({out}), false);
  default_conv_init(weight, bias, in * kernel * kernel);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope("Conv2d", {x});
  // F.conv2d(input, weight, bias, stride, padding, dilation, groups)
  return at::conv2d(x, weight, bias.defined() ? std::optional<at::Tensor>(bias) : std::nullopt, {stride, stride},
                    {padding, padding}, {dilation, dilation}, 1);
}

ConvTranspose2dImpl::ConvTranspose2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride)
    : stride(stride) {
  // ConvTranspose2d's weight is (in, out, k, k); PyTorch's fan_in is then out * k * k.
  weight = register_parameter("weight", at::empty({in, out, kernel, kernel}), false);
  bias = register_parameter("bias", at::empty({out}), false);
  default_conv_init(weight, bias, out * kernel * kernel);
}

at::Tensor ConvTranspose2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope("ConvTranspose2d", {x});
  // F.conv_transpose2d(input, weight, bias, stride, padding=0, output_padding=0, groups=1, dilation=1)
  return at::conv_transpose2d(x, weight, bias, {stride, stride}, {0, 0}, {0, 0}, 1, {1, 1});
}

at::Tensor ReLUImpl::forward(const at::Tensor& x) {
  ModuleScope scope("ReLU", {x});
  if (inplace) {
    at::Tensor y = x;
    return at::relu_(y);
  }
  return at::relu(x);
}

at::Tensor MaxPool2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope("MaxPool2d", {x});
  return at::max_pool2d(x, {kernel, kernel}, {stride, stride}, {padding, padding}, {1, 1}, false);
}

FrozenBatchNorm2dImpl::FrozenBatchNorm2dImpl(int64_t channels, double eps, const char* scope)
    : eps(eps), scope_(scope) {
  weight = register_buffer("weight", at::ones({channels}));
  bias = register_buffer("bias", at::zeros({channels}));
  running_mean = register_buffer("running_mean", at::zeros({channels}));
  running_var = register_buffer("running_var", at::ones({channels}));
}

at::Tensor FrozenBatchNorm2dImpl::forward(const at::Tensor& x) {
  ModuleScope scope(scope_, {x});
  at::Tensor w = weight.reshape({1, -1, 1, 1});
  at::Tensor b = bias.reshape({1, -1, 1, 1});
  at::Tensor rv = running_var.reshape({1, -1, 1, 1});
  at::Tensor rm = running_mean.reshape({1, -1, 1, 1});
  // scale = w * (rv + self.eps).rsqrt(): eps is a Python float (a wrapped number).
  at::Tensor scale = at::mul(w, at::rsqrt(at::add(rv, hf::py_number(eps))));
  at::Tensor shift = at::sub(b, at::mul(rm, scale));
  return at::add(at::mul(x, scale), shift);
}

namespace init {

void kaiming_normal_fan_out_relu(at::Tensor& w) {
  torch::nn::init::kaiming_normal_(w, 0.0, torch::kFanOut, torch::kReLU);
}

void kaiming_uniform(at::Tensor& w, double a) {
  torch::nn::init::kaiming_uniform_(w, a, torch::kFanIn, torch::kLeakyReLU);
}

void normal(at::Tensor& t, double std) { torch::nn::init::normal_(t, 0.0, std); }

void zeros(at::Tensor& t) { torch::nn::init::zeros_(t); }

void xavier_uniform(at::Tensor& w, double gain) { torch::nn::init::xavier_uniform_(w, gain); }

void linear_default(at::Tensor& w, at::Tensor& b) {
  default_conv_init(w, b, w.size(1));
}

}  // namespace init

}  // namespace ngbench::models::vision
