#include "models/kv_cache.h"

#include <ATen/ATen.h>

#include "models/hf_layers.h"

namespace ngbench::models::hf {

std::pair<at::Tensor, at::Tensor> KvCache::update(int64_t layer, const at::Tensor& key_states,
                                                  const at::Tensor& value_states) {
  at::Tensor& keys = keys_.at(static_cast<size_t>(layer));
  at::Tensor& values = values_.at(static_cast<size_t>(layer));
  if (!keys.defined()) {
    // lazy_initialization: torch.tensor([], dtype=key_states.dtype, device=key_states.device), twice.
    keys = py_empty_tensor(key_states.scalar_type(), key_states.device());
    values = py_empty_tensor(key_states.scalar_type(), key_states.device());
  }
  // self.keys = torch.cat([self.keys, key_states], dim=-2) (an empty 1-d tensor is skipped by cat)
  keys = at::cat({keys, key_states}, -2);
  values = at::cat({values, value_states}, -2);
  return {keys, values};
}

int64_t KvCache::seq_length() const {
  const at::Tensor& keys = keys_.front();
  if (!keys.defined() || keys.numel() == 0) return 0;
  return keys.size(-2);
}

int64_t KvCache::bytes() const {
  int64_t n = 0;
  for (const auto* side : {&keys_, &values_}) {
    for (const auto& t : *side) n += t.defined() ? static_cast<int64_t>(t.nbytes()) : 0;
  }
  return n;
}

}  // namespace ngbench::models::hf
