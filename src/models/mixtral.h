#pragma once
// Mixtral (Hugging Face transformers 5.17 MixtralForCausalLM, lm_head untied),
// reproduced operator for operator: the same outermost aten ops, in the same
// order and on the same shapes, as HF's forward(input_ids, use_cache=False)
// issues, each module opening a ModuleScope named as its HF class
// (MixtralForCausalLM, MixtralModel, MixtralDecoderLayer, MixtralAttention,
// MixtralSparseMoeBlock, MixtralTopKRouter, MixtralExperts, MixtralRMSNorm,
// MixtralRotaryEmbedding, SiLUActivation, Embedding, Linear).
//
// Experts: HF 5.17 runs MixtralExperts through config._experts_implementation,
// which for a model built from a config is "grouped_mm" (integrations/moe.py
// grouped_mm_experts_forward: tokens sorted by expert, two aten::_grouped_mm
// over all experts; its ops and shapes do not depend on the routing). "eager"
// is MixtralExperts.forward itself: a loop over the experts that received
// tokens, whose ops and shapes do depend on the routing. Both are reproduced;
// the registry's models use HF's default. tests/models/fidelity_test.cc checks
// both against goldens recorded from HF with identical weights and token ids.
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

// The fields of transformers.MixtralConfig that shape the network (no biases,
// hidden_act "silu", head_dim = hidden_size / num_attention_heads,
// sliding_window None, router_jitter_noise 0).
struct MixtralConfig {
  int64_t vocab_size = 32000;
  int64_t hidden_size = 4096;
  int64_t intermediate_size = 14336;  // of one expert
  int64_t num_hidden_layers = 32;
  int64_t num_attention_heads = 32;
  int64_t num_key_value_heads = 8;
  int64_t max_position_embeddings = 32768;  // max sequence length
  double rms_norm_eps = 1e-5;
  int64_t eos_token_id = 2;                // generation: EOS (and the pad id, as HF's generate takes it when unset)
  int64_t num_local_experts = 8;
  int64_t num_experts_per_tok = 2;  // top-k routing
  RopeParameters rope{"default", 1e6};
  std::string experts_implementation = "grouped_mm";  // HF 5.17's default; or "eager"

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

// mistralai/Mixtral-8x7B-v0.1.
MixtralConfig mixtral_8x7b_config();

// The tiny test config; tools/golden/mixtral.py's TINY must match it.
MixtralConfig mixtral_tiny_config();

// Parameters of MixtralForCausalLM (untied lm_head counted).
int64_t mixtral_parameter_count(const MixtralConfig& config);

// Builds the model with weights from torch's global generator, seeded with
// options.seed, in options.dtype on options.device, in eval mode (the RoPE
// inverse frequencies stay float32, as HF's from_pretrained(dtype=...) leaves
// them). options.attention: "eager" or "sdpa"; empty means "sdpa", HF 5.17's
// default on CPU. Throws ngbench::Error for bad options or an unknown
// experts_implementation. Its forward returns the logits (batch, seq, vocab).
// Parameter names are HF's state_dict keys.
std::unique_ptr<Model> create_mixtral(const MixtralConfig& config, int64_t default_seq_len,
                                      const ModelOptions& options, const std::string& name);

// Peak bytes of a float32 forward at this shape with `layers` decoder layers
// built: weights plus, generously, the live activations (see mixtral.cc).
int64_t mixtral_estimate_bytes(const MixtralConfig& config, int64_t batch, int64_t seq_len, int64_t layers);

// mixtral-8x7b and the tiny mixtral-tiny (for_tests).
std::vector<ModelEntry> mixtral_entries();

}  // namespace ngbench::models
