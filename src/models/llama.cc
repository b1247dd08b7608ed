// Llama after transformers 5.17 models/llama/modeling_llama.py (LlamaForCausalLM),
// in eval mode, for forward(input_ids) (a prefill pass over the whole sequence, with or
// without HF's DynamicCache; attention_mask / position_ids left None) and for
// generate's forward over the cache (models/generate.h).
// Each forward below names the Python lines it mirrors; the order of aten ops
// is part of the contract (see llama.h). The shared blocks (RMSNorm, rotary
// embedding, attention) live in llama_layers.h and rope.h, the decoder stack
// (layers, model, causal-LM head) in llama_decoder.h.
#include "models/llama.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

#include "core/error.h"
#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/llama_decoder.h"
#include "models/llama_layers.h"
#include "models/module_scope.h"
#include "models/quant.h"
#include "models/rope.h"
#include "models/text_model.h"

namespace ngbench::models {

namespace {

using hf::Attention;
using hf::LinearImpl;
using hf::py_number;

class LlamaMLPImpl : public torch::nn::Module {
 public:
  explicit LlamaMLPImpl(const LlamaConfig& c) {
    gate_proj = register_module("gate_proj", std::make_shared<LinearImpl>(c.hidden_size, c.intermediate_size, false));
    up_proj = register_module("up_proj", std::make_shared<LinearImpl>(c.hidden_size, c.intermediate_size, false));
    down_proj = register_module("down_proj", std::make_shared<LinearImpl>(c.intermediate_size, c.hidden_size, false));
    act_fn = register_module("act_fn", std::make_shared<hf::SiLUActivationImpl>());
  }
  // self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("LlamaMLP");
    at::Tensor gate = act_fn->forward(gate_proj->forward(x));
    at::Tensor up = up_proj->forward(x);
    return down_proj->forward(at::mul(gate, up));
  }

  std::shared_ptr<LinearImpl> gate_proj, up_proj, down_proj;
  std::shared_ptr<hf::SiLUActivationImpl> act_fn;
};

// LlamaDecoderLayer, LlamaModel, LlamaForCausalLM: llama_decoder.h under these names.
constexpr hf::DecoderNames kNames{"LlamaForCausalLM", "LlamaModel",   "LlamaDecoderLayer",
                                  "LlamaAttention",   "LlamaRMSNorm", "LlamaRotaryEmbedding"};
using LlamaForCausalLMImpl = hf::DecoderForCausalLMImpl<LlamaMLPImpl>;

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const LlamaConfig& c, int64_t default_seq_len, bool for_tests) {
  ModelEntry e = hf::text_model_entry(name, reference, description, llama_parameter_count(c), c.num_hidden_layers,
                                       kNames.layer, default_seq_len, c.max_position_embeddings, for_tests);
  // --quant: q/k/v/o read hidden_size columns, gate/up too, down_proj intermediate_size.
  e.quant_min_in_features = std::min(c.hidden_size, c.intermediate_size);
  e.kv_width = 2 * c.num_key_value_heads * c.head_dim();
  e.estimate_bytes = [c](int64_t batch, int64_t seq, int64_t layers) {
    return llama_estimate_bytes(c, batch, seq, layers);
  };
  e.create = [c, default_seq_len, name](const ModelOptions& o) {
    LlamaConfig built = c;
    if (o.layers > 0) built.num_hidden_layers = o.layers;
    return create_llama(built, default_seq_len, o, name);
  };
  return e;
}

}  // namespace

LlamaConfig llama2_7b_config() {
  return LlamaConfig{};  // the defaults are Llama-2-7b-hf's
}

LlamaConfig llama31_8b_config() {
  LlamaConfig c;
  c.vocab_size = 128256;
  c.intermediate_size = 14336;
  c.num_key_value_heads = 8;
  c.max_position_embeddings = 131072;
  c.eos_token_id = 128001;
  c.rope.rope_type = "llama3";
  c.rope.rope_theta = 500000.0;
  c.rope.factor = 8.0;
  c.rope.low_freq_factor = 1.0;
  c.rope.high_freq_factor = 4.0;
  c.rope.original_max_position_embeddings = 8192;
  return c;
}

LlamaConfig llama_tiny_config() {
  LlamaConfig c;
  c.vocab_size = 100;
  c.hidden_size = 32;
  c.intermediate_size = 64;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 4;
  c.max_position_embeddings = 64;
  return c;
}

LlamaConfig llama3_tiny_config() {
  LlamaConfig c = llama_tiny_config();
  c.num_key_value_heads = 2;
  c.max_position_embeddings = 1024;
  c.rope.rope_type = "llama3";
  c.rope.rope_theta = 500000.0;
  // head_dim 8: wavelengths 6.3 (kept: < 512 / 4), 167 (smoothed) and 4450, 118000
  // (divided by the factor: > 512) cover all three llama3 bands.
  c.rope.original_max_position_embeddings = 512;
  return c;
}

int64_t llama_parameter_count(const LlamaConfig& c) {
  const int64_t h = c.hidden_size, kv = c.num_key_value_heads * c.head_dim();
  const int64_t attention = h * h + 2 * h * kv + h * h;  // q, k, v, o (no biases)
  const int64_t mlp = 3 * h * c.intermediate_size;      // gate, up, down
  const int64_t layer = attention + mlp + 2 * h;        // two RMSNorm weights
  // embed_tokens + layers + norm + the untied lm_head.
  return c.vocab_size * h + c.num_hidden_layers * layer + h + h * c.vocab_size;
}

int64_t llama_estimate_bytes(const LlamaConfig& c, int64_t batch, int64_t seq, int64_t layers) {
  LlamaConfig built = c;
  built.num_hidden_layers = layers;
  const int64_t params = llama_parameter_count(built);
  // fp32 weights plus, generously, every activation a layer can hold at once:
  // hidden states, residuals and the RMSNorm's float32 copies, q/k/v and the
  // RoPE temporaries, the MLP's gate/up/product, three (batch, heads, seq, seq)
  // attention tensors (eager scores, float32 softmax, cast), the float mask, the logits.
  const int64_t tokens = batch * seq;
  const int64_t kv = c.num_key_value_heads * c.head_dim();
  const int64_t per_layer = tokens * (6 * c.hidden_size + 4 * kv + 4 * c.intermediate_size) +
                            3 * batch * c.num_attention_heads * seq * seq + 2 * batch * seq * seq;
  const int64_t logits = tokens * c.vocab_size;
  return 4 * (params + 2 * (per_layer + logits));
}

std::unique_ptr<Model> create_llama(const LlamaConfig& config, int64_t default_seq_len, const ModelOptions& options,
                                    const std::string& name) {
  NGBENCH_CHECK(config.hidden_size % config.num_attention_heads == 0,
                "hidden_size must be a multiple of num_attention_heads");
  NGBENCH_CHECK(config.num_attention_heads % config.num_key_value_heads == 0,
                "num_attention_heads must be a multiple of num_key_value_heads");
  const at::ScalarType dtype = hf::parse_dtype(options.dtype);
  const at::Device device = hf::parse_device(options.device);
  const Attention attention = hf::parse_attention(options.attention, Attention::kSdpa);
  at::manual_seed(options.seed);
  const hf::MlpFactory<LlamaMLPImpl> mlp = [&config] { return std::make_shared<LlamaMLPImpl>(config); };
  auto net = std::make_shared<LlamaForCausalLMImpl>(kNames, config, attention, mlp, options.kv_cache);
  net->eval();
  hf::convert_module(*net, dtype, device);
  net->model->rotary_emb->keep_float32();
  hf::TokenInputs info{name, config.vocab_size, default_seq_len, config.max_position_embeddings, device};
  // --quant: the decoder layers' projections (net->model holds no other Linear; the LM head stays as built).
  auto counts = quant::quantize_decoder(*net->model, options);
  const hf::GenerateOptions generate{config.eos_token_id, options.gen_tokens + 1};
  auto model = std::make_unique<hf::GenerativeModel<LlamaForCausalLMImpl>>(std::move(net), std::move(info), generate);
  model->set_workload_counts(std::move(counts));
  return model;
}

std::vector<ModelEntry> llama_entries() {
  return {
      make_entry("llama2-7b", "hf:meta-llama/Llama-2-7b-hf", "Llama 2 7B, decoder-only LM",
                 llama2_7b_config(), 2048, false),
      make_entry("llama3.1-8b", "hf:meta-llama/Llama-3.1-8B",
                 "Llama 3.1 8B, decoder-only LM with GQA and llama3 RoPE ",
                 llama31_8b_config(), 2048, false),
      make_entry("llama-tiny", "hf:LlamaForCausalLM(tiny config)", "Llama 2 test config: 2 layers, hidden 32",
                 llama_tiny_config(), 16, true),
      make_entry("llama3-tiny", "hf:LlamaForCausalLM(tiny config)",
                 "Llama 3.1 test config: 2 layers, hidden 32, GQA, llama3 RoPE", llama3_tiny_config(), 16, true),
  };
}

}  // namespace ngbench::models
