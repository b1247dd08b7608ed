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
// with no padding mask and no offsets: a bool (batch, 1, q, kv) mask.
at::Tensor sdpa_causal_bool_mask(int64_t batch, int64_t q_length, int64_t kv_length,
                                 at::Device device) {
  const SdpaIndexGrid g = sdpa_index_grid(batch, q_length, kv_length, device);
  // causal_mask_function (reads only q_idx and kv_idx): kv_idx <= q_idx, then expanded to the full shape.
  return at::le(g.kv, g.q).expand({batch, -1, q_length, kv_length});
}

}  // namespace

SdpaIndexGrid sdpa_index_grid(int64_t batch, int64_t q_length, int64_t kv_length, at::Device device) {
  // torch.arange(n, device=device): dtype/layout None, pin_memory False.
  const auto opts = at::TensorOptions().device(device).pinned_memory(false);
  at::Tensor batch_arange = at::arange(batch, opts);
  at::Tensor head_arange = at::arange(1, opts);
  at::Tensor q_arange = at::add(at::arange(q_length, opts), py_number(int64_t{0}));
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
  // eager_mask: the bool mask turned into 0 / finfo.min of the embeddings' dtype.
  const at::ScalarType dtype = inputs_embeds.scalar_type();
  at::Tensor mask = sdpa_causal_bool_mask(batch, q_length, kv_length, inputs_embeds.device());
  at::Tensor zero = py_tensor(0.0, dtype, mask.device());
  return at::where(mask, zero, c10::Scalar(finfo_min(dtype)));
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
