#include "models/hf_functional.h"

#include <ATen/ATen.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <limits>
#include <optional>

#include "core/error.h"
#include "models/hf_layers.h"

namespace ngbench::models::hf {

namespace {

// torch.finfo(dtype).min, as the Python float HF passes on.
double finfo_min(at::ScalarType dtype) {
  switch (dtype) {
    case at::kFloat: return static_cast<double>(std::numeric_limits<float>::lowest());
    case at::kDouble: return std::numeric_limits<double>::lowest();
    case at::kHalf: return static_cast<double>(std::numeric_limits<c10::Half>::lowest());
    case at::kBFloat16: return static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest());
    default: NGBENCH_CHECK(false, "finfo_min: not a floating dtype");
  }
  return 0.0;
}

// find_packed_sequence_indices(position_ids) plus the check its caller makes:
// true when every row holds a single sequence (HF then returns None).
bool single_sequence_per_row(const at::Tensor& position_ids) {
  // first_dummy_value = position_ids[:, :1] - 1
  at::Tensor first_dummy = at::sub(py_slice(position_ids, 1, 0, 1), py_number(int64_t{1}));
  // position_diff = torch.diff(position_ids, prepend=first_dummy_value, dim=-1)
  at::Tensor diff = at::diff(position_ids, 1, -1, first_dummy, std::nullopt);
  // packed_sequence_mask = (position_diff != 1).cumsum(-1)
  at::Tensor packed = at::ne(diff, c10::Scalar(int64_t{1})).cumsum(-1);
  // (packed_sequence_mask[:, -1] == 0).all(), then Python's bool(): aten::is_nonzero
  return at::eq(packed.select(1, -1), c10::Scalar(int64_t{0})).all().is_nonzero();
}

// sdpa_mask(..., mask_function=causal_mask_function, allow_is_causal_skip=False)
// with no padding mask: a bool (batch, 1, q, kv) mask, queries from q_offset (the cached tokens).
at::Tensor sdpa_causal_bool_mask(int64_t batch, int64_t q_length, int64_t kv_length, at::Device device,
                                 int64_t q_offset = 0) {
  const SdpaIndexGrid g = sdpa_index_grid(batch, q_length, kv_length, device, q_offset);
  // causal_mask_function (reads only q_idx and kv_idx): kv_idx <= q_idx, then expanded to the full shape.
  return at::le(g.kv, g.q).expand({batch, -1, q_length, kv_length});
}

// eager_mask: the bool mask turned into 0 / finfo.min of `dtype`:
// torch.where(mask, torch.tensor(0.0, device=mask.device, dtype=dtype), min_dtype).
at::Tensor eager_float_mask(const at::Tensor& mask, at::ScalarType dtype) {
  at::Tensor zero = py_tensor(0.0, dtype, mask.device());
  return at::where(mask, zero, c10::Scalar(finfo_min(dtype)));
}

}  // namespace

SdpaIndexGrid sdpa_index_grid(int64_t batch, int64_t q_length, int64_t kv_length, at::Device device,
                              int64_t q_offset) {
  // torch.arange(n, device=device): dtype/layout None, pin_memory False.
  const auto opts = at::TensorOptions().device(device).pinned_memory(false);
  at::Tensor batch_arange = at::arange(batch, opts);
  at::Tensor head_arange = at::arange(1, opts);
  at::Tensor q_arange = at::add(at::arange(q_length, opts), py_number(q_offset));
  at::Tensor kv_arange = at::add(at::arange(kv_length, opts), py_number(int64_t{0}));
  return {batch_arange.unsqueeze(1).unsqueeze(2).unsqueeze(3), head_arange.unsqueeze(0).unsqueeze(2).unsqueeze(3),
          q_arange.unsqueeze(0).unsqueeze(1).unsqueeze(3), kv_arange.unsqueeze(0).unsqueeze(1).unsqueeze(2)};
}

at::Tensor create_causal_mask(Attention attention, const at::Tensor& inputs_embeds,
                              const at::Tensor& position_ids) {
  // _preprocess_mask_arguments: no cache and no 2D mask, so q_offset = kv_offset = 0,
  // kv_length = q_length, and position_ids are checked for packed sequences.
  const int64_t batch = inputs_embeds.size(0);
  const int64_t q_length = inputs_embeds.size(1);
  const int64_t kv_length = q_length;
  at::Tensor pos = position_ids;
  if (batch != pos.size(0)) pos = pos.expand({batch, -1});
  // ngbench's position ids are an arange, never packed; HF still checks.
  NGBENCH_CHECK(single_sequence_per_row(pos), "packed sequences are not reproduced");

  if (attention == Attention::kSdpa) {
    // sdpa_mask: _ignore_causal_mask_sdpa holds (kv_length == q_length, no
    // padding mask), so no mask is built and SDPA's is_causal does the masking.
    return at::Tensor();
  }
  return eager_float_mask(sdpa_causal_bool_mask(batch, q_length, kv_length, inputs_embeds.device()),
                          inputs_embeds.scalar_type());
}

at::Tensor create_causal_mask_cached(Attention attention, const at::Tensor& inputs_embeds,
                                     const at::Tensor& attention_mask, int64_t cached) {
  // _preprocess_mask_arguments: attention_mask.to(device=inputs_embeds.device, dtype=torch.bool) for a 2D mask;
  // q_offset = past_key_values.get_query_offset(), kv_length = past_key_values.get_mask_sizes(): cached + q.
  at::Tensor padding;
  if (attention_mask.defined()) {
    padding = attention_mask.to(inputs_embeds.device(), at::kBool, /*non_blocking=*/false, /*copy=*/false);
  }
  const int64_t batch = inputs_embeds.size(0);
  const int64_t q_length = inputs_embeds.size(1);
  const int64_t kv_length = cached + q_length;
  // prepare_padding_mask: the 2D mask already spans kv_length (generate extends it every step), no pad.
  NGBENCH_CHECK(!padding.defined() || padding.size(-1) == kv_length, "the attention mask must span the cache");
  if (attention == Attention::kSdpa) {
    // _ignore_causal_mask_sdpa: (q_length == 1 or kv_length == q_length) and (padding_mask is None or
    // fast_all(padding_mask)), fast_all being tensor.sum() == tensor.numel() taken as a Python bool.
    const bool shape_allows = q_length == 1 || kv_length == q_length;
    if (shape_allows && (!padding.defined() || at::eq(padding.sum(), c10::Scalar(padding.numel())).is_nonzero())) {
      return at::Tensor();
    }
    NGBENCH_CHECK(false, "a padded or chunked sdpa mask is not reproduced");
  }
  // eager_mask -> sdpa_mask(allow_is_causal_skip=False); with a padding mask, and_masks(causal, padding):
  // result = q_idx.new_ones((), dtype=bool); result = result & mask(...).to(result.device), per mask function.
  const at::ScalarType dtype = inputs_embeds.scalar_type();
  if (!padding.defined()) {
    return eager_float_mask(sdpa_causal_bool_mask(batch, q_length, kv_length, inputs_embeds.device(), cached), dtype);
  }
  const SdpaIndexGrid g = sdpa_index_grid(batch, q_length, kv_length, inputs_embeds.device(), cached);
  at::Tensor result = g.q.new_ones({}, at::TensorOptions().dtype(at::kBool).pinned_memory(false));
  result = at::__and__(result, py_to_device(at::le(g.kv, g.q), result.device()));
  // padding_mask_function: padding_mask[batch_idx, kv_idx]
  c10::List<std::optional<at::Tensor>> indices;
  indices.push_back(g.batch);
  indices.push_back(g.kv);
  at::Tensor padded = at::index(padding, indices);
  at::Tensor mask = at::__and__(result, py_to_device(padded, result.device()));
  return eager_float_mask(mask.expand({batch, -1, q_length, kv_length}), dtype);
}

at::Tensor sdpa_attention_forward(const at::Tensor& query, const at::Tensor& key,
                                  const at::Tensor& value, const at::Tensor& attention_mask,
                                  double scaling, bool module_is_causal) {
  const int64_t q_length = query.size(2);
  const bool is_causal = q_length > 1 && !attention_mask.defined() && module_is_causal;
  // Without a cache kv_length == q_length, so HF's key/value crop never applies.
  std::optional<at::Tensor> mask;
  if (attention_mask.defined()) mask = attention_mask;
  at::Tensor out = at::scaled_dot_product_attention(query, key, value, mask, /*dropout_p=*/0.0,
                                                    is_causal, scaling, /*enable_gqa=*/false);
  return out.transpose(1, 2).contiguous();
}

}  // namespace ngbench::models::hf
