#pragma once
// torch.nn leaf modules the vision models use, and Python indexing idioms whose
// aten ops must be reproduced exactly. Same contract as models/hf_layers.h (whose
// Linear, LayerNorm and Dropout the vision models reuse): each forward issues the
// ops the PyTorch module issues and opens a ModuleScope named as its class.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/hf_layers.h"
#include "models/model.h"
#include "models/vision/preprocess.h"

// The modules live in vision::modules (the detection models' nn_layers.h has its own
// Conv2dImpl and ReLUImpl in vision).
namespace ngbench::models::vision::modules {

using hf::DropoutImpl;
using hf::LayerNormImpl;
using hf::LinearImpl;

// torch.nn.Conv2d (padding_mode "zeros"): aten::conv2d.
class Conv2dImpl : public torch::nn::Module {
 public:
  Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0,
             int64_t groups = 1, bool bias = true);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  int64_t stride, padding, groups;
};

// torch.nn.GELU(approximate="none"): aten::gelu.
class GELUImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x);
};

// torch.nn.ReLU(inplace=False): aten::relu.
class ReLUImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x);
};

// torch.nn.BatchNorm2d in eval mode: aten::batch_norm with the running statistics.
class BatchNorm2dImpl : public torch::nn::Module {
 public:
  explicit BatchNorm2dImpl(int64_t channels, double eps = 1e-5);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias, running_mean, running_var;
  double eps;
};

// torch.nn.GroupNorm: aten::group_norm.
class GroupNormImpl : public torch::nn::Module {
 public:
  GroupNormImpl(int64_t groups, int64_t channels, double eps = 1e-5);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  int64_t groups;
  double eps;
};

// One Python slice of `t[...]`: dim, start, stop (kEnd for a missing stop), step.
struct PySlice {
  int64_t dim, start, stop, step = 1;
};
inline constexpr int64_t kEnd = INT64_MAX;

// Python's `t[s0, s1, ...]` for slices only: each slice is an aten::slice, except
// one from 0 with step 1 that reaches the end (at::indexing::impl::applySlice
// skips it); when every slice is skipped the result is aten::alias(t).
at::Tensor py_slices(const at::Tensor& t, const std::vector<PySlice>& slices);

// Python's `t[s0, s1] = number` for a CPU tensor: the number becomes a 0-d tensor
// of t's dtype (no dispatch), then aten::lift_fresh, the slices, aten::fill_.
void py_fill_slices(const at::Tensor& t, const std::vector<PySlice>& slices, double value);

}  // namespace ngbench::models::vision::modules

namespace ngbench::models::vision {

// --layers for a staged backbone (Swin, SegFormer, MaskFormer's Swin): `c` with
// its per-stage block counts (`c.depths`) cut to `layers` blocks in total,
// taken stage by stage, at least one per stage. layers <= 0: `c` unchanged.
template <class StagedConfig>
StagedConfig with_layers(StagedConfig c, int64_t layers) {
  if (layers <= 0) return c;
  int64_t left = layers;
  for (size_t s = 0; s < c.depths.size(); ++s) {
    const auto stages_after = static_cast<int64_t>(c.depths.size() - s - 1);
    c.depths[s] = std::max<int64_t>(1, std::min(c.depths[s], left - stages_after));
    left -= c.depths[s];
  }
  return c;
}

// A Model over a module with a forward(inputs) and the preprocessing that makes
// its inputs from photographs: pixel_values (and, for MaskFormer, pixel_mask).
class ImageModel : public Model {
 public:
  using Forward = std::function<at::Tensor(const std::vector<at::Tensor>&)>;
  using Preprocess = std::function<Preprocessed(const std::vector<Image>&)>;

  ImageModel(std::shared_ptr<torch::nn::Module> net, Forward forward, Preprocess preprocess,
             at::ScalarType dtype, at::Device device, bool with_mask)
      : net_(std::move(net)), forward_(std::move(forward)), preprocess_(std::move(preprocess)),
        dtype_(dtype), device_(device), with_mask_(with_mask) {}

  // Decodes spec.images (the shipped photographs when empty), fills the batch by
  // cycling through them and preprocesses as the reference does.
  std::vector<at::Tensor> make_inputs(const InputSpec& spec) const override;
  at::Tensor forward(const std::vector<at::Tensor>& inputs) override { return forward_(inputs); }
  torch::nn::Module& module() override { return *net_; }
  std::vector<InputRecord> input_records() const override { return records_; }

 private:
  std::shared_ptr<torch::nn::Module> net_;
  Forward forward_;
  Preprocess preprocess_;
  at::ScalarType dtype_;
  at::Device device_;
  bool with_mask_;
  mutable std::vector<InputRecord> records_;
  mutable std::string loaded_path_;
  mutable std::vector<Image> loaded_;
};

}  // namespace ngbench::models::vision
