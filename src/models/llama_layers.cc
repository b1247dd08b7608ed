// Llama-style decoder blocks after transformers 5.17 models/llama/modeling_llama.py
// and integrations/sdpa_attention.py; each forward names the Python it mirrors.
#include "models/llama_layers.h"

#include <ATen/ATen.h>

#include <cmath>
#include <optional>
#include <vector>

#include "models/module_scope.h"
#include "models/rope.h"

namespace ngbench::models::hf {

RMSNormImpl::RMSNormImpl(const char* scope, int64_t hidden_size, double eps)
    : variance_epsilon(eps), scope_(scope) {
  weight = register_parameter("weight", at::ones({hidden_size}), /*requires_grad=*/false);
}

at::Tensor RMSNormImpl::forward(const at::Tensor& input) {
  ModuleScope scope(scope_, {input});
  const at::ScalarType input_dtype = input.scalar_type();
  at::Tensor hidden_states = input.to(at::kFloat);  // hidden_states.to(torch.float32)
  // variance = hidden_states.pow(2).mean(-1, keepdim=True)
  at::Tensor variance = at::pow(hidden_states, c10::Scalar(int64_t{2})).mean({-1}, /*keepdim=*/true);
  // hidden_states * torch.rsqrt(variance + self.variance_epsilon)
  at::Tensor r = at::rsqrt(at::add(variance, py_number(variance_epsilon)));
  hidden_states = at::mul(hidden_states, r);
  // self.weight * hidden_states.to(input_dtype)
  at::Tensor cast = hidden_states.to(input_dtype);
  return at::mul(weight, cast);
}

at::Tensor SiLUActivationImpl::forward(const at::Tensor& input) {
  ModuleScope scope("SiLUActivation", {input});
  return at::silu(input);
}

at::Tensor repeat_kv(const at::Tensor& hidden_states, int64_t n_rep) {
  if (n_rep == 1) return hidden_states;
  const int64_t batch = hidden_states.size(0), kv = hidden_states.size(1);
  const int64_t slen = hidden_states.size(2), head_dim = hidden_states.size(3);
  // hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
  at::Tensor h = hidden_states.unsqueeze(2).expand({batch, kv, n_rep, slen, head_dim});
  return h.reshape({batch, kv * n_rep, slen, head_dim});
}

DecoderAttentionImpl::DecoderAttentionImpl(const char* scope, const AttentionShape& s, Attention attention,
                                           int64_t layer_idx)
    : scope_(scope), attention_(attention), layer_idx_(layer_idx), head_dim_(s.head_dim),
      num_key_value_groups_(s.num_heads / s.num_kv_heads),
      scaling_(std::pow(static_cast<double>(s.head_dim), -0.5)) {
  q_proj = register_module("q_proj", std::make_shared<LinearImpl>(s.hidden_size, s.num_heads * s.head_dim, false));
  k_proj = register_module("k_proj", std::make_shared<LinearImpl>(s.hidden_size, s.num_kv_heads * s.head_dim, false));
  v_proj = register_module("v_proj", std::make_shared<LinearImpl>(s.hidden_size, s.num_kv_heads * s.head_dim, false));
  o_proj = register_module("o_proj", std::make_shared<LinearImpl>(s.num_heads * s.head_dim, s.hidden_size, false));
}

at::Tensor DecoderAttentionImpl::forward(const at::Tensor& hidden_states, const at::Tensor& cos,
                                         const at::Tensor& sin, const at::Tensor& attention_mask, KvCache* cache) {
  ModuleScope scope(scope_);
  // input_shape = hidden_states.shape[:-1]; hidden_shape = (*input_shape, -1, self.head_dim)
  std::vector<int64_t> input_shape(hidden_states.sizes().begin(), hidden_states.sizes().end() - 1);
  std::vector<int64_t> hidden_shape = input_shape;
  hidden_shape.push_back(-1);
  hidden_shape.push_back(head_dim_);
  at::Tensor query = q_proj->forward(hidden_states).view(hidden_shape).transpose(1, 2);
  at::Tensor key = k_proj->forward(hidden_states).view(hidden_shape).transpose(1, 2);
  at::Tensor value = v_proj->forward(hidden_states).view(hidden_shape).transpose(1, 2);
  std::tie(query, key) = apply_rotary_pos_emb(query, key, cos, sin);
  // past_key_values.update(key_states, value_states, self.layer_idx) when there is a cache.
  if (cache != nullptr) std::tie(key, value) = cache->update(layer_idx_, key, value);
  at::Tensor out = attention_ == Attention::kEager ? eager_attention_forward(query, key, value, attention_mask)
                                                   : sdpa_attention_forward(query, key, value, attention_mask);
  // attn_output.reshape(*input_shape, -1).contiguous()
  input_shape.push_back(-1);
  out = out.reshape(input_shape).contiguous();
  return o_proj->forward(out);
}

at::Tensor DecoderAttentionImpl::eager_attention_forward(const at::Tensor& query, const at::Tensor& key,
                                                         const at::Tensor& value, const at::Tensor& attention_mask) {
  at::Tensor key_states = repeat_kv(key, num_key_value_groups_);
  at::Tensor value_states = repeat_kv(value, num_key_value_groups_);
  // torch.matmul(query, key_states.transpose(2, 3)) * scaling
  at::Tensor w = at::mul(at::matmul(query, key_states.transpose(2, 3)), py_number(scaling_));
  if (attention_mask.defined()) w = at::add(w, attention_mask);
  // nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
  w = at::softmax(w, -1, at::kFloat).to(query.scalar_type());
  // nn.functional.dropout(attn_weights, p=dropout, training=module.training); dropout is 0.0 in eval
  w = at::dropout(w, 0.0, is_training());
  return at::matmul(w, value_states).transpose(1, 2).contiguous();
}

at::Tensor DecoderAttentionImpl::sdpa_attention_forward(const at::Tensor& query, const at::Tensor& key_in,
                                                        const at::Tensor& value_in,
                                                        const at::Tensor& attention_mask) {
  at::Tensor key = key_in, value = value_in;
  bool enable_gqa = false;
  if (num_key_value_groups_ > 1) {
    // use_gqa_in_sdpa (not XPU): attention_mask is None and key.shape[-1] == value.shape[-1] <= 256
    const bool use_gqa = !attention_mask.defined() && key.size(-1) == value.size(-1) && value.size(-1) <= 256;
    if (use_gqa) {
      enable_gqa = true;
    } else {
      key = repeat_kv(key, num_key_value_groups_);
      value = repeat_kv(value, num_key_value_groups_);
    }
  }
  // is_causal = q_length > 1 and attention_mask is None and module.is_causal (True).
  const bool is_causal = query.size(2) > 1 && !attention_mask.defined();
  std::optional<at::Tensor> mask;
  if (attention_mask.defined()) mask = attention_mask;
  at::Tensor out = at::scaled_dot_product_attention(query, key, value, mask, /*dropout_p=*/0.0, is_causal, scaling_,
                                                    enable_gqa);
  return out.transpose(1, 2).contiguous();
}

}  // namespace ngbench::models::hf
