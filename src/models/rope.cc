// Rotary position embeddings after transformers 5.17 modeling_rope_utils.py and
// models/llama/modeling_llama.py; each function names the Python it mirrors.
#include "models/rope.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/error.h"
#include "models/hf_layers.h"
#include "models/module_scope.h"

namespace ngbench::models::hf {

namespace {

constexpr double kPi = 3.141592653589793;  // math.pi

// 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float) / dim)), float32. (The llama3
// variant builds the arange in int64 and casts it to float: the same values.)
at::Tensor default_inv_freq(double base, int64_t dim) {
  at::Tensor exponent = at::div(at::arange(0, dim, 2, at::TensorOptions(at::kFloat)), py_number(dim));
  // `1.0 / t` is Tensor.__rtruediv__: reciprocal(t) * 1.0.
  return at::reciprocal(at::pow(c10::Scalar(base), exponent));
}

// modeling_rope_utils._compute_llama3_parameters (partial_rotary_factor 1).
at::Tensor llama3_inv_freq(const RopeParameters& r, int64_t dim) {
  const at::Tensor inv_freq = default_inv_freq(r.rope_theta, dim);
  const double old_context_len = static_cast<double>(r.original_max_position_embeddings);
  const double low_freq_wavelen = old_context_len / r.low_freq_factor;
  const double high_freq_wavelen = old_context_len / r.high_freq_factor;
  // wavelen = 2 * math.pi / inv_freq
  const at::Tensor wavelen = at::mul(at::reciprocal(inv_freq), py_number(2 * kPi));
  // wavelen > low_freq_wavelen: divide by factor
  at::Tensor inv_freq_llama =
      at::where(at::gt(wavelen, low_freq_wavelen), at::div(inv_freq, py_number(r.factor)), inv_freq);
  // smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
  at::Tensor smooth = at::mul(at::reciprocal(wavelen), py_number(old_context_len));
  smooth = at::div(at::sub(smooth, py_number(r.low_freq_factor)), py_number(r.high_freq_factor - r.low_freq_factor));
  // smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
  at::Tensor left = at::div(at::mul(at::rsub(smooth, py_number(1.0)), inv_freq_llama), py_number(r.factor));
  at::Tensor smoothed = at::add(left, at::mul(smooth, inv_freq_llama));
  // is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
  at::Tensor is_medium =
      at::mul(at::bitwise_not(at::lt(wavelen, high_freq_wavelen)), at::bitwise_not(at::gt(wavelen, low_freq_wavelen)));
  return at::where(is_medium, smoothed, inv_freq_llama);
}

// rotate_half(x): torch.cat((-x2, x1), dim=-1) with x1, x2 the halves of the last dim.
at::Tensor rotate_half(const at::Tensor& x) {
  const int64_t last = x.dim() - 1;
  const int64_t half = x.size(-1) / 2;
  at::Tensor x1 = x.slice(last, 0, half);                                  // x[..., : x.shape[-1] // 2]
  at::Tensor x2 = x.slice(last, half, std::numeric_limits<int64_t>::max());  // x[..., x.shape[-1] // 2 :]
  at::Tensor neg = at::neg(x2);
  return at::cat({neg, x1}, -1);
}

// (x * cos) + (rotate_half(x) * sin), the operands in Python's evaluation order.
at::Tensor rotate(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  at::Tensor a = at::mul(x, cos);
  at::Tensor b = at::mul(rotate_half(x), sin);
  return at::add(a, b);
}

}  // namespace

std::pair<at::Tensor, double> rope_init(const RopeParameters& rope, int64_t head_dim) {
  // attention_factor is 1.0 ("unused in this type of RoPE") for both.
  if (rope.rope_type == "default") return {default_inv_freq(rope.rope_theta, head_dim), 1.0};
  if (rope.rope_type == "llama3") return {llama3_inv_freq(rope, head_dim), 1.0};
  throw Error("rope_type '" + rope.rope_type + "' is not reproduced; valid: default, llama3");
}

RotaryEmbeddingImpl::RotaryEmbeddingImpl(const char* scope, const RopeParameters& rope, int64_t head_dim)
    : scope_(scope) {
  auto [freq, scaling] = rope_init(rope, head_dim);
  attention_scaling = scaling;
  inv_freq = register_buffer("inv_freq", freq);
  original_inv_freq = register_buffer("original_inv_freq", freq.clone());
}

void RotaryEmbeddingImpl::keep_float32() {
  for (at::Tensor* t : {&inv_freq, &original_inv_freq}) {
    if (t->scalar_type() != at::kFloat) t->set_data(t->to(at::kFloat));
  }
}

std::pair<at::Tensor, at::Tensor> RotaryEmbeddingImpl::forward(const at::Tensor& x, const at::Tensor& position_ids) {
  ModuleScope scope(scope_, {x, position_ids});
  // self.inv_freq[None, :, None].expand(position_ids.shape[0], -1, 1).to(dtype=torch.float, device=x.device)
  at::Tensor inv_freq_expanded = inv_freq.unsqueeze(0).unsqueeze(2).expand({position_ids.size(0), -1, 1});
  inv_freq_expanded = inv_freq_expanded.to(x.device(), at::kFloat, /*non_blocking=*/false, /*copy=*/false,
                                           std::nullopt);
  // position_ids[:, None, :].float()
  at::Tensor position_ids_expanded = position_ids.unsqueeze(1).to(at::kFloat);
  // Autocast is disabled here in HF (a no-op on CPU without autocast): no ops.
  at::Tensor freqs = at::matmul(inv_freq_expanded, position_ids_expanded).transpose(1, 2);
  at::Tensor emb = at::cat({freqs, freqs}, -1);
  at::Tensor cos = at::mul(emb.cos(), py_number(attention_scaling));
  at::Tensor sin = at::mul(emb.sin(), py_number(attention_scaling));
  at::Tensor cos_out = cos.to(x.scalar_type());
  at::Tensor sin_out = sin.to(x.scalar_type());
  return {cos_out, sin_out};
}

std::pair<at::Tensor, at::Tensor> apply_rotary_pos_emb(const at::Tensor& q, const at::Tensor& k,
                                                       const at::Tensor& cos_in, const at::Tensor& sin_in) {
  at::Tensor cos = cos_in.unsqueeze(1);  // unsqueeze_dim=1
  at::Tensor sin = sin_in.unsqueeze(1);
  at::Tensor q_embed = rotate(q, cos, sin);
  at::Tensor k_embed = rotate(k, cos, sin);
  return {q_embed, k_embed};
}

}  // namespace ngbench::models::hf
