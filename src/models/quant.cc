// The --quant schemes, step for step after the libraries they follow (see
// quant.h). Map: the bitsandbytes ops (LLM.int8()), the torchao primitives,
// _int_mm with CUDA padding, then one QuantizedLinear per scheme and the
// model-level helpers. Each line names the Python it mirrors.
#include "models/quant.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorIndexing.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "core/run_config.h"
#include "models/hf_layers.h"
#include "models/module_scope.h"

namespace ngbench::models::quant {

namespace {

using at::indexing::Slice;
using hf::py_number;

// 1 / 127 and 1 / 127^2 as bitsandbytes writes them.
constexpr double kInv127 = 7.874015718698502e-3;
constexpr double kInv127Squared = 6.200124e-05;
// An absmax floor, so that a zero row quantizes to zeros instead of 0 * inf (see quant.h).
constexpr double kMinAbsmax = 1e-12;
// torch.finfo(torch.float8_e4m3fn).max
constexpr double kFloat8Max = 448.0;

}  // namespace

// ---------------------------------------------------------------- bitsandbytes

FixedOutliers fixed_outliers(int64_t columns, int64_t k, uint64_t seed, const at::Device& device) {
  NGBENCH_CHECK(columns >= 0 && columns <= k, "fixed outlier columns out of range");
  // One draw per (seed, width): every projection that reads the hidden state shares its columns, as the
  // LLM.int8() paper found the outlier features in the same hidden dimensions across layers.
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed * 1000003ULL + static_cast<uint64_t>(k));
  at::Tensor cols = std::get<0>(at::sort(at::randperm(k, gen, at::TensorOptions(at::kLong)).slice(0, 0, columns)));
  at::Tensor mask = at::zeros({k}, at::TensorOptions(at::kBool));
  mask.index_put_({cols}, true);
  return {cols.to(device), mask.to(device)};
}

VectorwiseQuant int8_vectorwise_quant(const at::Tensor& A, double threshold, const FixedOutliers* fixed) {
  ModuleScope scope("bitsandbytes::int8_vectorwise_quant", {A});
  const int64_t rows = A.numel() / A.size(-1);
  at::Tensor outlier_cols, outliers, outlier_restore;
  if (threshold > 0.0) {
    outliers = at::ge(at::abs(A), threshold);  // outliers = A.abs() >= threshold
    if (at::any(outliers).item<bool>()) {      // if outliers.any(): a host sync
      // outlier_cols = torch.argwhere(outliers.any(dim=0)).view(-1)
      outlier_cols = at::argwhere(at::any(outliers, 0)).view({-1});
      if (fixed) {
        outlier_cols = fixed->cols;
        outliers = at::logical_and(outliers, fixed->col_mask);
      }
      outlier_restore = A.index({outliers}).clone();  // A[outliers].clone()
      at::Tensor(A).index_put_({outliers}, 0);        // A[outliers] = 0 (in place: a handle, not a copy)
    } else {
      // torch.empty(0, device=A.device, dtype=torch.int64)
      outlier_cols = fixed ? fixed->cols : at::empty({0}, A.options().dtype(at::kLong).pinned_memory(false));
    }
  }
  // row_stats = torch.max(A.abs(), dim=1).values.float()
  at::Tensor row_stats = std::get<0>(at::max(at::abs(A), 1)).to(at::kFloat);
  // out_row = torch.round(A * (127.0 / row_stats.unsqueeze(-1))).to(torch.int8); `127.0 / t` is
  // t.reciprocal() * 127.0 in Python. The floor is ngbench's (a zero row).
  at::Tensor inv = at::mul(at::reciprocal(at::clamp_min(row_stats.unsqueeze(-1), kMinAbsmax)), py_number(127.0));
  at::Tensor out_row = at::round(at::mul(A, inv)).to(at::kChar);
  // if rows > 1 and outlier_cols is not None: out_row[:, outlier_cols] = 0
  if (rows > 1 && outlier_cols.defined()) out_row.index_put_({Slice(), outlier_cols}, 0);
  if (outlier_restore.defined()) {
    at::Tensor(A).index_put_({outliers}, outlier_restore);  // A[outliers] = outlier_restore
  }
  return {out_row, row_stats, outlier_cols};
}

at::Tensor int8_vectorwise_dequant(const at::Tensor& A, const at::Tensor& stats) {
  ModuleScope scope("bitsandbytes::int8_vectorwise_dequant", {A, stats});
  // A * stats.view(-1, 1) * 7.874015718698502e-3
  return at::mul(at::mul(A, stats.view({-1, 1})), py_number(kInv127));
}

at::Tensor int8_linear_matmul(const at::Tensor& A, const at::Tensor& B) {
  ModuleScope scope("bitsandbytes::int8_linear_matmul", {A, B});
  // backends/cpu/ops.py: torch._int_mm(A.reshape(-1, A.shape[-1]), B.t()).reshape(*A.shape[:-1], B.shape[0])
  // (bitsandbytes' CUDA backend calls cuBLASLt itself; here _int_mm on every device)
  std::vector<int64_t> out_shape(A.sizes().begin(), A.sizes().end() - 1);
  out_shape.push_back(B.size(0));
  // Python evaluates the arguments left to right; C++ leaves the order open: one statement each.
  at::Tensor a = A.reshape({-1, A.size(-1)});
  at::Tensor b = B.t();
  return int_mm(a, b).reshape(out_shape);
}

at::Tensor int8_mm_dequant(const at::Tensor& A, const at::Tensor& row_stats, const at::Tensor& col_stats,
                           at::ScalarType dtype, const at::Tensor& bias) {
  ModuleScope scope("bitsandbytes::int8_mm_dequant", {A, row_stats, col_stats});
  at::Tensor a = A.view({-1, A.size(-1)});                 // A_calc = A.view(-1, A.shape[-1])
  at::Tensor row = row_stats.reshape({-1}).unsqueeze(-1);  // row_stats.reshape(-1).unsqueeze(-1)
  at::Tensor col = col_stats.reshape({-1}).unsqueeze(0);   // col_stats.reshape(-1).unsqueeze(0)
  // out = A_calc * (row_stats * col_stats) * 6.200124e-05
  at::Tensor out = at::mul(at::mul(a, at::mul(row, col)), py_number(kInv127Squared));
  if (bias.defined()) out.add_(bias);  // out += bias
  return out.to(dtype);                // out.to(dtype or torch.float16)
}

at::Tensor int8_scaled_mm(const at::Tensor& CA, const at::Tensor& CB, const at::Tensor& SCA, const at::Tensor& SCB,
                          const at::Tensor& bias, at::ScalarType dtype) {
  ModuleScope scope("bitsandbytes::int8_scaled_mm", {CA, CB});
  return int8_mm_dequant(int8_linear_matmul(CA, CB), SCA, SCB, dtype, bias);
}

at::Tensor int8_mixed_scaled_mm(const at::Tensor& A, const at::Tensor& CA, const at::Tensor& CB, const at::Tensor& SCA,
                                const at::Tensor& SCB, const at::Tensor& outlier_cols, const at::Tensor& bias) {
  ModuleScope scope("bitsandbytes::int8_mixed_scaled_mm", {A, CA, CB});
  at::Tensor subA, subB;
  if (outlier_cols.defined() && outlier_cols.numel() > 0) {
    subA = A.index({Slice(), outlier_cols}).contiguous();  // A[:, outlier_cols].contiguous()
    // int8_vectorwise_dequant(CB[:, outlier_cols].contiguous(), SCB).to(A.dtype).t()
    subB = int8_vectorwise_dequant(CB.index({Slice(), outlier_cols}).contiguous(), SCB).to(A.scalar_type()).t();
  } else {
    subA = at::empty({0}, A.options().pinned_memory(false));  // torch.empty(0, device=..., dtype=A.dtype)
  }
  at::Tensor output = int8_scaled_mm(CA, CB, SCA, SCB, bias, A.scalar_type());
  if (subB.defined()) output = output.addmm(subA, subB);  // output.addmm(subA, subB)
  return output;
}

// ---------------------------------------------------------------- torchao

AffineQuant int8_symmetric_per_row(const at::Tensor& x) {
  // Int8Tensor.from_hp(x, PerRow(), SYMMETRIC): block_size (1, ..., 1, K); int8 bounds [-128, 127].
  const int64_t last = x.dim() - 1;
  const std::vector<int64_t> shape = x.sizes().vec();
  std::vector<int64_t> scale_shape = shape;
  scale_shape.back() = 1;
  AffineQuant q;
  {
    ModuleScope scope("torchao::choose_qparams_affine", {x});
    at::Tensor input = x.view(shape);  // input.view(shape_for_reduction)
    at::Tensor min_val = at::amin(input, {last}, /*keepdim=*/true);
    at::Tensor max_val = at::amax(input, {last}, /*keepdim=*/true);
    at::Tensor min_val_neg = at::minimum(min_val, at::zeros_like(min_val));  // torch.min(min_val, zeros_like)
    at::Tensor max_val_pos = at::maximum(max_val, at::zeros_like(max_val));  // torch.max(max_val, zeros_like)
    max_val_pos = at::maximum(at::neg(min_val_neg), max_val_pos);            // torch.max(-min_val_neg, max_val_pos)
    at::Tensor scale = at::div(max_val_pos, py_number(127.5));               // / (float(qmax - qmin) / 2)
    at::Tensor zero_point = at::full_like(scale, 0);                         // full_like(scale, (qmax + qmin + 1) / 2)
    const std::optional<c10::Scalar> eps = c10::Scalar(static_cast<double>(std::numeric_limits<float>::epsilon()));
    scale = at::clamp(scale, eps);  // torch.clamp(scale, min=eps)
    scale = scale.reshape(scale_shape);
    zero_point = zero_point.reshape(scale_shape);
    q.scale = scale.to(at::kFloat);  // scale.to(dtype=scale_dtype, device=input.device)
    q.zero_point = zero_point.to(at::kChar);
  }
  {
    ModuleScope scope("torchao::quantize_affine", {x, q.scale});
    // _quantize_affine_no_dtype_cast: views for the reduction, then
    // clamp(_Round.apply(input * (1.0 / scale)) + zero_point, qmin, qmax)
    at::Tensor input = x.view(shape);
    at::Tensor scale = q.scale.view(scale_shape);
    at::Tensor zero_point = q.zero_point.view(scale_shape);
    at::Tensor inv = at::mul(at::reciprocal(scale), py_number(1.0));  // 1.0 / scale
    const std::optional<c10::Scalar> qmin = c10::Scalar(int64_t{-128}), qmax = c10::Scalar(int64_t{127});
    at::Tensor quant = at::clamp(at::add(at::round(at::mul(input, inv)), zero_point), qmin, qmax);
    q.qdata = quant.view(shape).to(at::kChar);  // quant.view(original_shape), then .to(output_dtype)
  }
  return q;
}

Float8Quant float8_per_row(const at::Tensor& x) {
  const int64_t last = x.dim() - 1;
  const std::vector<int64_t> shape = x.sizes().vec();
  std::vector<int64_t> scale_shape = shape;
  scale_shape.back() = 1;
  Float8Quant q;
  {
    ModuleScope scope("torchao::choose_scale_float8", {x});
    // max_abs = tensor.view(shape_for_reduction).abs().amax(dim=reduction_dims, keepdim=True); the floor is ngbench's
    at::Tensor max_abs = at::amax(at::abs(x.view(shape)), {last}, /*keepdim=*/true).clamp_min(kMinAbsmax);
    // scale = max_abs / quant_max; scale.reshape(output_shape).to(torch.float32)
    q.scale = at::div(max_abs, py_number(kFloat8Max)).reshape(scale_shape).to(at::kFloat);
  }
  {
    ModuleScope scope("torchao::_quantize_affine_float8", {x, q.scale});
    at::Tensor scaled = at::div(x.to(at::kFloat), q.scale);  // tensor.to(torch.float32) / scale
    // tensor_scaled.clamp(min=-max_value, max=max_value); _RoundToFloat8.apply: .to(float8_dtype)
    const std::optional<c10::Scalar> lo = c10::Scalar(-kFloat8Max), hi = c10::Scalar(kFloat8Max);
    q.qdata = at::clamp(scaled, lo, hi).to(at::kFloat8_e4m3fn);
  }
  return q;
}

at::Tensor int_mm(const at::Tensor& a, const at::Tensor& b) {
  if (!a.is_cuda()) return at::_int_mm(a, b);
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  const int64_t pad_m = m > 16 ? 0 : 17 - m, pad_k = (8 - k % 8) % 8, pad_n = (8 - n % 8) % 8;
  if (pad_m == 0 && pad_k == 0 && pad_n == 0) return at::_int_mm(a, b);
  at::Tensor ap, bp;
  {
    ModuleScope scope("ngbench::pad_int_mm", {a, b});
    ap = at::constant_pad_nd(a, {0, pad_k, 0, pad_m}, 0);
    bp = at::constant_pad_nd(b, {0, pad_n, 0, pad_k}, 0);
  }
  at::Tensor c = at::_int_mm(ap, bp);
  ModuleScope scope("ngbench::pad_int_mm", {c});
  return c.slice(0, 0, m).slice(1, 0, n);
}

// ---------------------------------------------------------------- Linear projections

namespace {

// The output shape (*x.shape[:-1], n).
std::vector<int64_t> out_shape(const at::Tensor& x, int64_t n) {
  std::vector<int64_t> s(x.sizes().begin(), x.sizes().end() - 1);
  s.push_back(n);
  return s;
}

// bitsandbytes.nn.Linear8bitLt in inference (has_fp16_weights=False, threshold 6.0): Int8Params quantized
// the weight at load (Int8Params._quantize), forward is bnb.matmul -> MatMul8bitLt.forward.
class Int8LtLinear : public QuantizedLinear {
 public:
  Int8LtLinear(const at::Tensor& weight, const at::Tensor& bias, const LinearQuantOptions& o) : bias_(bias) {
    // Int8Params._quantize: B = self.data.contiguous().to(torch.float16); CB, SCB, _ = int8_vectorwise_quant(B)
    VectorwiseQuant w = int8_vectorwise_quant(weight.contiguous().to(at::kHalf), 0.0);
    cb_ = w.q;
    scb_ = w.row_stats;
    if (o.outliers != kInt8OutliersDetected) {
      fixed_ = fixed_outliers(o.outliers, weight.size(1), o.seed, weight.device());
      has_fixed_ = true;
    }
  }

  at::Tensor forward(const at::Tensor& x) override {
    ModuleScope module("Linear8bitLt", {x});
    ModuleScope fn("MatMul8bitLt", {x});
    const bool three_d = x.dim() == 3;
    at::Tensor A = three_d ? x.reshape({-1, x.size(-1)}) : x;  // if len(A.shape) == 3: A.reshape(-1, A.shape[-1])
    // CA, SCA, outlier_cols = F.int8_vectorwise_quant(A.to(torch.float16), threshold=state.threshold)
    VectorwiseQuant a = int8_vectorwise_quant(A.to(at::kHalf), kOutlierThreshold, has_fixed_ ? &fixed_ : nullptr);
    last_outliers_ = a.outlier_cols.numel();
    // output, subA = torch.ops.bitsandbytes.int8_mixed_scaled_mm(A, CA, state.CB, SCA, state.SCB, outlier_cols, bias)
    at::Tensor output = int8_mixed_scaled_mm(A, a.q, cb_, a.row_stats, scb_, a.outlier_cols, bias_);
    return three_d ? output.reshape(out_shape(x, cb_.size(0))) : output;  // output.reshape(output_shape)
  }

  int64_t last_outlier_columns() const override { return last_outliers_; }

 private:
  at::Tensor cb_, scb_, bias_;
  FixedOutliers fixed_;
  bool has_fixed_ = false;
  int64_t last_outliers_ = 0;
};

// The per-channel int8 weight both torchao schemes hold: Int8Tensor.from_hp(weight, PerRow()).
struct Int8Weight {
  at::Tensor qdata;  // int8 [N, K]
  at::Tensor scale;  // float32 [N, 1]
};

Int8Weight quantize_weight_per_row(const at::Tensor& weight) {
  AffineQuant q = int8_symmetric_per_row(weight);
  return {q.qdata, q.scale};
}

// torchao Int8DynamicActivationInt8WeightConfig: the nn.Linear keeps its class; F.linear on its Int8Tensor
// weight runs quantize_/workflows/int8/int8_tensor.py's linear handler with act_quant_kwargs (PerRow).
class Int8DynamicLinear : public QuantizedLinear {
 public:
  Int8DynamicLinear(const at::Tensor& weight, const at::Tensor& bias, const char* scope)
      : w_(quantize_weight_per_row(weight)), bias_(bias), scope_(scope) {}

  at::Tensor forward(const at::Tensor& x) override {
    ModuleScope module(scope_, {x});
    const at::ScalarType output_dtype = x.scalar_type();
    AffineQuant a = int8_symmetric_per_row(x);                     // _choose_quant_func_and_quantize_tensor
    at::Tensor w_t = w_.qdata.contiguous().t();                    // weight_tensor.qdata.contiguous().t()
    at::Tensor tmp = a.qdata.reshape({-1, a.qdata.size(-1)});      // x_vals_int8.reshape(-1, K)
    at::Tensor scales1 = a.scale.reshape({-1, 1}).to(at::kFloat);  // x_scales.reshape(-1, 1).to(intermediate_dtype)
    // kernels.py safe_int_mm on CUDA: `if not mat2.is_contiguous(): mat2 = mat2.contiguous()` (every call);
    // _int_scaled_matmul_cpu, s8s8 (torch < 2.12) on the CPU: torch._int_mm(a, b)
    const at::Tensor acc = x.is_cuda() ? int_mm(tmp, w_t.contiguous()) : int_mm(tmp, w_t);
    at::Tensor y;
    {
      // The dequantization after the product, inline Python in torchao: a scope of ngbench's, so that the
      // taxonomy counts it as Quantization as it counts bitsandbytes::int8_mm_dequant.
      ModuleScope dequant("ngbench::int8_mm_dequant", {acc});
      y = x.is_cuda() ? at::mul(acc, scales1) : at::mul(acc.to(at::kFloat), scales1);  // c(.to(float)) * scales1
      y = y.to(output_dtype);                                                          // y_dot_scaled.to(output_dtype)
      // (y_dot_scaled * w_scales.flatten()).reshape(*x_vals_int8.shape[:-1], N)
      y = at::mul(y, w_.scale.flatten()).reshape(out_shape(x, w_.qdata.size(0)));
    }
    if (bias_.defined()) y.add_(bias_);  // y += bias
    return y.to(output_dtype);           // y.to(output_dtype)
  }

 private:
  Int8Weight w_;
  at::Tensor bias_;
  const char* scope_;
};

// torchao Int8WeightOnlyConfig (PerRow): the same handler without act_quant_kwargs; block_size[-1] == K, so
// m = mm(x, qdata.t().to(dtype)) * scale. On the CPU with bfloat16 activations the fused
// aten::_weight_int8pack_mm runs instead (fast there; pathological with float32).
class Int8WeightLinear : public QuantizedLinear {
 public:
  Int8WeightLinear(const at::Tensor& weight, const at::Tensor& bias, const char* scope)
      : w_(quantize_weight_per_row(weight)), bias_(bias), scope_(scope) {
    packed_ = weight.device().is_cpu() && weight.scalar_type() == at::kBFloat16;
    if (packed_) pack_scales_ = w_.scale.flatten().to(at::kBFloat16);
  }

  at::Tensor forward(const at::Tensor& x) override {
    ModuleScope module(scope_, {x});
    const at::ScalarType output_dtype = x.scalar_type();
    const int64_t n = w_.qdata.size(0);
    at::Tensor y;
    if (packed_) {
      y = at::_weight_int8pack_mm(x.reshape({-1, x.size(-1)}), w_.qdata, pack_scales_).reshape(out_shape(x, n));
    } else {
      at::Tensor x2 = x.reshape({-1, x.size(-1)});  // x.reshape(-1, K)
      at::Tensor w;
      {
        // The weight's dequantization, inline in torchao: a scope of ngbench's, counted as Quantization.
        ModuleScope dequant("ngbench::int8_weight_dequant", {w_.qdata});
        w = w_.qdata.t().to(output_dtype);  // qdata.t().to(dtype)
      }
      at::Tensor m = at::mm(x2, w);  // torch.mm(x, w); the scale after it, as torchao: m * scale
      y = at::mul(m, w_.scale.to(m.scalar_type()).flatten()).reshape(out_shape(x, n));  // m * scale.to(m.dtype)
    }
    if (bias_.defined()) y.add_(bias_);  // y += bias
    return y.to(output_dtype);
  }

 private:
  Int8Weight w_;
  at::Tensor bias_, pack_scales_;
  const char* scope_;
  bool packed_ = false;
};

// torch.ao.nn.quantized.dynamic.Linear (quantize_dynamic with the default qconfig): per-tensor symmetric qint8
// weight prepacked for fbgemm; forward = quantized::linear_dynamic(x, packed, reduce_range=True).to(x.dtype).
class FbgemmLinear : public QuantizedLinear {
 public:
  FbgemmLinear(const at::Tensor& weight, const at::Tensor& bias, const char* scope) : scope_(scope) {
    // MinMaxObserver(qint8, per_tensor_symmetric): scale = max(-min, max) / ((127 - -128) / 2), zero point 0
    at::Tensor w = weight.to(at::kFloat);
    const double amax = std::max(-w.min().item<double>(), w.max().item<double>());
    const double scale = std::max(amax / 127.5, static_cast<double>(std::numeric_limits<float>::epsilon()));
    at::Tensor qweight = at::quantize_per_tensor(w, scale, 0, at::kQInt8);
    static const auto prepack = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
    torch::jit::Stack stack{qweight, bias.defined() ? c10::IValue(bias.to(at::kFloat)) : c10::IValue()};
    prepack.callBoxed(&stack);
    packed_ = stack.at(0);
  }

  at::Tensor forward(const at::Tensor& x) override {
    ModuleScope module(scope_, {x});
    static const auto linear_dynamic = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_dynamic", "");
    torch::jit::Stack stack{x, packed_, c10::IValue(true)};  // reduce_range=True
    linear_dynamic.callBoxed(&stack);
    return stack.at(0).toTensor().to(x.scalar_type());  // Y.to(x.dtype)
  }

 private:
  c10::IValue packed_;
  const char* scope_;
};

// torchao Float8DynamicActivationFloat8WeightConfig(granularity=PerRow()), its torch kernel path
// (float8_tensor.py _float8_addmm_impl -> addmm_float8_unwrapped_inference): per-row float8_e4m3fn
// activations and weights, aten::_scaled_mm with float32 row and column scales, use_fast_accum=True.
class Fp8Linear : public QuantizedLinear {
 public:
  Fp8Linear(const at::Tensor& weight, const at::Tensor& bias, const char* scope) : bias_(bias), scope_(scope) {
    Float8Quant w = float8_per_row(weight);
    w_ = w.qdata;                         // [N, K] row-major: w_.t() is the column-major (K, N) _scaled_mm needs
    w_scale_ = w.scale.t().contiguous();  // (1, N)
  }

  at::Tensor forward(const at::Tensor& x) override {
    ModuleScope module(scope_, {x});
    Float8Quant a = float8_per_row(x);
    at::Tensor data = a.qdata.reshape({-1, a.qdata.size(-1)});  // input_tensor.qdata.reshape(-1, K)
    at::Tensor scale = a.scale.reshape({-1, 1});                // preprocess_scale: (-1, 1)
    std::optional<at::Tensor> bias;
    if (bias_.defined()) bias = bias_;
    at::Tensor res = at::_scaled_mm(data, w_.t(), scale, w_scale_, bias, /*scale_result=*/std::nullopt, x.scalar_type(),
                                    /*use_fast_accum=*/true);
    return res.reshape(out_shape(x, w_.size(0)));
  }

 private:
  at::Tensor w_, w_scale_, bias_;
  const char* scope_;
};

void check_fp8_device(const at::Tensor& weight) {
  if (!weight.is_cuda()) {
    throw Error("--quant fp8 runs on CUDA only (aten::_scaled_mm); schemes on the CPU: " +
                scheme_names(schemes_on("cpu")));
  }
}

}  // namespace

LinearQuantOptions linear_quant_options(const ModelOptions& options) {
  LinearQuantOptions o;
  o.scheme = find_scheme(options.quant.empty() ? "none" : options.quant).scheme;
  o.outliers = options.int8_outliers;
  o.seed = options.seed;
  return o;
}

std::shared_ptr<QuantizedLinear> quantize_linear(const at::Tensor& weight, const at::Tensor& bias,
                                                 const LinearQuantOptions& options, const char* scope) {
  switch (options.scheme) {
    case Scheme::kInt8Lt:
      return std::make_shared<Int8LtLinear>(weight, bias, options);
    case Scheme::kInt8Dynamic:
      return std::make_shared<Int8DynamicLinear>(weight, bias, scope);
    case Scheme::kInt8Weight:
      return std::make_shared<Int8WeightLinear>(weight, bias, scope);
    case Scheme::kInt8Fbgemm:
      if (!weight.device().is_cpu()) {
        throw Error("--quant int8-fbgemm runs on the CPU only (fbgemm); schemes on CUDA: " +
                    scheme_names(schemes_on("cuda")));
      }
      return std::make_shared<FbgemmLinear>(weight, bias, scope);
    case Scheme::kFp8:
      check_fp8_device(weight);
      return std::make_shared<Fp8Linear>(weight, bias, scope);
    case Scheme::kNone:
      break;
  }
  return nullptr;
}

std::map<std::string, double> QuantizedLinears::counts() const {
  std::map<std::string, double> out;
  if (linears_.empty()) return out;
  out["quant_linears"] = static_cast<double>(linears_.size());
  double sum = 0, max = 0;
  bool lt = false;
  for (const auto& l : linears_) {
    const int64_t n = l->last_outlier_columns();
    if (n < 0) continue;
    lt = true;
    sum += static_cast<double>(n);
    max = std::max(max, static_cast<double>(n));
  }
  if (lt) {
    out["int8_outlier_columns_mean"] = sum / static_cast<double>(linears_.size());
    out["int8_outlier_columns_max"] = max;
  }
  return out;
}

void quantize_linears(torch::nn::Module& root, const LinearQuantOptions& options, QuantizedLinears& out) {
  if (options.scheme == Scheme::kNone) return;
  for (const auto& m : root.modules(/*include_self=*/false)) {
    auto linear = std::dynamic_pointer_cast<hf::LinearImpl>(m);
    if (!linear) continue;
    linear->quantized = quantize_linear(linear->weight, linear->bias, options, "Linear");
    // The float weight is not read again: keep only its shape's worth of nothing, as a quantized model would.
    linear->weight.set_data(at::empty({0}, linear->weight.options()));
    out.add(linear->quantized);
  }
}

std::function<std::map<std::string, double>()> quantize_decoder(torch::nn::Module& root, const ModelOptions& options) {
  const LinearQuantOptions o = linear_quant_options(options);
  if (o.scheme == Scheme::kNone) return {};
  auto linears = std::make_shared<QuantizedLinears>();
  quantize_linears(root, o, *linears);
  return [linears] { return linears->counts(); };
}

}  // namespace ngbench::models::quant
