#pragma once
// GPT-2 (Hugging Face transformers 5.17 GPT2LMHeadModel), reproduced operator
// for operator: the same outermost aten ops, in the same order and on the same
// shapes, as HF's forward(input_ids, use_cache=False) issues, each module
// opening a ModuleScope named as its HF class (GPT2LMHeadModel, GPT2Model,
// GPT2Block, GPT2Attention, GPT2MLP, Conv1D, NewGELUActivation, LayerNorm,
// Embedding, Dropout, Linear). tests/models/fidelity_test.cc checks this
// against goldens recorded from HF itself (tools/golden/make_goldens.py).
// With ModelOptions::kv_cache the forward fills a DynamicCache as HF's default
// forward does; the model also generates (models/generate.h), one token per
// step over its KV cache, as transformers' greedy generate does.
//
// This header does not include libtorch (the registry's users stay torch-free).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/registry.h"

namespace ngbench::models {

class Model;

// The fields of transformers.GPT2Config that shape the network.
struct GPT2Config {
  int64_t vocab_size = 50257;
  int64_t n_positions = 1024;  // max sequence length
  int64_t n_embd = 768;
  int64_t n_layer = 12;
  int64_t n_head = 12;
  int64_t n_inner = 0;  // MLP width; 0: 4 * n_embd (HF's n_inner=None)
  double layer_norm_epsilon = 1e-5;
  int64_t eos_token_id = 50256;  // generation: EOS (and, as HF's generate does when unset, the pad id)

  int64_t inner() const { return n_inner > 0 ? n_inner : 4 * n_embd; }
};

// The tiny test config; tools/golden/make_goldens.py's GPT2_TINY must match it.
GPT2Config gpt2_tiny_config();

// Parameters of GPT2LMHeadModel, lm_head tied to wte (counted once).
int64_t gpt2_parameter_count(const GPT2Config& config);

// Builds the model with weights from torch's global generator, seeded with
// options.seed, in options.dtype on options.device, in eval mode.
// options.attention: "eager" or "sdpa"; empty means "sdpa", HF 5.17's default on
// CPU (config._attn_implementation of a model built from a config). Throws
// ngbench::Error for bad options. name is used in error messages.
std::unique_ptr<Model> create_gpt2(const GPT2Config& config, int64_t default_seq_len,
                                   const ModelOptions& options, const std::string& name);

// gpt2, gpt2-large, gpt2-xl and the tiny gpt2-tiny (for_tests).
std::vector<ModelEntry> gpt2_entries();

}  // namespace ngbench::models
