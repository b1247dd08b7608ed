#pragma once
// The KV cache of transformers 5.17's text decoders: DynamicCache, one
// DynamicLayer per decoder layer (cache_utils.py), reproduced operator for
// operator. A layer is initialized lazily by its first update
// (torch.tensor([]) for keys and values), and every update concatenates the
// new states along the sequence dimension (-2): two aten::cat per layer and
// forward, as HF's default `use_cache=True` forward and every generate step
// issue them.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace ngbench::models::hf {

class KvCache {
 public:
  explicit KvCache(int64_t layers) : keys_(static_cast<size_t>(layers)), values_(static_cast<size_t>(layers)) {}

  // DynamicLayer.update(key_states, value_states): (batch, kv_heads, q, head_dim) states appended; returns
  // the layer's keys and values, (batch, kv_heads, cached + q, head_dim).
  std::pair<at::Tensor, at::Tensor> update(int64_t layer, const at::Tensor& key_states,
                                           const at::Tensor& value_states);

  // DynamicCache.get_seq_length() (of layer 0): tokens cached; 0 before the first update. Issues no op.
  int64_t seq_length() const;

  // Bytes the cached keys and values hold.
  int64_t bytes() const;

 private:
  std::vector<at::Tensor> keys_, values_;  // undefined: the layer is not initialized
};

}  // namespace ngbench::models::hf
