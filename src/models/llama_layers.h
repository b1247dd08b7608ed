#pragma once
// Building blocks of the Llama-style decoders in transformers 5.17 (Llama and
// Mixtral share them verbatim, under their own class names): RMSNorm,
// SiLUActivation, and the attention module with grouped-query attention in
// its eager and SDPA forms (modeling_llama.eager_attention_forward,
// integrations/sdpa_attention.sdpa_attention_forward).
//
// Contract: each forward() issues the same outermost aten ops, in the same
// order and on the same shapes, as the Python it names, and opens a
// ModuleScope named as the HF class it stands for. Scope names are string
// literals ("LlamaRMSNorm", "MixtralRMSNorm", ...).
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/kv_cache.h"

namespace ngbench::models::hf {

// LlamaRMSNorm / MixtralRMSNorm: computed in float32, weight * x.to(input_dtype).
class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(const char* scope, int64_t hidden_size, double eps);
  at::Tensor forward(const at::Tensor& hidden_states);

  at::Tensor weight;
  double variance_epsilon;

 private:
  const char* scope_;
};

// activations.SiLUActivation (ACT2FN["silu"]): nn.functional.silu, aten::silu.
class SiLUActivationImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& input);
};

// The head layout of a decoder's self-attention.
struct AttentionShape {
  int64_t hidden_size = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;  // < num_heads: grouped-query attention
  int64_t head_dim = 0;
};

// modeling_llama.repeat_kv(hidden_states, n_rep): (b, kv, s, d) -> (b, kv * n_rep, s, d).
at::Tensor repeat_kv(const at::Tensor& hidden_states, int64_t n_rep);

// LlamaAttention / MixtralAttention (bias-free q/k/v/o projections, RoPE, the
// keys and values appended to the KV cache when there is one), with `attention` choosing eager_attention_forward or
// sdpa_attention_forward. Mixtral's extra sliding_window=None argument issues nothing.
class DecoderAttentionImpl : public torch::nn::Module {
 public:
  DecoderAttentionImpl(const char* scope, const AttentionShape& shape, Attention attention, int64_t layer_idx);

  // forward(hidden_states, position_embeddings=(cos, sin), attention_mask, past_key_values) -> attn_output;
  // `cache` null: use_cache=False.
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& cos, const at::Tensor& sin,
                     const at::Tensor& attention_mask, KvCache* cache);

  std::shared_ptr<LinearImpl> q_proj, k_proj, v_proj, o_proj;

 private:
  at::Tensor eager_attention_forward(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                     const at::Tensor& attention_mask);
  at::Tensor sdpa_attention_forward(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                    const at::Tensor& attention_mask);

  const char* scope_;
  Attention attention_;
  int64_t layer_idx_;
  int64_t head_dim_;
  int64_t num_key_value_groups_;
  double scaling_;  // head_dim ** -0.5
};

}  // namespace ngbench::models::hf
