// Mixtral after transformers 5.17 models/mixtral/modeling_mixtral.py
// (MixtralForCausalLM) and integrations/moe.py (grouped_mm_experts_forward), in
// eval mode, for forward(input_ids) (a prefill pass over the whole sequence, with or
// without HF's DynamicCache; attention_mask / position_ids left None) and for
// generate's forward over the cache (models/generate.h),
// output_router_logits False. Each forward below names the Python lines it
// mirrors; the order of aten ops is part of the contract (see mixtral.h).
// Attention, RMSNorm and RoPE are Llama's (llama_layers.h, rope.h).
#include "models/mixtral.h"

#include <ATen/ATen.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

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

enum class Experts { kGroupedMm, kEager };

Experts parse_experts(const std::string& name) {
  if (name == "grouped_mm") return Experts::kGroupedMm;
  if (name == "eager") return Experts::kEager;
  throw Error("unknown experts implementation '" + name + "'; valid: grouped_mm, eager");
}

// Python's tensor[idx, ...] with tensor indices: aten::index.Tensor.
at::Tensor index(const at::Tensor& t, std::initializer_list<at::Tensor> indices) {
  c10::List<std::optional<at::Tensor>> list;
  for (const auto& i : indices) list.push_back(i);
  return at::index(t, list);
}

// Creation ops as Python calls them: pin_memory=False is passed explicitly.
at::TensorOptions python_factory_options() { return at::TensorOptions().pinned_memory(false); }

// MixtralTopKRouter: returns (router_scores, router_indices); router_logits is not used here.
class MixtralTopKRouterImpl : public torch::nn::Module {
 public:
  explicit MixtralTopKRouterImpl(const MixtralConfig& c) : top_k_(c.num_experts_per_tok), hidden_dim_(c.hidden_size) {
    weight = register_parameter("weight", at::normal(0.0, hf::kInitStd, {c.num_local_experts, c.hidden_size}), false);
  }

  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& hidden_states_in) {
    ModuleScope scope("MixtralTopKRouter", {hidden_states_in});
    at::Tensor hidden_states = hidden_states_in.reshape({-1, hidden_dim_});
    at::Tensor router_logits = at::linear(hidden_states, weight, std::nullopt);  // F.linear(hidden_states, self.weight)
    // torch.nn.functional.softmax(router_logits.float(), dim=-1)
    at::Tensor router_probs = at::softmax(router_logits.to(at::kFloat), -1);
    auto [top_value, indices] = at::topk(router_probs, top_k_, -1);
    // router_top_value /= router_top_value.sum(dim=-1, keepdim=True)
    top_value.div_(top_value.sum({-1}, /*keepdim=*/true));
    return {top_value, indices};
  }

  at::Tensor weight;

 private:
  int64_t top_k_, hidden_dim_;
};

// MixtralExperts: weights stored as 3D tensors, run by grouped_mm (HF's default) or the eager loop.
class MixtralExpertsImpl : public torch::nn::Module {
 public:
  MixtralExpertsImpl(const MixtralConfig& c, Experts implementation)
      : implementation_(implementation), num_experts_(c.num_local_experts) {
    const int64_t e = c.num_local_experts, h = c.hidden_size, i = c.intermediate_size;
    gate_up_proj = register_parameter("gate_up_proj", at::normal(0.0, hf::kInitStd, {e, 2 * i, h}), false);
    down_proj = register_parameter("down_proj", at::normal(0.0, hf::kInitStd, {e, h, i}), false);
    act_fn = register_module("act_fn", std::make_shared<hf::SiLUActivationImpl>());
  }

  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& top_k_index, const at::Tensor& top_k_weights) {
    ModuleScope scope("MixtralExperts", {hidden_states, top_k_index, top_k_weights});
    return implementation_ == Experts::kGroupedMm ? grouped_mm_forward(hidden_states, top_k_index, top_k_weights)
                                                  : eager_forward(hidden_states, top_k_index, top_k_weights);
  }

  at::Tensor gate_up_proj, down_proj;
  std::shared_ptr<hf::SiLUActivationImpl> act_fn;

 private:
  // moe._grouped_linear(input, weight, offs) without bias, not transposed, via moe._grouped_mm:
  // torch.nn.functional.grouped_mm(input.to(weight.dtype), weight.transpose(-2, -1), offs=offs).
  static at::Tensor grouped_linear(const at::Tensor& input, const at::Tensor& weight, const at::Tensor& offs) {
    at::Tensor w = weight.transpose(-2, -1);
    at::Tensor a = input.to(w.scalar_type());
    return at::_grouped_mm(a, w, offs, std::nullopt, std::nullopt);
  }

  // moe.grouped_mm_experts_forward (has_gate, no bias, not transposed).
  at::Tensor grouped_mm_forward(const at::Tensor& hidden_states, const at::Tensor& top_k_index,
                                const at::Tensor& top_k_weights) {
    const int64_t num_top_k = top_k_index.size(-1);
    const int64_t num_tokens = hidden_states.size(0);
    const int64_t hidden_dim = hidden_states.size(-1);
    at::Tensor sample_weights = top_k_weights.reshape({-1});
    at::Tensor expert_ids = top_k_index.reshape({-1});
    // expert_ids_g, perm = torch.sort(expert_ids)
    auto [expert_ids_g, perm] = at::sort(expert_ids, -1, /*descending=*/false);
    at::Tensor selected_hidden_states_g = index(hidden_states, {at::floor_divide(perm, py_number(num_top_k))});
    at::Tensor sample_weights_g = index(sample_weights, {perm});
    // histc_input: expert_ids_g.float() on CPU (and MPS), .int() elsewhere
    const bool cpu = hidden_states.device().is_cpu();
    at::Tensor histc_input = expert_ids_g.to(cpu ? at::kFloat : at::kInt);
    at::Tensor tokens_per_expert = at::histc(histc_input, num_experts_, 0, num_experts_ - 1);
    at::Tensor offsets = at::cumsum(tokens_per_expert, 0, at::kInt);
    // sentinel_mask = (expert_ids_g >= self.num_experts).unsqueeze(-1); expert_ids_g.clamp_(max=...)
    at::Tensor sentinel_mask = at::ge(expert_ids_g, num_experts_).unsqueeze(-1);
    expert_ids_g.clamp_(std::nullopt, c10::Scalar(num_experts_ - 1));
    selected_hidden_states_g.masked_fill_(sentinel_mask, 0.0);
    at::Tensor proj_out = grouped_linear(selected_hidden_states_g, gate_up_proj, offsets);
    proj_out = proj_out.masked_fill(sentinel_mask, 0.0);
    // self._apply_gate: gate, up = gate_up_out.chunk(2, dim=-1); self.act_fn(gate) * up
    std::vector<at::Tensor> gate_up = proj_out.chunk(2, -1);
    proj_out = at::mul(act_fn->forward(gate_up[0]), gate_up[1]);
    proj_out = grouped_linear(proj_out, down_proj, offsets);
    proj_out = proj_out.masked_fill(sentinel_mask, 0.0);
    at::Tensor weighted_out = at::mul(proj_out, sample_weights_g.unsqueeze(-1));
    // inv_perm = torch.empty_like(perm); inv_perm[perm] = torch.arange(perm.size(0), device=device)
    at::Tensor inv_perm = at::empty_like(perm, python_factory_options());
    at::Tensor arange = at::arange(perm.size(0), python_factory_options().device(hidden_states.device()));
    c10::List<std::optional<at::Tensor>> perm_index;
    perm_index.push_back(perm);
    inv_perm.index_put_(perm_index, arange);
    weighted_out = index(weighted_out, {inv_perm});
    at::Tensor final_hidden_states = weighted_out.view({num_tokens, num_top_k, hidden_dim}).sum({1});
    return final_hidden_states.to(hidden_states.scalar_type());
  }

  // MixtralExperts.forward: the loop over the experts that received tokens.
  at::Tensor eager_forward(const at::Tensor& hidden_states, const at::Tensor& top_k_index,
                           const at::Tensor& top_k_weights) {
    at::Tensor final_hidden_states = at::zeros_like(hidden_states, python_factory_options());
    // torch.no_grad(): expert_mask = one_hot(top_k_index, num_classes).permute(2, 1, 0)
    at::Tensor expert_mask = at::one_hot(top_k_index, num_experts_).permute({2, 1, 0});
    // expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
    at::Tensor expert_hit = at::greater(expert_mask.sum({-1, -2}), 0).nonzero();
    // `for expert_idx in expert_hit` iterates expert_hit.unbind(0)
    for (const at::Tensor& row : expert_hit.unbind(0)) {
      at::Tensor expert_idx = row.select(0, 0);                          // expert_idx[0]
      if (at::eq(expert_idx, num_experts_).is_nonzero()) continue;        // if expert_idx == self.num_experts
      // Indexing with a 0-d integer tensor reads it (aten::item), then selects.
      std::vector<at::Tensor> where = at::where(expert_mask.select(0, expert_idx.item<int64_t>()));
      const at::Tensor& top_k_pos = where[0];
      const at::Tensor& token_idx = where[1];
      at::Tensor current_state = index(hidden_states, {token_idx});
      // gate, up = F.linear(current_state, self.gate_up_proj[expert_idx]).chunk(2, dim=-1)
      at::Tensor w_gate_up = gate_up_proj.select(0, expert_idx.item<int64_t>());
      std::vector<at::Tensor> gate_up = at::linear(current_state, w_gate_up, std::nullopt).chunk(2, -1);
      at::Tensor current = at::mul(act_fn->forward(gate_up[0]), gate_up[1]);
      at::Tensor w_down = down_proj.select(0, expert_idx.item<int64_t>());
      current = at::linear(current, w_down, std::nullopt);
      // current_hidden_states * top_k_weights[token_idx, top_k_pos, None]: None unsqueezes first
      at::Tensor routing = index(top_k_weights.unsqueeze(2), {token_idx, top_k_pos});
      current = at::mul(current, routing);
      at::Tensor source = current.to(final_hidden_states.scalar_type());
      final_hidden_states.index_add_(0, token_idx, source);
    }
    return final_hidden_states;
  }

  Experts implementation_;
  int64_t num_experts_;
};

class MixtralSparseMoeBlockImpl : public torch::nn::Module {
 public:
  MixtralSparseMoeBlockImpl(const MixtralConfig& c, Experts implementation) {
    gate = register_module("gate", std::make_shared<MixtralTopKRouterImpl>(c));
    experts = register_module("experts", std::make_shared<MixtralExpertsImpl>(c, implementation));
  }

  at::Tensor forward(const at::Tensor& hidden_states_in) {
    ModuleScope scope("MixtralSparseMoeBlock");
    const int64_t batch_size = hidden_states_in.size(0), sequence_length = hidden_states_in.size(1);
    const int64_t hidden_dim = hidden_states_in.size(2);
    // Eval mode: no router jitter. hidden_states.view(-1, hidden_states.shape[-1])
    at::Tensor hidden_states = hidden_states_in.view({-1, hidden_states_in.size(-1)});
    auto [top_k_weights, top_k_index] = gate->forward(hidden_states);
    hidden_states = experts->forward(hidden_states, top_k_index, top_k_weights);
    return hidden_states.reshape({batch_size, sequence_length, hidden_dim});
  }

  std::shared_ptr<MixtralTopKRouterImpl> gate;
  std::shared_ptr<MixtralExpertsImpl> experts;
};

// MixtralDecoderLayer, MixtralModel, MixtralForCausalLM: llama_decoder.h under these names.
constexpr hf::DecoderNames kNames{"MixtralForCausalLM", "MixtralModel",   "MixtralDecoderLayer",
                                  "MixtralAttention",   "MixtralRMSNorm", "MixtralRotaryEmbedding"};
using MixtralForCausalLMImpl = hf::DecoderForCausalLMImpl<MixtralSparseMoeBlockImpl>;

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const MixtralConfig& c, int64_t default_seq_len, bool for_tests) {
  ModelEntry e = hf::text_model_entry(name, reference, description, mixtral_parameter_count(c),
                                       c.num_hidden_layers, kNames.layer, default_seq_len, c.max_position_embeddings,
                                       for_tests);
  // --quant: the attention projections (the experts are 3-D parameters, not Linears), all hidden_size wide.
  e.quant_min_in_features = c.hidden_size;
  e.kv_width = 2 * c.num_key_value_heads * c.head_dim();
  e.estimate_bytes = [c](int64_t batch, int64_t seq, int64_t layers) {
    return mixtral_estimate_bytes(c, batch, seq, layers);
  };
  e.create = [c, default_seq_len, name](const ModelOptions& o) {
    MixtralConfig built = c;
    if (o.layers > 0) built.num_hidden_layers = o.layers;
    return create_mixtral(built, default_seq_len, o, name);
  };
  return e;
}

}  // namespace

MixtralConfig mixtral_8x7b_config() {
  return MixtralConfig{};  // the defaults are Mixtral-8x7B-v0.1's
}

MixtralConfig mixtral_tiny_config() {
  MixtralConfig c;
  c.vocab_size = 100;
  c.hidden_size = 32;
  c.intermediate_size = 48;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.max_position_embeddings = 64;
  c.num_local_experts = 4;
  c.num_experts_per_tok = 2;
  return c;
}

int64_t mixtral_parameter_count(const MixtralConfig& c) {
  const int64_t h = c.hidden_size, kv = c.num_key_value_heads * c.head_dim();
  const int64_t attention = h * h + 2 * h * kv + h * h;                       // q, k, v, o
  const int64_t router = c.num_local_experts * h;                             // gate.weight
  const int64_t experts = c.num_local_experts * 3 * h * c.intermediate_size;  // gate_up_proj, down_proj
  const int64_t layer = attention + router + experts + 2 * h;                 // two RMSNorm weights
  // embed_tokens + layers + norm + the untied lm_head.
  return c.vocab_size * h + c.num_hidden_layers * layer + h + h * c.vocab_size;
}

int64_t mixtral_estimate_bytes(const MixtralConfig& c, int64_t batch, int64_t seq, int64_t layers) {
  MixtralConfig built = c;
  built.num_hidden_layers = layers;
  const int64_t params = mixtral_parameter_count(built);
  // fp32 weights plus, generously, every activation a layer can hold at once:
  // hidden states, residuals and the RMSNorm's float32 copies, q/k/v and the
  // RoPE temporaries, three (batch, heads, seq, seq) attention tensors and the
  // float mask; for the experts, per routed (token, expert) pair the gathered
  // input and its masked copy, the gate/up output twice, the activation and
  // product, the down output, its weighted and reordered copies; the router's
  // logits and probabilities; the logits.
  const int64_t tokens = batch * seq;
  const int64_t routed = tokens * c.num_experts_per_tok;
  const int64_t kv = c.num_key_value_heads * c.head_dim();
  const int64_t per_layer = tokens * (6 * c.hidden_size + 4 * kv + 2 * c.num_local_experts) +
                            routed * (6 * c.hidden_size + 6 * c.intermediate_size) +
                            3 * batch * c.num_attention_heads * seq * seq + 2 * batch * seq * seq;
  const int64_t logits = tokens * c.vocab_size;
  return 4 * (params + 2 * (per_layer + logits));
}

std::unique_ptr<Model> create_mixtral(const MixtralConfig& config, int64_t default_seq_len,
                                      const ModelOptions& options, const std::string& name) {
  NGBENCH_CHECK(config.hidden_size % config.num_attention_heads == 0,
                "hidden_size must be a multiple of num_attention_heads");
  NGBENCH_CHECK(config.num_attention_heads % config.num_key_value_heads == 0,
                "num_attention_heads must be a multiple of num_key_value_heads");
  NGBENCH_CHECK(config.num_experts_per_tok >= 1 && config.num_experts_per_tok <= config.num_local_experts,
                "num_experts_per_tok must be in 1..num_local_experts");
  const Experts experts = parse_experts(config.experts_implementation);
  const at::ScalarType dtype = hf::parse_dtype(options.dtype);
  const at::Device device = hf::parse_device(options.device);
  const Attention attention = hf::parse_attention(options.attention, Attention::kSdpa);
  at::manual_seed(options.seed);
  const hf::MlpFactory<MixtralSparseMoeBlockImpl> moe = [&config, experts] {
    return std::make_shared<MixtralSparseMoeBlockImpl>(config, experts);
  };
  auto net = std::make_shared<MixtralForCausalLMImpl>(kNames, config, attention, moe, options.kv_cache);
  net->eval();
  hf::convert_module(*net, dtype, device);
  net->model->rotary_emb->keep_float32();
  hf::TokenInputs info{name, config.vocab_size, default_seq_len, config.max_position_embeddings, device};
  // --quant: the decoder layers' projections (net->model holds no other Linear; the LM head stays as built).
  auto counts = quant::quantize_decoder(*net->model, options);
  const hf::GenerateOptions generate{config.eos_token_id, options.gen_tokens + 1};
  auto model = std::make_unique<hf::GenerativeModel<MixtralForCausalLMImpl>>(std::move(net), std::move(info), generate);
  model->set_workload_counts(std::move(counts));
  return model;
}

std::vector<ModelEntry> mixtral_entries() {
  return {
      make_entry("mixtral-8x7b", "hf:mistralai/Mixtral-8x7B-v0.1",
                 "Mixtral 8x7B, sparse MoE decoder (8 experts, top-2)", mixtral_8x7b_config(),
                 2048, false),
      make_entry("mixtral-tiny", "hf:MixtralForCausalLM(tiny config)",
                 "Mixtral test config: 2 layers, hidden 32, 4 experts top-2, GQA", mixtral_tiny_config(), 16, true),
  };
}

}  // namespace ngbench::models
