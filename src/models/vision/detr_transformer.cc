// transformers 5.17 models/detr/modeling_detr.py (the transformer and position
// embedding) and masking_utils.py (create_bidirectional_mask, sdpa_mask /
// eager_mask with a 2-D padding mask), eval mode. Python's evaluation order is
// kept one statement per op where an expression issues several.
#include "models/vision/detr_transformer.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <string>

#include "models/module_scope.h"

namespace ngbench::models::vision {

namespace {

using hf::py_number;

constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();

std::shared_ptr<hf::LinearImpl> linear(int64_t in, int64_t out) { return std::make_shared<hf::LinearImpl>(in, out); }

// `t.to(other_device)`: aten::to.dtype_layout with t's options.
at::Tensor to_device(const at::Tensor& t, at::Device device) {
  return t.to(t.options().device(device), false, false, std::nullopt);
}

}  // namespace

at::Tensor detr_sine_position_embedding(const at::Tensor& mask, int64_t num_features, at::ScalarType dtype) {
  ModuleScope scope("DetrSinePositionEmbedding");
  const double scale = 2 * 3.141592653589793;  // 2 * math.pi
  const double eps = 1e-6;
  at::Tensor embed_mask = mask.to(dtype);
  at::Tensor y_embed = embed_mask.cumsum(1);
  at::Tensor x_embed = embed_mask.cumsum(2);
  // y_embed / (y_embed[:, -1:, :] + eps) * scale
  at::Tensor denom = at::add(y_embed.slice(1, -1, kEnd), py_number(eps));
  y_embed = at::mul(at::div(y_embed, denom), py_number(scale));
  denom = at::add(x_embed.slice(2, -1, kEnd), py_number(eps));
  x_embed = at::mul(at::div(x_embed, denom), py_number(scale));
  // dim_t = torch.arange(n, dtype=torch.int64, device=device).to(dtype)
  at::Tensor dim_t =
      at::arange(num_features, at::TensorOptions().dtype(at::kLong).device(mask.device()).pinned_memory(false)).to(dtype);
  // temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / n)
  at::Tensor e = at::div(dim_t, py_number(int64_t{2}), "floor");
  e = at::div(at::mul(e, py_number(int64_t{2})), py_number(num_features));
  dim_t = at::pow(c10::Scalar(int64_t{10000}), e);
  at::Tensor pos_x = at::div(x_embed.unsqueeze(3), dim_t);
  at::Tensor pos_y = at::div(y_embed.unsqueeze(3), dim_t);
  auto interleave = [](const at::Tensor& p) {
    at::Tensor s = p.slice(3, 0, kEnd, 2).sin();
    at::Tensor c = p.slice(3, 1, kEnd, 2).cos();
    return at::stack({s, c}, 4).flatten(3);
  };
  pos_x = interleave(pos_x);
  pos_y = interleave(pos_y);
  return at::cat({pos_y, pos_x}, 3).permute({0, 3, 1, 2});
}

at::Tensor detr_bidirectional_mask(hf::Attention attention, const at::Tensor& inputs_embeds,
                                   const at::Tensor& attention_mask, const at::Tensor& encoder_hidden_states) {
  const at::Device device = inputs_embeds.device();
  // _preprocess_mask_arguments: attention_mask.to(device=..., dtype=torch.bool); kv_length from it.
  at::Tensor padding = attention_mask.to(device, at::kBool, false, false);
  const int64_t q_length = inputs_embeds.size(1), kv_length = padding.size(-1);
  const at::Tensor& embeds = encoder_hidden_states.defined() ? encoder_hidden_states : inputs_embeds;
  const int64_t batch = embeds.size(0);
  // _ignore_bidirectional_mask_sdpa (allow_is_bidirectional_skip): nothing padded, no mask.
  if (padding.all().is_nonzero()) return at::Tensor();
  const hf::SdpaIndexGrid grid = hf::sdpa_index_grid(batch, q_length, kv_length, device);
  const at::Tensor &b = grid.batch, &q = grid.q, &kv = grid.kv;  // neither mask function reads the head index
  // and_masks(bidirectional_mask_function, padding_mask_function(padding_mask))
  at::Tensor result = q.new_ones({}, at::TensorOptions().dtype(at::kBool).pinned_memory(false));
  at::Tensor m = at::ge(q, c10::Scalar(int64_t{0}));  // q_idx >= 0
  result = at::__and__(result, to_device(m, result.device()));
  m = at::index(padding, c10::List<std::optional<at::Tensor>>({b, kv}));  // padding_mask[batch_idx, kv_idx]
  result = at::__and__(result, to_device(m, result.device()));
  at::Tensor mask = result.expand({batch, -1, q_length, kv_length});
  if (attention == hf::Attention::kSdpa) return mask;
  // eager_mask: torch.where(mask, torch.tensor(0.0, device=..., dtype=dtype), torch.finfo(dtype).min)
  at::Tensor zero = hf::py_tensor(0.0, embeds.scalar_type(), mask.device());
  return at::where(mask, zero, c10::Scalar(static_cast<double>(std::numeric_limits<float>::lowest())));
}

DetrAttentionImpl::DetrAttentionImpl(int64_t hidden, int64_t heads, hf::Attention attention, bool cross)
    : head_dim_(hidden / heads), scaling_(std::pow(static_cast<double>(hidden / heads), -0.5)),
      attention_(attention), cross_(cross) {
  k_proj = register_module("k_proj", linear(hidden, hidden));
  v_proj = register_module("v_proj", linear(hidden, hidden));
  q_proj = register_module("q_proj", linear(hidden, hidden));
  o_proj = register_module("o_proj", linear(hidden, hidden));
}

at::Tensor DetrAttentionImpl::attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     const at::Tensor& mask) {
  if (attention_ == hf::Attention::kSdpa) return hf::sdpa_attention_forward(q, k, v, mask, scaling_, false);
  // eager_attention_forward (copied from BERT's)
  at::Tensor kt = k.transpose(2, 3);
  at::Tensor w = at::mul(at::matmul(q, kt), py_number(scaling_));
  if (mask.defined()) w = at::add(w, mask);
  w = at::softmax(w, -1);
  w = at::dropout(w, 0.0, false);
  return at::matmul(w, v).transpose(1, 2).contiguous();
}

at::Tensor DetrAttentionImpl::forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask,
                                      const at::Tensor& position_embeddings, const at::Tensor& key_value_states,
                                      const at::Tensor& key_position_embeddings) {
  ModuleScope scope(cross_ ? "DetrCrossAttention" : "DetrSelfAttention");
  auto heads = [&](const at::Tensor& x) {
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 1);  // (*shape[:-1], -1, head_dim)
    shape.push_back(-1);
    shape.push_back(head_dim_);
    return x.view(shape).transpose(1, 2);
  };
  at::Tensor q, k, v;
  if (!cross_) {
    at::Tensor qk_input = position_embeddings.defined() ? at::add(hidden_states, position_embeddings) : hidden_states;
    q = heads(q_proj->forward(qk_input));
    k = heads(k_proj->forward(qk_input));
    v = heads(v_proj->forward(hidden_states));
  } else {
    at::Tensor q_input = position_embeddings.defined() ? at::add(hidden_states, position_embeddings) : hidden_states;
    at::Tensor k_input = key_position_embeddings.defined() ? at::add(key_value_states, key_position_embeddings)
                                                           : key_value_states;
    q = heads(q_proj->forward(q_input));
    k = heads(k_proj->forward(k_input));
    v = heads(v_proj->forward(key_value_states));
  }
  at::Tensor out = attend(q, k, v, attention_mask);
  std::vector<int64_t> shape(hidden_states.sizes().begin(), hidden_states.sizes().end() - 1);
  shape.push_back(-1);
  out = out.reshape(shape).contiguous();
  return o_proj->forward(out);
}

DetrMLPImpl::DetrMLPImpl(const DetrConfig& c, int64_t ffn_dim)
    : activation_dropout_(c.activation_dropout), dropout_(c.dropout) {
  fc1 = register_module("fc1", linear(c.d_model, ffn_dim));
  fc2 = register_module("fc2", linear(ffn_dim, c.d_model));
  activation_fn = register_module("activation_fn", std::make_shared<ReLUImpl>(false));
}

at::Tensor DetrMLPImpl::forward(const at::Tensor& x) {
  ModuleScope scope("DetrMLP", {x});
  at::Tensor h = activation_fn->forward(fc1->forward(x));
  h = at::dropout(h, activation_dropout_, false);
  h = fc2->forward(h);
  return at::dropout(h, dropout_, false);
}

DetrEncoderLayerImpl::DetrEncoderLayerImpl(const DetrConfig& c, hf::Attention attention) : dropout_(c.dropout) {
  self_attn = register_module("self_attn",
                              std::make_shared<DetrAttentionImpl>(c.d_model, c.encoder_attention_heads, attention, false));
  self_attn_layer_norm = register_module("self_attn_layer_norm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
  mlp = register_module("mlp", std::make_shared<DetrMLPImpl>(c, c.encoder_ffn_dim));
  final_layer_norm = register_module("final_layer_norm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
}

at::Tensor DetrEncoderLayerImpl::forward(const at::Tensor& hidden_states, const at::Tensor& mask,
                                         const at::Tensor& spatial_pos) {
  ModuleScope scope("DetrEncoderLayer");
  at::Tensor residual = hidden_states;
  at::Tensor h = self_attn->forward(hidden_states, mask, spatial_pos, at::Tensor(), at::Tensor());
  h = at::dropout(h, dropout_, false);
  h = self_attn_layer_norm->forward(at::add(residual, h));
  residual = h;
  h = mlp->forward(h);
  return final_layer_norm->forward(at::add(residual, h));
}

DetrDecoderLayerImpl::DetrDecoderLayerImpl(const DetrConfig& c, hf::Attention attention) : dropout_(c.dropout) {
  self_attn = register_module("self_attn",
                              std::make_shared<DetrAttentionImpl>(c.d_model, c.decoder_attention_heads, attention, false));
  self_attn_layer_norm = register_module("self_attn_layer_norm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
  encoder_attn = register_module(
      "encoder_attn", std::make_shared<DetrAttentionImpl>(c.d_model, c.decoder_attention_heads, attention, true));
  encoder_attn_layer_norm =
      register_module("encoder_attn_layer_norm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
  mlp = register_module("mlp", std::make_shared<DetrMLPImpl>(c, c.decoder_ffn_dim));
  final_layer_norm = register_module("final_layer_norm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
}

at::Tensor DetrDecoderLayerImpl::forward(const at::Tensor& hidden_states, const at::Tensor& spatial_pos,
                                         const at::Tensor& query_pos, const at::Tensor& encoder_hidden_states,
                                         const at::Tensor& encoder_mask) {
  ModuleScope scope("DetrDecoderLayer");
  at::Tensor residual = hidden_states;
  at::Tensor h = self_attn->forward(hidden_states, at::Tensor(), query_pos, at::Tensor(), at::Tensor());
  h = at::dropout(h, dropout_, false);
  h = self_attn_layer_norm->forward(at::add(residual, h));
  residual = h;
  h = encoder_attn->forward(h, encoder_mask, query_pos, encoder_hidden_states, spatial_pos);
  h = at::dropout(h, dropout_, false);
  h = encoder_attn_layer_norm->forward(at::add(residual, h));
  residual = h;
  h = mlp->forward(h);
  return final_layer_norm->forward(at::add(residual, h));
}

DetrEncoderImpl::DetrEncoderImpl(const DetrConfig& c, hf::Attention attention)
    : dropout_(c.dropout), attention_(attention) {
  auto list = register_module("layers", std::make_shared<ContainerImpl>());
  for (int64_t i = 0; i < c.encoder_layers; ++i) {
    layers.push_back(list->add(std::to_string(i), std::make_shared<DetrEncoderLayerImpl>(c, attention)));
  }
}

at::Tensor DetrEncoderImpl::forward(const at::Tensor& inputs_embeds, const at::Tensor& attention_mask,
                                    const at::Tensor& spatial_pos) {
  ModuleScope scope("DetrEncoder");
  at::Tensor h = at::dropout(inputs_embeds, dropout_, false);
  at::Tensor mask = detr_bidirectional_mask(attention_, inputs_embeds, attention_mask, at::Tensor());
  for (auto& layer : layers) h = layer->forward(h, mask, spatial_pos);
  return h;
}

DetrDecoderImpl::DetrDecoderImpl(const DetrConfig& c, hf::Attention attention) : attention_(attention) {
  auto list = register_module("layers", std::make_shared<ContainerImpl>());
  for (int64_t i = 0; i < c.decoder_layers; ++i) {
    layers.push_back(list->add(std::to_string(i), std::make_shared<DetrDecoderLayerImpl>(c, attention)));
  }
  layernorm = register_module("layernorm", std::make_shared<hf::LayerNormImpl>(c.d_model, 1e-5));
}

at::Tensor DetrDecoderImpl::forward(const at::Tensor& inputs_embeds, const at::Tensor& encoder_hidden_states,
                                    const at::Tensor& encoder_attention_mask, const at::Tensor& spatial_pos,
                                    const at::Tensor& query_pos) {
  ModuleScope scope("DetrDecoder");
  at::Tensor h = inputs_embeds;
  // attention_mask (decoder_attention_mask) is None: no self-attention mask.
  at::Tensor enc_mask = detr_bidirectional_mask(attention_, h, encoder_attention_mask, encoder_hidden_states);
  for (auto& layer : layers) h = layer->forward(h, spatial_pos, query_pos, encoder_hidden_states, enc_mask);
  return layernorm->forward(h);
}

int64_t detr_transformer_parameter_count(const DetrConfig& c) {
  const int64_t d = c.d_model;
  const int64_t attn = 4 * (d * d + d), norm = 2 * d;
  const int64_t enc = attn + norm + (d * c.encoder_ffn_dim + c.encoder_ffn_dim) + (c.encoder_ffn_dim * d + d) + norm;
  const int64_t dec = 2 * attn + 2 * norm + (d * c.decoder_ffn_dim + c.decoder_ffn_dim) + (c.decoder_ffn_dim * d + d) + norm;
  return c.encoder_layers * enc + c.decoder_layers * dec + norm;  // + the decoder's final layernorm
}

}  // namespace ngbench::models::vision
