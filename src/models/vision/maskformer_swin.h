#pragma once
// MaskFormerSwinBackbone (transformers 5.17 models/maskformer/modeling_maskformer_swin.py),
// the backbone of maskformer.cc; internal to the MaskFormer family.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <vector>

#include "models/vision/maskformer.h"

namespace ngbench::models::vision {

class MaskFormerSwinModelImpl;

class MaskFormerSwinBackboneImpl : public torch::nn::Module {
 public:
  explicit MaskFormerSwinBackboneImpl(const MaskFormerConfig& c);
  // The feature maps of the four stages, (batch, channels, height, width) each.
  std::vector<at::Tensor> forward(const at::Tensor& pixel_values);
  // channels of each feature map: embed_dim * 2^i
  std::vector<int64_t> channels() const { return channels_; }

 private:
  std::shared_ptr<MaskFormerSwinModelImpl> model_;
  std::vector<std::shared_ptr<torch::nn::Module>> norms_;
  std::vector<int64_t> channels_;
};

// Parameters of the backbone (MaskFormerSwinModel with its final layernorm, and the
// four hidden_states_norms).
int64_t maskformer_swin_parameter_count(const MaskFormerConfig& c);

}  // namespace ngbench::models::vision
