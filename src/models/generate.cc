// Each block names the lines of transformers 5.17 generation/utils.py (and
// stopping_criteria.py) it mirrors; the order of aten ops is the contract.
#include "models/generate.h"

#include <ATen/ATen.h>

#include "models/hf_layers.h"

namespace ngbench::models::hf {

void GreedyGenerator::start(const at::Tensor& context_ids, const Forward& forward) {
  const auto long_opts = at::TensorOptions().dtype(at::kLong).device(context_ids.device());
  input_ids_ = context_ids;
  attention_mask_ = at::ones_like(context_ids);
  // _prepare_position_ids_for_generation: attention_mask.long().cumsum(-1) - 1, masked_fill(mask == 0, 0)
  position_ids_ = at::sub(attention_mask_.to(at::kLong).cumsum(-1), 1);
  position_ids_ = position_ids_.masked_fill(at::eq(attention_mask_, 0), 0);
  max_length_ = context_ids.size(1) + options_.max_new_tokens;
  // _sample: unfinished_sequences = torch.ones(batch_size, dtype=torch.long); the pad id (eos when unset)
  unfinished_ = at::ones({context_ids.size(0)}, long_opts);
  if (options_.eos_token_id >= 0) {
    pad_token_ = at::scalar_tensor(options_.eos_token_id, long_opts);
    eos_tokens_ = at::tensor({options_.eos_token_id}, long_opts);
  }
  // _prefill: the whole context (prepare_inputs_for_generation with next_sequence_length=None).
  const at::Tensor logits = forward(input_ids_.clone(at::MemoryFormat::Contiguous), position_ids_, attention_mask_);
  next_token(logits);
}

void GreedyGenerator::step(const Forward& forward) {
  // prepare_inputs_for_generation(next_sequence_length=1):
  // input_ids[:, -1:].clone(memory_format=torch.contiguous_format)
  at::Tensor ids = py_slice(input_ids_, 1, -1, INT64_MAX).clone(at::MemoryFormat::Contiguous);
  // position_ids[..., -sequence_length:].clone(memory_format=torch.contiguous_format)
  at::Tensor positions = py_slice(position_ids_, -1, -1, INT64_MAX).clone(at::MemoryFormat::Contiguous);
  next_token(forward(ids, positions, attention_mask_));
}

void GreedyGenerator::next_token(const at::Tensor& logits) {
  const auto device = input_ids_.device();
  // _update_model_kwargs_for_generation (num_new_tokens=1): position ids, then the attention mask.
  // torch.arange(1, dtype=position_ids.dtype).view(1, -1) + position_ids[..., -1:] + 1
  const auto arange_opts =
      at::TensorOptions().dtype(position_ids_.scalar_type()).device(device).pinned_memory(false);
  at::Tensor next_positions = at::arange(1, arange_opts).view({1, -1});
  next_positions = at::add(at::add(next_positions, py_slice(position_ids_, -1, -1, INT64_MAX)), py_number(int64_t{1}));
  position_ids_ = at::cat({position_ids_, next_positions}, -1);
  // torch.cat([attention_mask, attention_mask.new_ones((batch, 1))], dim=-1)
  at::Tensor ones = attention_mask_.new_ones({attention_mask_.size(0), 1}, at::TensorOptions().pinned_memory(false));
  attention_mask_ = at::cat({attention_mask_, ones}, -1);
  // next_token_logits = outputs.logits[:, -1].to(copy=True, dtype=torch.float32, device=input_ids.device)
  at::Tensor scores = logits.select(1, -1).to(device, at::kFloat, /*non_blocking=*/false, /*copy=*/true);
  // greedy: no logits processor; next_tokens = torch.argmax(next_token_scores, dim=-1)
  at::Tensor next_tokens = at::argmax(scores, -1);
  if (pad_token_.defined()) {
    // next_tokens * unfinished_sequences + pad_token_id * (1 - unfinished_sequences)
    // (each operand a statement of its own: C++ leaves the order of argument evaluation open)
    const at::Tensor kept = at::mul(next_tokens, unfinished_);
    const at::Tensor padded = at::mul(pad_token_, at::rsub(unfinished_, c10::Scalar(int64_t{1})));
    next_tokens = at::add(kept, padded);
  }
  // input_ids = torch.cat([input_ids, next_tokens[:, None]], dim=-1)
  input_ids_ = at::cat({input_ids_, next_tokens.unsqueeze(1)}, -1);
  // StoppingCriteriaList: is_done = full(False) | MaxLengthCriteria | EosTokenCriteria
  const auto bool_opts = at::TensorOptions().dtype(at::kBool).device(device).pinned_memory(false);
  const int64_t batch = input_ids_.size(0);
  at::Tensor is_done = at::full({batch}, false, bool_opts);
  is_done = at::__or__(is_done, at::full({batch}, input_ids_.size(1) >= max_length_, bool_opts));
  if (eos_tokens_.defined()) {
    // torch.isin(input_ids[:, -new_token_length:], self.eos_token_id.to(device)).any(dim=-1)
    at::Tensor eos = py_to_device(eos_tokens_, device);
    is_done = at::__or__(is_done, at::isin(py_slice(input_ids_, 1, -1, INT64_MAX), eos).any(-1));
  }
  // unfinished_sequences = unfinished_sequences & ~stopping_criteria(...)
  unfinished_ = at::__and__(unfinished_, at::bitwise_not(is_done));
  // StopCheck: bool(unfinished_sequences.max() == 0)
  (void)at::eq(unfinished_.max(), 0).is_nonzero();
}

}  // namespace ngbench::models::hf
