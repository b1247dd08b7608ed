#pragma once
// Llama (Hugging Face transformers 5.17 LlamaForCausalLM, lm_head untied),
// reproduced operator for operator: the same outermost aten ops, in the same
// order and on the same shapes, as HF's forward(input_ids, use_cache=False)
// issues, each module opening a ModuleScope named as its HF class
// (LlamaForCausalLM, LlamaModel, LlamaDecoderLayer, LlamaAttention, LlamaMLP,
// LlamaRMSNorm, LlamaRotaryEmbedding, SiLUActivation, Embedding, Linear).
// Covers Llama 2 (multi-head attention, default RoPE) and Llama 3.1 (grouped-
// query attention, "llama3" RoPE scaling). tests/models/fidelity_test.cc checks
// this against goldens recorded from HF itself (tools/golden/make_goldens.py).
//
// This header does not include libtorch (the registry's users stay torch-free).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/registry.h"
#include "models/rope_parameters.h"

namespace ngbench::models {

class Model;

// The fields of transformers.LlamaConfig that shape the network (no biases,
// hidden_act "silu", head_dim = hidden_size / num_attention_heads).
struct LlamaConfig {
  int64_t vocab_size = 32000;
  int64_t hidden_size = 4096;
  int64_t intermediate_size = 11008;
  int64_t num_hidden_layers = 32;
  int64_t num_attention_heads = 32;
  int64_t num_key_value_heads = 32;        // < num_attention_heads: grouped-query attention
  int64_t max_position_embeddings = 4096;  // max sequence length
  double rms_norm_eps = 1e-5;
  int64_t eos_token_id = 2;                // generation: EOS (and the pad id, as HF's generate takes it when unset)
  RopeParameters rope;

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

// meta-llama/Llama-2-7b-hf and meta-llama/Llama-3.1-8B.
LlamaConfig llama2_7b_config();
LlamaConfig llama31_8b_config();

// The tiny test configs; tools/golden/llama.py's TINY must match them.
LlamaConfig llama_tiny_config();   // Llama 2 layout
LlamaConfig llama3_tiny_config();  // GQA and llama3 RoPE scaling

// Parameters of LlamaForCausalLM (untied lm_head counted).
int64_t llama_parameter_count(const LlamaConfig& config);

// Builds the model with weights from torch's global generator, seeded with
// options.seed, in options.dtype on options.device, in eval mode (the RoPE
// inverse frequencies stay float32, as HF's from_pretrained(dtype=...) leaves
// them). options.attention: "eager" or "sdpa"; empty means "sdpa", HF 5.17's
// default on CPU. options.layers is not read here (the entries apply it to the
// config). Throws ngbench::Error for bad options. Its forward returns the logits
// (batch, seq, vocab). Parameter names are HF's state_dict keys
// ("model.layers.0.self_attn.q_proj.weight", "lm_head.weight", ...).
std::unique_ptr<Model> create_llama(const LlamaConfig& config, int64_t default_seq_len,
                                    const ModelOptions& options, const std::string& name);

// Peak bytes of a float32 forward at this shape with `layers` decoder layers
// built: weights plus, generously, the live activations (see llama.cc).
int64_t llama_estimate_bytes(const LlamaConfig& config, int64_t batch, int64_t seq_len, int64_t layers);

// llama2-7b, llama3.1-8b and the tiny llama-tiny, llama3-tiny (for_tests).
std::vector<ModelEntry> llama_entries();

}  // namespace ngbench::models
