#pragma once
// BERT (Hugging Face transformers 5.17 BertModel with its pooler), reproduced
// operator for operator: the same outermost aten ops, in the same order and on
// the same shapes, as HF's forward(input_ids, use_cache=False) issues, each
// module opening a ModuleScope named as its HF class (BertModel,
// BertEmbeddings, BertEncoder, BertLayer, BertAttention, BertSelfAttention,
// BertSelfOutput, BertIntermediate, GELUActivation, BertOutput, BertPooler,
// Embedding, LayerNorm, Dropout, Linear, Tanh). tests/models/fidelity_test.cc
// checks this against goldens recorded from HF itself.
//
// This header does not include libtorch (the registry's users stay torch-free).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/registry.h"

namespace ngbench::models {

class Model;

// The fields of transformers.BertConfig that shape the network.
struct BertConfig {
  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t intermediate_size = 3072;
  int64_t max_position_embeddings = 512;  // max sequence length
  int64_t type_vocab_size = 2;
  double layer_norm_eps = 1e-12;
  int64_t pad_token_id = 0;
};

// The tiny test config; tools/golden/make_goldens.py's BERT_TINY must match it.
BertConfig bert_tiny_config();

// Parameters of BertModel with its pooler.
int64_t bert_parameter_count(const BertConfig& config);

// Builds the model with weights from torch's global generator, seeded with
// options.seed, in options.dtype on options.device, in eval mode.
// options.attention: "eager" or "sdpa"; empty means "sdpa", HF 5.17's default on
// CPU (config._attn_implementation of a model built from a config). Throws
// ngbench::Error for bad options. Its forward returns last_hidden_state
// (batch, seq, hidden); the pooler still runs, as in HF.
std::unique_ptr<Model> create_bert(const BertConfig& config, int64_t default_seq_len,
                                   const ModelOptions& options, const std::string& name);

// bert-base-uncased and the tiny bert-tiny (for_tests).
std::vector<ModelEntry> bert_entries();

}  // namespace ngbench::models
