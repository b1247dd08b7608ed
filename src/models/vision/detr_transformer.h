#pragma once
// The transformer half of DETR after transformers 5.17 models/detr/modeling_detr.py:
// DetrSinePositionEmbedding, DetrSelfAttention / DetrCrossAttention (sdpa or
// eager), DetrMLP, DetrEncoderLayer / DetrDecoderLayer, DetrEncoder /
// DetrDecoder, and masking_utils.create_bidirectional_mask for the padding mask
// (sdpa: a bool mask, or none when nothing is padded; eager: 0 / finfo.min).
// Eval mode: every dropout is aten::dropout with train=false, as HF issues it.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/vision/nn_layers.h"

namespace ngbench::models::vision {

// The fields of transformers.DetrConfig that shape the network.
struct DetrConfig {
  int64_t d_model = 256;
  int64_t encoder_layers = 6, decoder_layers = 6;
  int64_t encoder_attention_heads = 8, decoder_attention_heads = 8;
  int64_t encoder_ffn_dim = 2048, decoder_ffn_dim = 2048;
  int64_t num_queries = 100;
  int64_t num_labels = 91;         // COCO (facebook/detr-resnet-50's id2label)
  double dropout = 0.1;            // eval mode: no-ops, still issued
  double activation_dropout = 0.0;
  std::vector<int64_t> backbone_layers{3, 4, 6, 3};  // timm resnet50
};

// DetrSinePositionEmbedding(d_model / 2, normalize=True).build_sine_position_embedding
// with a mask: [B, d_model, H, W]. Scope "DetrSinePositionEmbedding".
at::Tensor detr_sine_position_embedding(const at::Tensor& mask, int64_t num_position_features, at::ScalarType dtype);

// create_bidirectional_mask(config, inputs_embeds, attention_mask (2-D),
// encoder_hidden_states): undefined when nothing is masked.
at::Tensor detr_bidirectional_mask(hf::Attention attention, const at::Tensor& inputs_embeds,
                                   const at::Tensor& attention_mask, const at::Tensor& encoder_hidden_states);

// DetrSelfAttention (cross=false) and DetrCrossAttention (cross=true).
class DetrAttentionImpl : public torch::nn::Module {
 public:
  DetrAttentionImpl(int64_t hidden, int64_t heads, hf::Attention attention, bool cross);
  // Self: (hidden, mask, pos, {}, {}); cross: (hidden, mask, query pos, key_value_states, key pos).
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask,
                     const at::Tensor& position_embeddings, const at::Tensor& key_value_states,
                     const at::Tensor& key_position_embeddings);

  std::shared_ptr<hf::LinearImpl> k_proj, v_proj, q_proj, o_proj;

 private:
  at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask);
  int64_t head_dim_;
  double scaling_;
  hf::Attention attention_;
  bool cross_;
};

class DetrMLPImpl : public torch::nn::Module {
 public:
  DetrMLPImpl(const DetrConfig& c, int64_t ffn_dim);
  at::Tensor forward(const at::Tensor& x);
  std::shared_ptr<hf::LinearImpl> fc1, fc2;
  std::shared_ptr<ReLUImpl> activation_fn;

 private:
  double activation_dropout_, dropout_;
};

class DetrEncoderLayerImpl : public torch::nn::Module {
 public:
  DetrEncoderLayerImpl(const DetrConfig& c, hf::Attention attention);
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& mask, const at::Tensor& spatial_pos);
  std::shared_ptr<DetrAttentionImpl> self_attn;
  std::shared_ptr<hf::LayerNormImpl> self_attn_layer_norm, final_layer_norm;
  std::shared_ptr<DetrMLPImpl> mlp;

 private:
  double dropout_;
};

class DetrDecoderLayerImpl : public torch::nn::Module {
 public:
  DetrDecoderLayerImpl(const DetrConfig& c, hf::Attention attention);
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& spatial_pos, const at::Tensor& query_pos,
                     const at::Tensor& encoder_hidden_states, const at::Tensor& encoder_mask);
  std::shared_ptr<DetrAttentionImpl> self_attn, encoder_attn;
  std::shared_ptr<hf::LayerNormImpl> self_attn_layer_norm, encoder_attn_layer_norm, final_layer_norm;
  std::shared_ptr<DetrMLPImpl> mlp;

 private:
  double dropout_;
};

class DetrEncoderImpl : public torch::nn::Module {
 public:
  DetrEncoderImpl(const DetrConfig& c, hf::Attention attention);
  at::Tensor forward(const at::Tensor& inputs_embeds, const at::Tensor& attention_mask, const at::Tensor& spatial_pos);
  std::vector<std::shared_ptr<DetrEncoderLayerImpl>> layers;

 private:
  double dropout_;
  hf::Attention attention_;
};

class DetrDecoderImpl : public torch::nn::Module {
 public:
  DetrDecoderImpl(const DetrConfig& c, hf::Attention attention);
  at::Tensor forward(const at::Tensor& inputs_embeds, const at::Tensor& encoder_hidden_states,
                     const at::Tensor& encoder_attention_mask, const at::Tensor& spatial_pos,
                     const at::Tensor& query_pos);
  std::vector<std::shared_ptr<DetrDecoderLayerImpl>> layers;
  std::shared_ptr<hf::LayerNormImpl> layernorm;

 private:
  hf::Attention attention_;
};

// Parameters of the encoder and decoder stacks.
int64_t detr_transformer_parameter_count(const DetrConfig& c);

}  // namespace ngbench::models::vision
