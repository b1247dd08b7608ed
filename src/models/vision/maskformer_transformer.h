#pragma once
// MaskFormer's transformer module after transformers 5.17
// models/maskformer/modeling_maskformer.py: MaskFormerTransformerModule, which
// projects the backbone's last feature map, adds MaskFormerSinePositionEmbedding
// and runs MaskFormerDetrDecoder (MaskFormerDetrDecoderLayer: self- and
// cross-attention, sdpa or eager, and MaskFormerDetrMLP) over the learned
// queries. Eval mode: every dropout is aten::dropout with train=false.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/hf_functional.h"
#include "models/vision/layers.h"
#include "models/vision/maskformer.h"

namespace ngbench::models::vision {

class MaskFormerDetrDecoderLayerImpl;  // maskformer_transformer.cc

class MaskFormerTransformerModuleImpl : public torch::nn::Module {
 public:
  MaskFormerTransformerModuleImpl(const MaskFormerConfig& c, int64_t in_features, hf::Attention attention);

  // The decoder's last hidden state (batch, num_queries, d_model).
  at::Tensor forward(const at::Tensor& features);

  at::Tensor queries_embedder;
  std::shared_ptr<modules::Conv2dImpl> input_projection;
  std::vector<std::shared_ptr<MaskFormerDetrDecoderLayerImpl>> decoder_layers;
  std::shared_ptr<modules::LayerNormImpl> decoder_layernorm;

 private:
  at::Tensor position_embedding(const at::Tensor& x);

  int64_t d_;
  at::Tensor cached_pos_;
  std::vector<int64_t> cached_shape_;
};

}  // namespace ngbench::models::vision
