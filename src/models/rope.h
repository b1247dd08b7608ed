#pragma once
// Rotary position embeddings as transformers 5.17 computes them for the Llama
// family (models/llama/modeling_llama.py LlamaRotaryEmbedding, shared verbatim
// by Mixtral as MixtralRotaryEmbedding) with the inverse frequencies of
// modeling_rope_utils.py: "default" and "llama3" (Llama 3.1's scaling).
//
// Contract: RotaryEmbeddingImpl::forward and apply_rotary_pos_emb issue the
// same outermost aten ops, in the same order and on the same shapes, as the
// Python they name. The inverse frequencies are computed once at construction
// (outside the profiled forward), in float32 like HF, and stay float32 in a
// half-precision model, as from_pretrained(dtype=...) leaves them: call
// keep_float32() after converting the module's dtype.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <utility>

#include "models/rope_parameters.h"

namespace ngbench::models::hf {

// (inv_freq float32 [head_dim / 2], attention_scaling): ROPE_INIT_FUNCTIONS[rope_type]
// or compute_default_rope_parameters. Throws ngbench::Error for another rope_type.
std::pair<at::Tensor, double> rope_init(const RopeParameters& rope, int64_t head_dim);

// LlamaRotaryEmbedding / MixtralRotaryEmbedding; `scope` names the HF class
// (a string literal).
class RotaryEmbeddingImpl : public torch::nn::Module {
 public:
  RotaryEmbeddingImpl(const char* scope, const RopeParameters& rope, int64_t head_dim);

  // forward(x, position_ids) -> (cos, sin), each (batch of position_ids, seq, head_dim) in x's dtype.
  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& x, const at::Tensor& position_ids);

  // Casts the frequency buffers back to float32 (after a dtype conversion of the model).
  void keep_float32();

  at::Tensor inv_freq, original_inv_freq;  // non-persistent buffers in HF
  double attention_scaling = 1.0;

 private:
  const char* scope_;
};

// modeling_llama.apply_rotary_pos_emb(q, k, cos, sin, unsqueeze_dim=1) -> (q_embed, k_embed).
std::pair<at::Tensor, at::Tensor> apply_rotary_pos_emb(const at::Tensor& q, const at::Tensor& k,
                                                       const at::Tensor& cos, const at::Tensor& sin);

}  // namespace ngbench::models::hf
