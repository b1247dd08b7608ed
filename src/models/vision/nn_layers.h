#pragma once
// torch.nn leaf modules the detection models use, each issuing the one aten op
// its PyTorch forward issues and opening a ModuleScope named as the torch.nn
// (or torchvision / transformers) class, with its input recorded.
//
// Parameters are registered under PyTorch's names (weight, bias; the frozen
// batch norms' four buffers), so a module tree's named_parameters() and
// named_buffers() are the reference's state_dict keys. Weights start as PyTorch's
// default initialization (kaiming_uniform(a=sqrt(5)) for weights, U(+-1/sqrt(fan_in))
// for biases); the models re-initialize where the reference does (init helpers below).
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ngbench::models::vision {

// torch.nn.Conv2d (padding_mode "zeros"): aten::conv2d.
class Conv2dImpl : public torch::nn::Module {
 public:
  Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0,
             int64_t dilation = 1, bool bias = true);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  int64_t stride, padding, dilation;
};

// torch.nn.ConvTranspose2d (no output_size): aten::conv_transpose2d.
class ConvTranspose2dImpl : public torch::nn::Module {
 public:
  ConvTranspose2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  int64_t stride;
};

// torch.nn.ReLU: aten::relu_ when inplace, else aten::relu.
class ReLUImpl : public torch::nn::Module {
 public:
  explicit ReLUImpl(bool inplace) : inplace(inplace) {}
  at::Tensor forward(const at::Tensor& x);

  bool inplace;
};

// torch.nn.MaxPool2d (dilation 1, ceil_mode False): aten::max_pool2d.
class MaxPool2dImpl : public torch::nn::Module {
 public:
  MaxPool2dImpl(int64_t kernel, int64_t stride, int64_t padding)
      : kernel(kernel), stride(stride), padding(padding) {}
  at::Tensor forward(const at::Tensor& x);

  int64_t kernel, stride, padding;
};

// torchvision.ops.misc.FrozenBatchNorm2d and transformers' DetrFrozenBatchNorm2d
// (the same ops): buffers weight, bias, running_mean, running_var, and
//   scale = w * (rv + eps).rsqrt(); bias = b - rm * scale; x * scale + bias
// `scope` names the class ("FrozenBatchNorm2d" or "DetrFrozenBatchNorm2d").
class FrozenBatchNorm2dImpl : public torch::nn::Module {
 public:
  FrozenBatchNorm2dImpl(int64_t channels, double eps, const char* scope);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias, running_mean, running_var;
  double eps;

 private:
  const char* scope_;
};

// A module that only names its children: an nn.Sequential or nn.ModuleList of
// the reference's tree, so parameter names match its state_dict keys.
class ContainerImpl : public torch::nn::Module {
 public:
  template <class M>
  std::shared_ptr<M> add(const std::string& name, std::shared_ptr<M> module) {
    return register_module(name, std::move(module));
  }
};

// torch.nn.init, as the references call it (in place, no autograd).
namespace init {
void kaiming_normal_fan_out_relu(at::Tensor& w);  // kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
void kaiming_uniform(at::Tensor& w, double a);    // kaiming_uniform_(w, a=a)
void normal(at::Tensor& t, double std);           // normal_(t, std=std)
void zeros(at::Tensor& t);                        // constant_(t, 0)
void xavier_uniform(at::Tensor& w, double gain);  // xavier_uniform_(w, gain)
void linear_default(at::Tensor& w, at::Tensor& b); // nn.Linear.reset_parameters
}  // namespace init

}  // namespace ngbench::models::vision
