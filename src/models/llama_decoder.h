#pragma once
// The decoder stack of the Llama-style models in transformers 5.17:
// LlamaDecoderLayer / LlamaModel / LlamaForCausalLM and their Mixtral
// counterparts are the same code under each family's class names (Mixtral's
// modeling file copies them). Only the block after post_attention_layernorm
// differs: LlamaMLP or MixtralSparseMoeBlock.
//
//   Config: LlamaConfig or MixtralConfig (vocab_size, hidden_size,
//           rms_norm_eps, num_hidden_layers, num_attention_heads,
//           num_key_value_heads, head_dim(), rope).
//   Mlp:    a module with at::Tensor forward(const at::Tensor&).
//
// Modules are registered, and so their weights drawn from the seeded
// generator, in the order of HF's __init__.
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/kv_cache.h"
#include "models/llama_layers.h"
#include "models/module_scope.h"
#include "models/rope.h"

namespace ngbench::models::hf {

// The HF class names a family's modules stand for (string literals).
struct DecoderNames {
  const char* causal_lm;  // "LlamaForCausalLM"
  const char* model;      // "LlamaModel"
  const char* layer;      // "LlamaDecoderLayer"
  const char* attention;  // "LlamaAttention"
  const char* norm;       // "LlamaRMSNorm"
  const char* rotary;     // "LlamaRotaryEmbedding"
};

template <class Mlp>
using MlpFactory = std::function<std::shared_ptr<Mlp>()>;

// LlamaDecoderLayer: pre-norm attention and MLP, each with a residual.
template <class Mlp>
class DecoderLayerImpl : public torch::nn::Module {
 public:
  template <class Config>
  DecoderLayerImpl(const DecoderNames& names, const Config& c, Attention attention, const MlpFactory<Mlp>& make_mlp,
                   int64_t layer_idx)
      : scope_(names.layer) {
    const AttentionShape shape{c.hidden_size, c.num_attention_heads, c.num_key_value_heads, c.head_dim()};
    self_attn = register_module("self_attn",
                                std::make_shared<DecoderAttentionImpl>(names.attention, shape, attention, layer_idx));
    mlp = register_module("mlp", make_mlp());
    input_layernorm =
        register_module("input_layernorm", std::make_shared<RMSNormImpl>(names.norm, c.hidden_size, c.rms_norm_eps));
    post_attention_layernorm = register_module(
        "post_attention_layernorm", std::make_shared<RMSNormImpl>(names.norm, c.hidden_size, c.rms_norm_eps));
  }

  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask, const at::Tensor& cos,
                     const at::Tensor& sin, KvCache* cache) {
    ModuleScope scope(scope_);
    at::Tensor residual = hidden_states;
    at::Tensor h = input_layernorm->forward(hidden_states);
    h = self_attn->forward(h, cos, sin, attention_mask, cache);
    h = at::add(residual, h);  // residual + hidden_states
    residual = h;
    h = mlp->forward(post_attention_layernorm->forward(h));
    return at::add(residual, h);
  }

  std::shared_ptr<DecoderAttentionImpl> self_attn;
  std::shared_ptr<Mlp> mlp;
  std::shared_ptr<RMSNormImpl> input_layernorm, post_attention_layernorm;

 private:
  const char* scope_;
};

// LlamaModel: embeddings, the layers, the final norm; returns last_hidden_state.
template <class Mlp>
class DecoderModelImpl : public torch::nn::Module {
 public:
  template <class Config>
  DecoderModelImpl(const DecoderNames& names, const Config& c, Attention attention, const MlpFactory<Mlp>& make_mlp)
      : scope_(names.model), attention_(attention) {
    // pad_token_id is None in every published config used here: no padding row.
    embed_tokens = register_module("embed_tokens", std::make_shared<EmbeddingImpl>(c.vocab_size, c.hidden_size));
    auto list = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
      layers.push_back(std::make_shared<DecoderLayerImpl<Mlp>>(names, c, attention, make_mlp, i));
      list->push_back(layers.back());
    }
    norm = register_module("norm", std::make_shared<RMSNormImpl>(names.norm, c.hidden_size, c.rms_norm_eps));
    rotary_emb =
        register_module("rotary_emb", std::make_shared<RotaryEmbeddingImpl>(names.rotary, c.rope, c.head_dim()));
  }

  // `cache` null: use_cache=False; position_ids and attention_mask (2D) undefined: None, as a plain
  // forward(input_ids) leaves them (generate passes both).
  at::Tensor forward(const at::Tensor& input_ids, KvCache* cache, const at::Tensor& position_ids_in,
                     const at::Tensor& attention_mask) {
    ModuleScope scope(scope_);
    at::Tensor inputs_embeds = embed_tokens->forward(input_ids);
    const int64_t past_seen_tokens = cache != nullptr ? cache->seq_length() : 0;
    at::Tensor position_ids = position_ids_in;
    if (!position_ids.defined()) {
      // position_ids = torch.arange(inputs_embeds.shape[1], device=...) + past_seen_tokens; .unsqueeze(0)
      const auto arange_opts = at::TensorOptions().device(inputs_embeds.device()).pinned_memory(false);
      position_ids = at::add(at::arange(inputs_embeds.size(1), arange_opts), py_number(past_seen_tokens)).unsqueeze(0);
    }
    // Mixtral's sliding_window is None: create_causal_mask, not the sliding-window variant.
    at::Tensor causal_mask = cache != nullptr
                                 ? create_causal_mask_cached(attention_, inputs_embeds, attention_mask, past_seen_tokens)
                                 : create_causal_mask(attention_, inputs_embeds, position_ids);
    at::Tensor hidden_states = inputs_embeds;
    auto [cos, sin] = rotary_emb->forward(hidden_states, position_ids);
    for (auto& layer : layers) hidden_states = layer->forward(hidden_states, causal_mask, cos, sin, cache);
    return norm->forward(hidden_states);
  }

  std::shared_ptr<EmbeddingImpl> embed_tokens;
  std::vector<std::shared_ptr<DecoderLayerImpl<Mlp>>> layers;
  std::shared_ptr<RMSNormImpl> norm;
  std::shared_ptr<RotaryEmbeddingImpl> rotary_emb;

 private:
  const char* scope_;
  Attention attention_;
};

// LlamaForCausalLM: the model and lm_head; returns the logits (batch, seq,
// vocab). Mixtral's output_router_logits is False: no auxiliary loss.
template <class Mlp>
class DecoderForCausalLMImpl : public torch::nn::Module {
 public:
  template <class Config>
  DecoderForCausalLMImpl(const DecoderNames& names, const Config& c, Attention attention,
                         const MlpFactory<Mlp>& make_mlp, bool use_cache)
      : scope_(names.causal_lm), use_cache_(use_cache) {
    model = register_module("model", std::make_shared<DecoderModelImpl<Mlp>>(names, c, attention, make_mlp));
    lm_head = register_module("lm_head", std::make_shared<LinearImpl>(c.hidden_size, c.vocab_size, false));
  }

  // forward(input_ids): with use_cache (HF's default) the forward fills a DynamicCache of its own.
  at::Tensor forward(const at::Tensor& input_ids) {
    ModuleScope scope(scope_);
    std::optional<KvCache> cache;
    if (use_cache_) cache.emplace(num_layers());
    at::Tensor hidden_states = model->forward(input_ids, cache ? &*cache : nullptr, {}, {});
    // hidden_states[:, slice(-logits_to_keep, None), :] with logits_to_keep=0 keeps
    // everything; Python indexing then returns at::alias(hidden_states).
    return lm_head->forward(at::alias(hidden_states));
  }

  // generate's forward over `cache` (logits_to_keep=1): the last position's logits (batch, 1, vocab).
  at::Tensor forward(const at::Tensor& input_ids, KvCache& cache, const at::Tensor& position_ids,
                     const at::Tensor& attention_mask) {
    ModuleScope scope(scope_);
    at::Tensor hidden_states = model->forward(input_ids, &cache, position_ids, attention_mask);
    return lm_head->forward(py_slice(hidden_states, 1, -1, INT64_MAX));  // hidden_states[:, -1:, :]
  }

  int64_t num_layers() const { return static_cast<int64_t>(model->layers.size()); }

  std::shared_ptr<DecoderModelImpl<Mlp>> model;
  std::shared_ptr<LinearImpl> lm_head;

 private:
  const char* scope_;
  bool use_cache_;
};

}  // namespace ngbench::models::hf
