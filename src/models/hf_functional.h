#pragma once
// Functions of transformers 5.17 that the model families call outside any
// module: the attention-mask builders of masking_utils.py and the SDPA
// attention interface of integrations/sdpa_attention.py.
//
// Contract: each issues the same outermost aten ops, in the same order, as the
// Python function for the arguments ngbench passes: input ids only (no
// attention_mask), position ids from arange, with or without a KV cache; and
// generate's steps (a 2D attention mask of ones, a DynamicCache).
// Paths HF takes only for other arguments (padding masks, packed sequences,
// caches, sliding windows) are not reproduced.
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>

namespace ngbench::models::hf {

// The attention implementations HF offers that ngbench reproduces.
enum class Attention { kEager, kSdpa };

// create_causal_mask(config, inputs_embeds, attention_mask=None,
// past_key_values=None, position_ids) for a decoder: checks position_ids for
// packed sequences (find_packed_sequence_indices), then for eager builds the
// float (batch, 1, q, kv) mask of 0 / finfo.min; for sdpa returns an undefined
// tensor (None: SDPA's is_causal is used instead).
at::Tensor create_causal_mask(Attention attention, const at::Tensor& inputs_embeds,
                              const at::Tensor& position_ids);

// create_causal_mask(config, inputs_embeds, attention_mask, past_key_values, position_ids) with a
// DynamicCache holding `cached` tokens before this forward (HF's use_cache=True forward, generate's steps):
// no packed-sequence check (it runs only without a cache); the 2D `attention_mask` (undefined: None) turned
// into bool; q_offset = cached, kv_length = cached + q. For sdpa the mask is skipped (None) when q is 1 or
// kv == q and no token is padded (fast_all); for eager it is the float (batch, 1, q, kv) mask of causal_mask_function
// and, with a 2D mask, its padding_mask_function.
at::Tensor create_causal_mask_cached(Attention attention, const at::Tensor& inputs_embeds,
                                     const at::Tensor& attention_mask, int64_t cached);

// The index grids of sdpa_mask: torch.arange over the batch, the head (one:
// the mask is shared by all heads), q and kv (each plus its offset, 0), then
// _non_vmap_expansion_sdpa's x[:, None, None, None], x[None, :, None, None],
// x[None, None, :, None], x[None, None, None, :], one unsqueeze per None.
// A mask function reads what it needs of them.
struct SdpaIndexGrid {
  at::Tensor batch, head, q, kv;
};
SdpaIndexGrid sdpa_index_grid(int64_t batch, int64_t q_length, int64_t kv_length, at::Device device,
                              int64_t q_offset = 0);

// sdpa_attention_forward(module, q, k, v, attention_mask, dropout=0.0, scaling)
// without GQA: returns the (batch, seq, heads, head_dim) output. module_is_causal
// is the attention module's is_causal attribute.
at::Tensor sdpa_attention_forward(const at::Tensor& query, const at::Tensor& key,
                                  const at::Tensor& value, const at::Tensor& attention_mask,
                                  double scaling, bool module_is_causal);

}  // namespace ngbench::models::hf
