#pragma once
// Quantized linear projections for --quant (docs/quantization.md), built from
// libtorch ops. Each scheme issues the steps of the library it follows, op for
// op where libtorch has the op, and opens a ModuleScope named as that
// library's module class and dispatcher ops ("Linear8bitLt",
// "bitsandbytes::int8_vectorwise_quant", "torchao::quantize_affine", ...), so a
// trace has the library's structure and the taxonomy's Quantization rules can
// name the quantize / dequantize steps (taxonomy/eager.json).
//
// The primitives below are exposed for tests/models/quant_test.cc, which checks
// them against plain references. Weights are quantized once, when the model is
// built; activations on every forward.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/quant_scheme.h"
#include "models/registry.h"

namespace ngbench::models::quant {

// ---- LLM.int8(): bitsandbytes' dispatcher ops (backends/default/ops.py, the composite every device
// ---- has; bitsandbytes' CUDA backend fuses the row quantization into one kernel, see the docs)

// --int8-outliers N: the columns that stand for the outlier features instead of those the threshold finds.
struct FixedOutliers {
  at::Tensor cols;      // int64 [N], ascending
  at::Tensor col_mask;  // bool [K]: true at `cols`
};

// N columns of K drawn from `seed`, the same for every call with the same arguments; on `device`.
FixedOutliers fixed_outliers(int64_t columns, int64_t k, uint64_t seed, const at::Device& device);

struct VectorwiseQuant {
  at::Tensor q;             // int8, A's shape; outlier columns zero
  at::Tensor row_stats;     // float32 [rows]: absmax of each row, outlier elements excluded
  at::Tensor outlier_cols;  // int64 [n]; undefined when threshold is 0
};

// bitsandbytes::int8_vectorwise_quant(A, threshold): A 2-D, float16 as bitsandbytes casts it. With
// threshold > 0 the elements with |a| >= threshold mark their columns as outliers (a host sync, as in
// bitsandbytes); they are left out of the row absmax, and the columns are zero in `q`. `fixed` (optional)
// replaces the detected columns (the detection still runs on the data) and restricts the excluded
// elements to its columns. A is modified and restored in place, as bitsandbytes does. A zero row
// quantizes to zeros (its absmax is floored at 1e-12 first: bitsandbytes would divide by zero).
VectorwiseQuant int8_vectorwise_quant(const at::Tensor& A, double threshold, const FixedOutliers* fixed = nullptr);

// bitsandbytes::int8_vectorwise_dequant: A * stats[:, None] / 127, float32.
at::Tensor int8_vectorwise_dequant(const at::Tensor& A, const at::Tensor& stats);

// bitsandbytes::int8_linear_matmul: A (rows, K) int8 x B (N, K) int8 -> int32 (rows, N), aten::_int_mm.
at::Tensor int8_linear_matmul(const at::Tensor& A, const at::Tensor& B);

// bitsandbytes::int8_mm_dequant: A int32 * row_stats[:, None] * col_stats[None, :] / 127^2 (+ bias), in `dtype`.
at::Tensor int8_mm_dequant(const at::Tensor& A, const at::Tensor& row_stats, const at::Tensor& col_stats,
                           at::ScalarType dtype, const at::Tensor& bias);

// bitsandbytes::int8_scaled_mm: int8_linear_matmul then int8_mm_dequant.
at::Tensor int8_scaled_mm(const at::Tensor& CA, const at::Tensor& CB, const at::Tensor& SCA, const at::Tensor& SCB,
                          const at::Tensor& bias, at::ScalarType dtype);

// bitsandbytes::int8_mixed_scaled_mm: int8_scaled_mm of the quantized parts plus, when there are outlier
// columns, A[:, cols] @ dequant(CB[:, cols]).t() in A's dtype (an addmm). A is the unquantized input.
at::Tensor int8_mixed_scaled_mm(const at::Tensor& A, const at::Tensor& CA, const at::Tensor& CB, const at::Tensor& SCA,
                                const at::Tensor& SCB, const at::Tensor& outlier_cols, const at::Tensor& bias);

// ---- torchao (quantization/quant_primitives.py, quantize_/workflows/{int8,float8})

struct AffineQuant {
  at::Tensor qdata;       // int8, x's shape
  at::Tensor scale;       // float32, x's shape with the last dim 1
  at::Tensor zero_point;  // int8, as scale (zeros: symmetric)
};

// torchao::choose_qparams_affine + torchao::quantize_affine, symmetric int8 [-128, 127] with one scale per
// row of the last dim: scale = max(|min|, |max|) / 127.5 (at least float32 eps), q = clamp(round(x / scale)).
AffineQuant int8_symmetric_per_row(const at::Tensor& x);

struct Float8Quant {
  at::Tensor qdata;  // float8_e4m3fn, x's shape
  at::Tensor scale;  // float32, x's shape with the last dim 1
};

// torchao::choose_scale_float8 + _quantize_affine_float8, one scale per row: scale = absmax / 448 (absmax
// floored at 1e-12: torchao would divide by zero on a zero row), q = clamp(x / scale, +-448) as float8_e4m3fn.
Float8Quant float8_per_row(const at::Tensor& x);

// aten::_int_mm(a (M, K) int8, b (K, N) int8) -> int32. On CUDA, which needs M > 16 and K, N multiples of 8,
// the operands are zero-padded and the product cropped inside "ngbench::pad_int_mm" scopes.
at::Tensor int_mm(const at::Tensor& a, const at::Tensor& b);

// ---- Linear projections

// A quantized nn.Linear: y = x W^T + b in x's dtype. forward() opens the module scope the library's module
// has ("Linear8bitLt" for int8-lt; the float module's own class otherwise, since torchao and torch.ao keep it).
class QuantizedLinear {
 public:
  virtual ~QuantizedLinear() = default;
  virtual at::Tensor forward(const at::Tensor& x) = 0;
  // int8-lt: outlier columns of the last forward; -1 for the other schemes.
  virtual int64_t last_outlier_columns() const { return -1; }
};

struct LinearQuantOptions {
  Scheme scheme = Scheme::kNone;
  int64_t outliers = 6;  // int8-lt: fixed outlier columns; kInt8OutliersDetected (-1): as detected
  uint64_t seed = 0;     // of the fixed outlier columns
};

// From a model's options (options.quant a --quant value).
LinearQuantOptions linear_quant_options(const ModelOptions& options);

// Quantizes a Linear of weight [out, in] and bias (undefined: none), on the weight's device. `scope` is
// the float module's class ("Linear", GPT-2's "Conv1D"), kept by every scheme but int8-lt. Throws
// ngbench::Error when the device cannot run the scheme (fp8 off CUDA, int8-fbgemm off the CPU; the compute
// capability fp8 needs, 8.9, is left to aten::_scaled_mm's own error).
std::shared_ptr<QuantizedLinear> quantize_linear(const at::Tensor& weight, const at::Tensor& bias,
                                                 const LinearQuantOptions& options, const char* scope);

// The quantized Linears of one model, for its workload counts.
class QuantizedLinears {
 public:
  void add(std::shared_ptr<QuantizedLinear> linear) { linears_.push_back(std::move(linear)); }
  size_t size() const { return linears_.size(); }
  // "quant_linears" (as built); int8-lt also "int8_outlier_columns_mean" and "_max" of the last forward.
  std::map<std::string, double> counts() const;

 private:
  std::vector<std::shared_ptr<QuantizedLinear>> linears_;
};

// Quantizes every hf::LinearImpl under `root` (a model's decoder layers: the LM head stays in the base
// dtype, as Hugging Face's bitsandbytes integration leaves it) and frees their float weights. Adds them
// to `out`.
void quantize_linears(torch::nn::Module& root, const LinearQuantOptions& options, QuantizedLinears& out);

// quantize_linears(root) with options.quant; returns the source of the model's workload counts
// (TokenModel::set_workload_counts), empty for --quant none.
std::function<std::map<std::string, double>()> quantize_decoder(torch::nn::Module& root, const ModelOptions& options);

}  // namespace ngbench::models::quant
