// GPT-2 after transformers 5.17 models/gpt2/modeling_gpt2.py (GPT2LMHeadModel),
// in eval mode, for forward(input_ids) (a prefill pass over the whole sequence, with or
// without HF's DynamicCache; attention_mask / position_ids left None) and for
// generate's forward over the cache (models/generate.h).
// Each forward below names the Python lines it mirrors; the order of aten ops
// is part of the contract (see gpt2.h).
#include "models/gpt2.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <torch/nn/modules/container/modulelist.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/error.h"
#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/kv_cache.h"
#include "models/module_scope.h"
#include "models/quant.h"
#include "models/text_model.h"

namespace ngbench::models {

namespace {

using hf::Attention;
using hf::KvCache;
using hf::py_number;

// Dropout probabilities of GPT2Config (resid/embd/attn_pdrop); eval mode makes them no-ops.
constexpr double kDropout = 0.1;
constexpr double kPi = 3.141592653589793;  // math.pi

// transformers.pytorch_utils.Conv1D: a Linear with transposed weight, via addmm.
class Conv1DImpl : public torch::nn::Module {
 public:
  Conv1DImpl(int64_t nf, int64_t nx) : nf_(nf) {
    weight = register_parameter("weight", at::normal(0.0, hf::kInitStd, {nx, nf}), false);
    bias = register_parameter("bias", at::zeros({nf}), false);
  }
  at::Tensor forward(const at::Tensor& x) {
    if (quantized) return quantized->forward(x);
    ModuleScope scope("Conv1D", {x});
    std::vector<int64_t> size_out = x.sizes().vec();  // x.size()[:-1] + (self.nf,)
    size_out.back() = nf_;
    at::Tensor y = at::addmm(bias, x.view({-1, x.size(-1)}), weight);
    return y.view(size_out);
  }

  at::Tensor weight, bias;
  // Set by --quant (models/quant.h), as a Linear of the transposed weight: forward() runs it instead.
  std::shared_ptr<quant::QuantizedLinear> quantized;

 private:
  int64_t nf_;
};

// activations.NewGELUActivation ("gelu_new"): the tanh approximation, op by op:
// 0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * torch.pow(input, 3.0))))
class NewGELUActivationImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("NewGELUActivation", {input});
    at::Tensor half_x = at::mul(input, py_number(0.5));
    at::Tensor cube = at::pow(input, c10::Scalar(3.0));
    at::Tensor inner = at::add(input, at::mul(cube, py_number(0.044715)));
    at::Tensor t = at::tanh(at::mul(inner, py_number(std::sqrt(2.0 / kPi))));
    return at::mul(half_x, at::add(t, py_number(1.0)));
  }
};

class GPT2AttentionImpl : public torch::nn::Module {
 public:
  GPT2AttentionImpl(const GPT2Config& c, Attention attention, int64_t layer_idx)
      : attention_(attention), layer_idx_(layer_idx), embed_dim_(c.n_embd), head_dim_(c.n_embd / c.n_head),
        scaling_(std::pow(static_cast<double>(head_dim_), -0.5)) {
    c_attn = register_module("c_attn", std::make_shared<Conv1DImpl>(3 * embed_dim_, embed_dim_));
    c_proj = register_module("c_proj", std::make_shared<Conv1DImpl>(embed_dim_, embed_dim_));
    resid_dropout = register_module("resid_dropout", std::make_shared<hf::DropoutImpl>(kDropout));
  }

  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask, KvCache* cache) {
    ModuleScope scope("GPT2Attention");
    // query_states, key_states, value_states = self.c_attn(hidden_states).split(self.split_size, dim=2)
    std::vector<at::Tensor> qkv = c_attn->forward(hidden_states).split(embed_dim_, 2);
    at::Tensor key = qkv[1].view(head_shape(qkv[1])).transpose(1, 2);
    at::Tensor value = qkv[2].view(head_shape(qkv[2])).transpose(1, 2);
    at::Tensor query = qkv[0].view(head_shape(qkv[0])).transpose(1, 2);
    // key_states, value_states = curr_past_key_values.update(key_states, value_states, self.layer_idx)
    if (cache != nullptr) std::tie(key, value) = cache->update(layer_idx_, key, value);

    at::Tensor out = attention_ == Attention::kEager
                         ? eager_attention_forward(query, key, value, attention_mask)
                         : hf::sdpa_attention_forward(query, key, value, attention_mask, scaling_,
                                                      /*module_is_causal=*/true);
    // attn_output.reshape(*attn_output.shape[:-2], -1).contiguous()
    std::vector<int64_t> shape(out.sizes().begin(), out.sizes().end() - 2);
    shape.push_back(-1);
    out = out.reshape(shape).contiguous();
    return resid_dropout->forward(c_proj->forward(out));
  }

  std::shared_ptr<Conv1DImpl> c_attn, c_proj;
  std::shared_ptr<hf::DropoutImpl> resid_dropout;

 private:
  // (*x.shape[:-1], -1, self.head_dim)
  std::vector<int64_t> head_shape(const at::Tensor& x) const {
    std::vector<int64_t> s(x.sizes().begin(), x.sizes().end() - 1);
    s.push_back(-1);
    s.push_back(head_dim_);
    return s;
  }

  // modeling_gpt2.eager_attention_forward (returns attn_output only).
  at::Tensor eager_attention_forward(const at::Tensor& query, const at::Tensor& key,
                                     const at::Tensor& value, const at::Tensor& attention_mask) {
    at::Tensor w = at::mul(at::matmul(query, key.transpose(-1, -2)), py_number(scaling_));
    if (attention_mask.defined()) w = at::add(w, attention_mask);
    w = at::softmax(w, -1);
    w = w.to(value.scalar_type());  // attn_weights.type(value.dtype)
    // nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    w = at::dropout(w, is_training() ? kDropout : 0.0, is_training());
    return at::matmul(w, value).transpose(1, 2);
  }

  Attention attention_;
  int64_t layer_idx_;
  int64_t embed_dim_, head_dim_;
  double scaling_;  // head_dim ** -0.5 (scale_attn_weights=True)
};

class GPT2MLPImpl : public torch::nn::Module {
 public:
  explicit GPT2MLPImpl(const GPT2Config& c) {
    c_fc = register_module("c_fc", std::make_shared<Conv1DImpl>(c.inner(), c.n_embd));
    c_proj = register_module("c_proj", std::make_shared<Conv1DImpl>(c.n_embd, c.inner()));
    act = register_module("act", std::make_shared<NewGELUActivationImpl>());
    dropout = register_module("dropout", std::make_shared<hf::DropoutImpl>(kDropout));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("GPT2MLP");
    return dropout->forward(c_proj->forward(act->forward(c_fc->forward(x))));
  }

  std::shared_ptr<Conv1DImpl> c_fc, c_proj;
  std::shared_ptr<NewGELUActivationImpl> act;
  std::shared_ptr<hf::DropoutImpl> dropout;
};

class GPT2BlockImpl : public torch::nn::Module {
 public:
  GPT2BlockImpl(const GPT2Config& c, Attention attention, int64_t layer_idx) {
    ln_1 = register_module("ln_1", std::make_shared<hf::LayerNormImpl>(c.n_embd, c.layer_norm_epsilon));
    attn = register_module("attn", std::make_shared<GPT2AttentionImpl>(c, attention, layer_idx));
    ln_2 = register_module("ln_2", std::make_shared<hf::LayerNormImpl>(c.n_embd, c.layer_norm_epsilon));
    mlp = register_module("mlp", std::make_shared<GPT2MLPImpl>(c));
  }
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask, KvCache* cache) {
    ModuleScope scope("GPT2Block");
    at::Tensor residual = hidden_states;
    at::Tensor attn_output = attn->forward(ln_1->forward(hidden_states), attention_mask, cache);
    at::Tensor h = at::add(attn_output, residual);  // attn_output + residual
    residual = h;
    at::Tensor ff = mlp->forward(ln_2->forward(h));
    return at::add(residual, ff);  // residual + feed_forward_hidden_states
  }

  std::shared_ptr<hf::LayerNormImpl> ln_1, ln_2;
  std::shared_ptr<GPT2AttentionImpl> attn;
  std::shared_ptr<GPT2MLPImpl> mlp;
};

class GPT2ModelImpl : public torch::nn::Module {
 public:
  GPT2ModelImpl(const GPT2Config& c, Attention attention) : attention_(attention) {
    wte = register_module("wte", std::make_shared<hf::EmbeddingImpl>(c.vocab_size, c.n_embd));
    wpe = register_module("wpe", std::make_shared<hf::EmbeddingImpl>(c.n_positions, c.n_embd));
    drop = register_module("drop", std::make_shared<hf::DropoutImpl>(kDropout));
    auto list = register_module("h", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.n_layer; ++i) {
      h.push_back(std::make_shared<GPT2BlockImpl>(c, attention, i));
      list->push_back(h.back());
    }
    ln_f = register_module("ln_f", std::make_shared<hf::LayerNormImpl>(c.n_embd, c.layer_norm_epsilon));
  }

  // Returns last_hidden_state. `cache` null: use_cache=False; position_ids and attention_mask (2D) undefined:
  // None, as a plain forward(input_ids) leaves them (generate passes both).
  at::Tensor forward(const at::Tensor& input_ids_in, KvCache* cache, const at::Tensor& position_ids_in,
                     const at::Tensor& attention_mask_in) {
    ModuleScope scope("GPT2Model");
    const int64_t seq = input_ids_in.size(-1);
    at::Tensor input_ids = input_ids_in.view({-1, seq});  // input_ids.view(-1, input_shape[-1])
    const int64_t batch = input_ids.size(0);
    at::Tensor inputs_embeds = wte->forward(input_ids);
    const int64_t past_seen_tokens = cache != nullptr ? cache->seq_length() : 0;
    at::Tensor position_ids = position_ids_in;
    if (!position_ids.defined()) {
      // position_ids = torch.arange(inputs_embeds.shape[1], device=...) + past_seen_tokens; .unsqueeze(0)
      const auto arange_opts = at::TensorOptions().device(inputs_embeds.device()).pinned_memory(false);
      position_ids = at::add(at::arange(inputs_embeds.size(1), arange_opts), py_number(past_seen_tokens)).unsqueeze(0);
    }
    at::Tensor position_embeds = wpe->forward(position_ids);
    // inputs_embeds + position_embeds.to(inputs_embeds.device)
    at::Tensor moved = hf::py_to_device(position_embeds, inputs_embeds.device());
    at::Tensor hidden = at::add(inputs_embeds, moved);
    // if attention_mask is not None and attention_mask.ndim < 4: attention_mask.view(batch_size, -1)
    at::Tensor attention_mask = attention_mask_in;
    if (attention_mask.defined() && attention_mask.dim() < 4) attention_mask = attention_mask.view({batch, -1});
    at::Tensor causal_mask =
        cache != nullptr ? hf::create_causal_mask_cached(attention_, inputs_embeds, attention_mask, past_seen_tokens)
                         : hf::create_causal_mask(attention_, inputs_embeds, position_ids);
    hidden = drop->forward(hidden);
    for (auto& block : h) hidden = block->forward(hidden, causal_mask, cache);
    hidden = ln_f->forward(hidden);
    return hidden.view({-1, seq, hidden.size(-1)});  // view((-1,) + input_shape[1:] + (hidden,))
  }

  std::shared_ptr<hf::EmbeddingImpl> wte, wpe;
  std::shared_ptr<hf::DropoutImpl> drop;
  std::vector<std::shared_ptr<GPT2BlockImpl>> h;
  std::shared_ptr<hf::LayerNormImpl> ln_f;

 private:
  Attention attention_;
};

class GPT2LMHeadModelImpl : public torch::nn::Module {
 public:
  GPT2LMHeadModelImpl(const GPT2Config& c, Attention attention, bool use_cache) : use_cache_(use_cache) {
    transformer = register_module("transformer", std::make_shared<GPT2ModelImpl>(c, attention));
    // Tied to wte: the weight is shared, not registered again, so it counts once.
    lm_head = register_module("lm_head", std::make_shared<hf::LinearImpl>(transformer->wte->weight));
  }
  // forward(input_ids): the logits (batch, seq, vocab). With use_cache (HF's default) the forward fills a
  // DynamicCache of its own, dropped afterwards.
  at::Tensor forward(const at::Tensor& input_ids) {
    ModuleScope scope("GPT2LMHeadModel");
    std::optional<KvCache> cache;
    if (use_cache_) cache.emplace(static_cast<int64_t>(transformer->h.size()));
    at::Tensor hidden = transformer->forward(input_ids, cache ? &*cache : nullptr, {}, {});
    // hidden_states[:, slice(-logits_to_keep, None), :] with logits_to_keep=0 keeps
    // everything; Python indexing then returns at::alias(hidden_states).
    return lm_head->forward(at::alias(hidden));
  }

  // generate's forward over `cache` (logits_to_keep=1): the last position's logits (batch, 1, vocab).
  at::Tensor forward(const at::Tensor& input_ids, KvCache& cache, const at::Tensor& position_ids,
                     const at::Tensor& attention_mask) {
    ModuleScope scope("GPT2LMHeadModel");
    at::Tensor hidden = transformer->forward(input_ids, &cache, position_ids, attention_mask);
    return lm_head->forward(hf::py_slice(hidden, 1, -1, INT64_MAX));  // hidden_states[:, -1:, :]
  }

  int64_t num_layers() const { return static_cast<int64_t>(transformer->h.size()); }

  std::shared_ptr<GPT2ModelImpl> transformer;
  std::shared_ptr<hf::LinearImpl> lm_head;

 private:
  bool use_cache_;
};

// --quant: every Conv1D of the blocks, as a Linear of the transposed weight (Hugging Face's bitsandbytes
// integration replaces Conv1D so; torchao and torch.ao would skip it, see docs/quantization.md). The tied
// lm_head stays in the base dtype. Returns the model's workload-count source (empty for --quant none).
std::function<std::map<std::string, double>()> quantize_blocks(GPT2LMHeadModelImpl& net, const ModelOptions& options) {
  const quant::LinearQuantOptions o = quant::linear_quant_options(options);
  if (o.scheme == quant::Scheme::kNone) return {};
  auto linears = std::make_shared<quant::QuantizedLinears>();
  for (auto& block : net.transformer->h) {
    for (const auto& m : block->modules(/*include_self=*/false)) {
      auto conv = std::dynamic_pointer_cast<Conv1DImpl>(m);
      if (!conv) continue;
      conv->quantized = quant::quantize_linear(conv->weight.t().contiguous(), conv->bias, o, "Conv1D");
      conv->weight.set_data(at::empty({0}, conv->weight.options()));  // not read again
      linears->add(conv->quantized);
    }
  }
  return [linears] { return linears->counts(); };
}

ModelEntry make_entry(const std::string& name, const std::string& description, const GPT2Config& c,
                      int64_t default_seq_len, bool for_tests) {
  ModelEntry e = hf::text_model_entry(name, for_tests ? "hf:GPT2LMHeadModel(tiny config)" : "hf:" + name,
                                       description, gpt2_parameter_count(c), c.n_layer, "GPT2Block", default_seq_len,
                                       c.n_positions, for_tests);
  // --quant: c_attn, c_fc and attn.c_proj read n_embd columns, mlp.c_proj the inner width.
  e.quant_min_in_features = std::min(c.n_embd, c.inner());
  e.kv_width = 2 * c.n_embd;  // keys and values of every head
  e.estimate_bytes = [c](int64_t batch, int64_t seq, int64_t layers) {
    GPT2Config built = c;
    built.n_layer = layers;
    const int64_t params = gpt2_parameter_count(built);
    // fp32 weights plus, generously, every activation a layer can hold at once:
    // hidden states and residuals, q/k/v, the MLP's inner width twice, three
    // (batch, heads, seq, seq) attention tensors and the eager mask, the logits.
    const int64_t tokens = batch * seq;
    const int64_t per_layer = tokens * (8 * c.n_embd + 3 * c.inner()) + 3 * batch * c.n_head * seq * seq +
                              2 * batch * seq * seq;
    const int64_t logits = tokens * c.vocab_size;
    return 4 * (params + 2 * (per_layer + logits));
  };
  e.create = [c, default_seq_len, name](const ModelOptions& o) {
    GPT2Config built = c;
    if (o.layers > 0) built.n_layer = o.layers;
    return create_gpt2(built, default_seq_len, o, name);
  };
  return e;
}

}  // namespace

GPT2Config gpt2_tiny_config() {
  GPT2Config c;
  c.vocab_size = 100;
  c.n_positions = 32;
  c.n_embd = 64;
  c.n_layer = 2;
  c.n_head = 4;
  c.eos_token_id = 99;
  return c;
}

int64_t gpt2_parameter_count(const GPT2Config& c) {
  const int64_t e = c.n_embd, f = c.inner();
  const int64_t layer_norm = 2 * e;
  const int64_t attn = (e * 3 * e + 3 * e) + (e * e + e);  // c_attn, c_proj
  const int64_t mlp = (e * f + f) + (f * e + e);           // c_fc, c_proj
  const int64_t block = 2 * layer_norm + attn + mlp;
  // wte + wpe + blocks + ln_f; lm_head is tied to wte.
  return c.vocab_size * e + c.n_positions * e + c.n_layer * block + layer_norm;
}

std::unique_ptr<Model> create_gpt2(const GPT2Config& config, int64_t default_seq_len,
                                   const ModelOptions& options, const std::string& name) {
  NGBENCH_CHECK(config.n_embd % config.n_head == 0, "n_embd must be a multiple of n_head");
  const at::ScalarType dtype = hf::parse_dtype(options.dtype);
  const at::Device device = hf::parse_device(options.device);
  const Attention attention = hf::parse_attention(options.attention, Attention::kSdpa);
  at::manual_seed(options.seed);
  auto net = std::make_shared<GPT2LMHeadModelImpl>(config, attention, options.kv_cache);
  net->eval();
  hf::convert_module(*net, dtype, device);
  hf::TokenInputs info{name, config.vocab_size, default_seq_len, config.n_positions, device};
  const hf::GenerateOptions generate{config.eos_token_id, options.gen_tokens + 1};
  auto model = std::make_unique<hf::GenerativeModel<GPT2LMHeadModelImpl>>(std::move(net), std::move(info), generate);
  model->set_workload_counts(quantize_blocks(model->net(), options));
  return model;
}

std::vector<ModelEntry> gpt2_entries() {
  GPT2Config small;  // the defaults are gpt2's
  GPT2Config large = small;
  large.n_embd = 1280;
  large.n_layer = 36;
  large.n_head = 20;
  GPT2Config xl = small;
  xl.n_embd = 1600;
  xl.n_layer = 48;
  xl.n_head = 25;
  return {
      make_entry("gpt2", "GPT-2 124M, decoder-only LM", small, 256, false),
      make_entry("gpt2-large", "GPT-2 774M, decoder-only LM", large, 256, false),
      make_entry("gpt2-xl", "GPT-2 1.5B, decoder-only LM", xl, 512, false),
      make_entry("gpt2-tiny", "GPT-2 test config: 2 layers, hidden 64", gpt2_tiny_config(), 16, true),
  };
}

}  // namespace ngbench::models
