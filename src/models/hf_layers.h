#pragma once
// Building blocks shared by the Hugging Face model families (GPT-2, BERT): the
// torch.nn leaf modules HF uses, and the Python idioms whose aten ops must be
// reproduced exactly.
//
// Contract: each forward() here issues the same outermost aten ops, with the
// same input kinds, as the PyTorch module or Python expression it mirrors, and
// opens a ModuleScope named as the torch.nn class ("Linear", "LayerNorm", ...),
// recording the module's input so the observer sees its shape.
//
// Weights are drawn at construction from torch's global generator (the caller
// seeds it), HF-like: weights ~ N(0, kInitStd), biases 0, LayerNorm weight 1,
// an Embedding's padding row 0. Values do not affect latency.
#include <ATen/core/Tensor.h>
#include <c10/core/Scalar.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace ngbench::models::quant {
class QuantizedLinear;
}

namespace ngbench::models::hf {

inline constexpr double kInitStd = 0.02;  // HF's initializer_range default

// A Python number passed where an op takes a Tensor (`0.5 * x`, `x + 0`): the
// Python arg parser turns it into a 0-d "wrapped number" tensor (float64 for a
// float, int64 for an int) without dispatching, so the op runs its Tensor
// overload. Calling the Scalar overload from C++ instead would add a nested op.
at::Tensor py_number(double v);
at::Tensor py_number(int64_t v);

// Python's indexing `t[:, start:stop]` (one slice, step 1; the full slices ":"
// issue nothing): aten::slice, or, when the slice keeps the whole dim so the
// result would be t itself, aten::alias, as torch's indexing does then.
at::Tensor py_slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop);

// Tensor.to(device): the tensor's own options with the device replaced, which
// Python's binding dispatches as aten::to.dtype_layout.
at::Tensor py_to_device(const at::Tensor& t, at::Device device);

// torch.tensor(value, device=..., dtype=...) for a Python float: empty, to,
// lift_fresh, detach_, as torch's tensor constructor issues them.
at::Tensor py_tensor(double value, at::ScalarType dtype, at::Device device);
// torch.tensor([], dtype=..., device=...): the same ops for an empty 1-d tensor.
at::Tensor py_empty_tensor(at::ScalarType dtype, at::Device device);

// torch.nn.Linear: aten::linear. A null bias mirrors bias=False.
class LinearImpl : public torch::nn::Module {
 public:
  LinearImpl(int64_t in_features, int64_t out_features, bool bias = true);
  // A Linear whose weight is another module's (HF's tied lm_head).
  explicit LinearImpl(at::Tensor tied_weight);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  // Set by --quant (models/quant.h): forward() runs it instead, in the scheme's own module scope.
  std::shared_ptr<quant::QuantizedLinear> quantized;
};

// torch.nn.Embedding: aten::embedding.
class EmbeddingImpl : public torch::nn::Module {
 public:
  EmbeddingImpl(int64_t num_embeddings, int64_t dim, int64_t padding_idx = -1);
  at::Tensor forward(const at::Tensor& ids);

  at::Tensor weight;
  int64_t padding_idx;
};

// torch.nn.LayerNorm over the last dim: aten::layer_norm.
class LayerNormImpl : public torch::nn::Module {
 public:
  LayerNormImpl(int64_t dim, double eps);
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias;
  double eps;
};

// torch.nn.Dropout: aten::dropout, also in eval mode (train=false), as HF issues it.
class DropoutImpl : public torch::nn::Module {
 public:
  explicit DropoutImpl(double p) : p(p) {}
  at::Tensor forward(const at::Tensor& x);

  double p;
};

}  // namespace ngbench::models::hf
