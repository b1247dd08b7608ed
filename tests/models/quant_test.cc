// --quant (src/models/quant.h): each scheme's math against a plain reference on
// small tensors (quantize, the outlier split, dequantize, the int8 product),
// the edge cases (all-outlier columns, zero rows, the threshold exactly hit),
// the step structure of LLM.int8() under the observer, and a quantized tiny
// model's logits against the unquantized ones.
//
// Tolerances (docs/quantization.md): a quantized Linear's output is within 2%
// of the float one (relative Frobenius error) for the per-row int8 schemes and
// 4% for int8-fbgemm (per-tensor weights, 7-bit activations: reduce_range);
// a tiny model's logits within 5% (int8-fbgemm 8%), and its argmax token agrees
// at 90% of the positions at least.
#include "models/quant.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/run_config.h"
#include "models/hf_layers.h"
#include "models/model.h"
#include "models/registry.h"
#include "observer/observer.h"

namespace ngbench::models::quant {
namespace {

using at::indexing::Slice;

// bitsandbytes' int8_mm_dequant multiplies by 6.200124e-05 for 1 / 127^2 (= 6.2000124e-05): 1.8e-5 high, kept
// by ngbench as bitsandbytes writes it, so the references use it too.
constexpr double kBnbInv127Squared = 6.200124e-05;

double rel_error(const at::Tensor& got, const at::Tensor& want) {
  return (got.to(at::kDouble) - want.to(at::kDouble)).norm().item<double>() /
         want.to(at::kDouble).norm().item<double>();
}

// bitsandbytes' row quantization, written out: q = round(a * 127 / absmax(row)), outliers excluded.
at::Tensor reference_row_quant(const at::Tensor& a, const at::Tensor& absmax) {
  at::Tensor scaled = a.to(at::kFloat) * 127.0 / absmax.clamp_min(1e-12).unsqueeze(1);
  return scaled.round().to(at::kChar);
}

TEST(Int8VectorwiseQuant, MatchesTheRowAbsmaxReference) {
  at::manual_seed(1);
  at::Tensor a = at::randn({5, 16}).to(at::kHalf);
  const at::Tensor before = a.clone();
  const VectorwiseQuant q = int8_vectorwise_quant(a, 0.0);
  const at::Tensor absmax = std::get<0>(a.to(at::kFloat).abs().max(1));
  EXPECT_TRUE(at::equal(q.row_stats, absmax));
  EXPECT_TRUE(at::equal(q.q, reference_row_quant(a, absmax)));
  EXPECT_FALSE(q.outlier_cols.defined()) << "threshold 0: no outlier split";
  EXPECT_TRUE(at::equal(a, before));
  // Each row's largest magnitude maps to +-127.
  EXPECT_EQ(q.q.abs().amax(1).min().item<int64_t>(), 127);
}

TEST(Int8VectorwiseQuant, ThresholdExactlyHitIsAnOutlier) {
  at::Tensor a = at::zeros({3, 8}, at::kHalf);
  a.index_put_({0, 2}, 6.0);     // |a| >= 6.0: an outlier
  a.index_put_({1, 5}, -5.996);  // just below (fp16 has 5.996 next to 6)
  a.index_put_({2, 5}, 1.0);
  a.index_put_({1, 1}, 2.0);
  const at::Tensor before = a.clone();
  const VectorwiseQuant q = int8_vectorwise_quant(a, 6.0);
  ASSERT_TRUE(q.outlier_cols.defined());
  EXPECT_EQ(q.outlier_cols.numel(), 1);
  EXPECT_EQ(q.outlier_cols.item<int64_t>(), 2);
  // The outlier column is zero in every row and left out of row 0's absmax (row 0 is otherwise zero).
  EXPECT_EQ(q.q.index({Slice(), 2}).abs().sum().item<int64_t>(), 0);
  EXPECT_EQ(q.row_stats[0].item<float>(), 0.0f);
  EXPECT_NEAR(q.row_stats[1].item<float>(), 5.996f, 1e-3);
  EXPECT_EQ(q.q.index({1, 5}).item<int64_t>(), -127);
  EXPECT_TRUE(at::equal(a, before)) << "bitsandbytes restores the outliers it zeroed";
}

TEST(Int8VectorwiseQuant, ZeroRowsQuantizeToZeros) {
  at::Tensor a = at::randn({4, 8}).to(at::kHalf);
  a[1].zero_();
  a[3].zero_();
  const VectorwiseQuant q = int8_vectorwise_quant(a, 6.0);
  EXPECT_EQ(q.q[1].abs().sum().item<int64_t>(), 0);
  EXPECT_EQ(q.q[3].abs().sum().item<int64_t>(), 0);
  EXPECT_EQ(q.row_stats[1].item<float>(), 0.0f);
  EXPECT_FALSE(at::isnan(int8_vectorwise_dequant(q.q, q.row_stats)).any().item<bool>());
}

TEST(Int8VectorwiseQuant, AllOutlierColumns) {
  at::Tensor a = at::full({3, 4}, 7.0, at::kHalf);
  const VectorwiseQuant q = int8_vectorwise_quant(a, 6.0);
  EXPECT_EQ(q.outlier_cols.numel(), 4);
  EXPECT_EQ(q.q.abs().sum().item<int64_t>(), 0);
  EXPECT_EQ(q.row_stats.abs().sum().item<float>(), 0.0f);
}

TEST(Int8Dequant, VectorwiseAndMatmulDequantMatchTheirFormulas) {
  at::manual_seed(2);
  const at::Tensor q = at::randint(-127, 128, {3, 5}, at::kChar);
  const at::Tensor stats = at::rand({3}) * 4;
  EXPECT_TRUE(
      at::allclose(int8_vectorwise_dequant(q, stats), q.to(at::kFloat) * stats.unsqueeze(1) / 127.0, 1e-6, 1e-6));
  const at::Tensor acc = at::randint(-100000, 100000, {3, 4}, at::kInt);
  const at::Tensor row = at::rand({3}), col = at::rand({4}), bias = at::randn({4});
  const at::Tensor want =
      acc.to(at::kDouble) * row.to(at::kDouble).unsqueeze(1) * col.to(at::kDouble).unsqueeze(0) * kBnbInv127Squared +
      bias.to(at::kDouble);
  const at::Tensor got = int8_mm_dequant(acc, row, col, at::kFloat, bias);
  EXPECT_EQ(got.scalar_type(), at::kFloat);
  EXPECT_LT(rel_error(got, want), 1e-5);
}

TEST(Int8LinearMatmul, IsTheExactIntegerProduct) {
  at::manual_seed(3);
  const at::Tensor a = at::randint(-128, 128, {7, 32}, at::kChar);
  const at::Tensor b = at::randint(-128, 128, {5, 32}, at::kChar);
  const at::Tensor got = int8_linear_matmul(a, b);
  EXPECT_EQ(got.scalar_type(), at::kInt);
  EXPECT_TRUE(at::equal(got, at::matmul(a.to(at::kLong), b.to(at::kLong).t()).to(at::kInt)));
}

// The decomposition of LLM.int8(): int8 product of the regular columns plus the outlier columns in float.
TEST(Int8MixedScaledMm, EqualsTheDecomposedReference) {
  at::manual_seed(4);
  at::Tensor x = at::randn({6, 32});
  x.index_put_({Slice(), 3}, 9.0);  // an outlier column
  x.index_put_({2, 17}, -6.5);      // an outlier in one row only: its column is an outlier column too
  const at::Tensor w = at::randn({8, 32}) * 0.1;
  const VectorwiseQuant wq = int8_vectorwise_quant(w.to(at::kHalf), 0.0);
  const VectorwiseQuant xq = int8_vectorwise_quant(x.to(at::kHalf), 6.0);
  ASSERT_EQ(xq.outlier_cols.numel(), 2);
  const at::Tensor got = int8_mixed_scaled_mm(x, xq.q, wq.q, xq.row_stats, wq.row_stats, xq.outlier_cols, {});
  const at::Tensor cols = xq.outlier_cols;
  const at::Tensor regular = at::matmul(xq.q.to(at::kDouble), wq.q.to(at::kDouble).t()) *
                             xq.row_stats.to(at::kDouble).unsqueeze(1) * wq.row_stats.to(at::kDouble).unsqueeze(0) *
                             kBnbInv127Squared;
  const at::Tensor outlier =
      at::matmul(x.index({Slice(), cols}).to(at::kDouble),
                 (wq.q.index({Slice(), cols}).to(at::kDouble) * wq.row_stats.to(at::kDouble).unsqueeze(1) / 127.0).t());
  EXPECT_LT(rel_error(got, regular + outlier), 1e-5);
  EXPECT_LT(rel_error(got, at::matmul(x, w.t())), 0.02);
}

TEST(FixedOutliers, SeededSortedAndReplacingTheDetectedColumns) {
  const FixedOutliers a = fixed_outliers(6, 64, 7, at::kCPU), b = fixed_outliers(6, 64, 7, at::kCPU);
  EXPECT_TRUE(at::equal(a.cols, b.cols));
  EXPECT_EQ(std::get<0>(at::_unique(a.cols)).numel(), 6);
  EXPECT_TRUE(at::equal(a.cols, std::get<0>(at::sort(a.cols))));
  EXPECT_EQ(a.col_mask.sum().item<int64_t>(), 6);
  EXPECT_FALSE(at::equal(fixed_outliers(6, 64, 8, at::kCPU).cols, a.cols));
  // Data outliers outside the fixed columns are quantized with their row (not lost); the fixed ones go float.
  at::manual_seed(5);
  at::Tensor x = at::randn({4, 64});
  const int64_t other = [&] {
    for (int64_t c = 0; c < 64; ++c) {
      if (!a.col_mask[c].item<bool>()) return c;
    }
    return int64_t{0};
  }();
  x.index_put_({Slice(), other}, 8.0);
  const VectorwiseQuant q = int8_vectorwise_quant(x.to(at::kHalf), 6.0, &a);
  EXPECT_TRUE(at::equal(q.outlier_cols, a.cols));
  EXPECT_NE(q.q.index({0, other}).item<int64_t>(), 0);
  const at::Tensor w = at::randn({5, 64}) * 0.1;
  const VectorwiseQuant wq = int8_vectorwise_quant(w.to(at::kHalf), 0.0);
  const at::Tensor got = int8_mixed_scaled_mm(x, q.q, wq.q, q.row_stats, wq.row_stats, q.outlier_cols, {});
  EXPECT_LT(rel_error(got, at::matmul(x, w.t())), 0.03);
}

TEST(TorchaoInt8, SymmetricPerRowMatchesItsFormula) {
  at::manual_seed(6);
  at::Tensor x = at::randn({2, 3, 16});
  x[1][2].zero_();
  const AffineQuant q = int8_symmetric_per_row(x);
  const at::Tensor amax = x.abs().amax({-1}, true);
  const at::Tensor scale = (amax / 127.5).clamp_min(std::numeric_limits<float>::epsilon());
  EXPECT_TRUE(at::allclose(q.scale, scale));
  EXPECT_TRUE(at::equal(q.qdata, (x / scale).round().clamp(-128, 127).to(at::kChar)));
  EXPECT_EQ(q.qdata[1][2].abs().sum().item<int64_t>(), 0) << "a zero row quantizes to zeros";
  EXPECT_EQ(q.zero_point.abs().sum().item<int64_t>(), 0);
}

// Every CPU scheme's Linear against the float Linear.
TEST(QuantizedLinear, EveryCpuSchemeIsCloseToTheFloatLinear) {
  at::manual_seed(7);
  const at::Tensor w = at::randn({48, 64}) * 0.02, bias = at::randn({48}) * 0.1;
  const at::Tensor x = at::randn({2, 9, 64});
  const at::Tensor want = at::linear(x, w, bias);
  for (const auto& name : schemes_on("cpu")) {
    if (name == "none") continue;
    LinearQuantOptions o;
    o.scheme = find_scheme(name).scheme;
    const auto q = quantize_linear(w, bias, o, "Linear");
    at::Tensor got;
    {
      c10::InferenceMode guard;
      got = q->forward(x);
    }
    EXPECT_EQ(got.sizes(), want.sizes()) << name;
    EXPECT_EQ(got.scalar_type(), at::kFloat) << name;
    EXPECT_LT(rel_error(got, want), name == "int8-fbgemm" ? 0.04 : 0.02) << name;
  }
  // int8-weight's fused CPU path (bfloat16 activations): aten::_weight_int8pack_mm.
  LinearQuantOptions o;
  o.scheme = Scheme::kInt8Weight;
  const auto q = quantize_linear(w.to(at::kBFloat16), bias.to(at::kBFloat16), o, "Linear");
  c10::InferenceMode guard;
  const at::Tensor got = q->forward(x.to(at::kBFloat16));
  EXPECT_EQ(got.scalar_type(), at::kBFloat16);
  EXPECT_LT(rel_error(got, want), 0.03);
}

TEST(QuantizedLinear, Fp8IsRefusedOnTheCpu) {
  LinearQuantOptions o;
  o.scheme = Scheme::kFp8;
  try {
    quantize_linear(at::randn({8, 16}), {}, o, "Linear");
    FAIL() << "fp8 on the CPU";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("CUDA only"), std::string::npos) << msg;
    EXPECT_NE(msg.find("int8-lt"), std::string::npos) << "names the CPU's schemes: " << msg;
  }
}

// The outermost ops of one call, each with its innermost scope, under the observer.
std::vector<std::pair<std::string, std::string>> observe(const std::function<void()>& fn) {
  observer::ObserverOptions opts;
  opts.record_shapes = false;
  observer::Observer obs(opts);
  obs.start();
  {
    c10::InferenceMode guard;
    fn();
  }
  obs.stop();
  const ProfiledTrace trace = obs.collect();
  std::vector<std::pair<std::string, std::string>> out;
  for (const OpRecord& r : trace.records) {
    if (r.thread != 0 || r.kind != RecordKind::kOp) continue;
    std::string scope;
    bool outermost = true;
    for (int32_t p = r.parent; p >= 0; p = trace.records[static_cast<size_t>(p)].parent) {
      const OpRecord& anc = trace.records[static_cast<size_t>(p)];
      if (anc.kind == RecordKind::kOp) {
        outermost = false;
        break;
      }
      if (scope.empty()) scope = anc.name;
    }
    if (outermost) out.emplace_back(r.name, scope);
  }
  return out;
}

// bitsandbytes' Linear8bitLt forward on the CPU (float32 activations, an outlier in the data, the detected
// columns), step for step as bnb.matmul -> MatMul8bitLt.forward and backends/{default,cpu}/ops.py issue them.
TEST(Int8LtStructure, FollowsBitsandbytesStepForStep) {
  at::manual_seed(8);
  LinearQuantOptions o;
  o.scheme = Scheme::kInt8Lt;
  o.outliers = kInt8OutliersDetected;
  const auto q = quantize_linear(at::randn({16, 32}) * 0.02, {}, o, "Linear");
  at::Tensor x = at::randn({1, 4, 32});
  x.index_put_({0, 1, 3}, 7.5);
  const auto ops = observe([&] { q->forward(x); });
  const std::string quant = "bitsandbytes::int8_vectorwise_quant", mixed = "bitsandbytes::int8_mixed_scaled_mm";
  const std::vector<std::pair<std::string, std::string>> want = {
      {"aten::reshape", "MatMul8bitLt"},  // A.reshape(-1, A.shape[-1])
      {"aten::to", "MatMul8bitLt"},       // A.to(torch.float16)
      {"aten::abs", quant},
      {"aten::ge", quant},
      {"aten::any", quant},
      {"aten::item", quant},  // outliers.any()
      {"aten::any", quant},
      {"aten::argwhere", quant},
      {"aten::view", quant},  // argwhere(outliers.any(0)).view(-1)
      {"aten::index", quant},
      {"aten::clone", quant},
      {"aten::index_put_", quant},  // backup, A[outliers] = 0
      {"aten::abs", quant},
      {"aten::max", quant},
      {"aten::to", quant},  // row_stats
      {"aten::unsqueeze", quant},
      {"aten::clamp_min", quant},
      {"aten::reciprocal", quant},
      {"aten::mul", quant},
      {"aten::mul", quant},
      {"aten::round", quant},
      {"aten::to", quant},          // round(A * (127 / row_stats)).to(int8)
      {"aten::index_put_", quant},  // out_row[:, outlier_cols] = 0
      {"aten::view", quant},
      {"aten::index_put_", quant},  // A[outliers] = restore (indexing views the value)
      {"aten::index", mixed},       // A[:, outlier_cols]
      {"aten::index", mixed},       // CB[:, outlier_cols]
      {"aten::view", "bitsandbytes::int8_vectorwise_dequant"},
      {"aten::mul", "bitsandbytes::int8_vectorwise_dequant"},
      {"aten::mul", "bitsandbytes::int8_vectorwise_dequant"},
      {"aten::to", mixed},
      {"aten::t", mixed},  // .to(A.dtype).t()
      {"aten::reshape", "bitsandbytes::int8_linear_matmul"},
      {"aten::t", "bitsandbytes::int8_linear_matmul"},
      {"aten::_int_mm", "bitsandbytes::int8_linear_matmul"},
      {"aten::reshape", "bitsandbytes::int8_linear_matmul"},
      {"aten::view", "bitsandbytes::int8_mm_dequant"},
      {"aten::reshape", "bitsandbytes::int8_mm_dequant"},
      {"aten::unsqueeze", "bitsandbytes::int8_mm_dequant"},
      {"aten::reshape", "bitsandbytes::int8_mm_dequant"},
      {"aten::unsqueeze", "bitsandbytes::int8_mm_dequant"},
      {"aten::mul", "bitsandbytes::int8_mm_dequant"},
      {"aten::mul", "bitsandbytes::int8_mm_dequant"},
      {"aten::mul", "bitsandbytes::int8_mm_dequant"},
      {"aten::to", "bitsandbytes::int8_mm_dequant"},
      {"aten::addmm", mixed},             // output.addmm(subA, subB)
      {"aten::reshape", "MatMul8bitLt"},  // output.reshape(output_shape)
  };
  std::string seen;
  for (const auto& [op, scope] : ops) seen += "\n  " + op + " in " + scope;
  ASSERT_EQ(ops.size(), want.size()) << "observed:" << seen;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(ops[i].first, want[i].first) << "step " << i;
    EXPECT_EQ(ops[i].second, want[i].second) << "step " << i << " " << want[i].first;
  }
}

// torchao's schemes: the quantize steps in scopes named as torchao's primitives, the int8 product outside every
// quantize / dequantize scope, and the inline dequantize steps in ngbench's scopes.
TEST(TorchaoStructure, QuantizeAndDequantizeStepsAreScopedAndTheProductIsNot) {
  at::manual_seed(9);
  const at::Tensor w = at::randn({16, 32}) * 0.02, x = at::randn({1, 4, 32});
  auto scopes_of = [&](Scheme scheme) {
    LinearQuantOptions o;
    o.scheme = scheme;
    const auto q = quantize_linear(w, {}, o, "Linear");
    std::map<std::string, std::set<std::string>> out;  // op -> its innermost scopes
    for (const auto& [op, scope] : observe([&] { q->forward(x); })) out[op].insert(scope);
    return out;
  };
  const auto dynamic = scopes_of(Scheme::kInt8Dynamic);
  EXPECT_EQ(dynamic.at("aten::_int_mm"), std::set<std::string>{"Linear"});
  EXPECT_TRUE(dynamic.at("aten::amax").count("torchao::choose_qparams_affine"));
  EXPECT_TRUE(dynamic.at("aten::round").count("torchao::quantize_affine"));
  EXPECT_TRUE(dynamic.at("aten::mul").count("ngbench::int8_mm_dequant"));
  const auto weight = scopes_of(Scheme::kInt8Weight);
  EXPECT_EQ(weight.at("aten::mm"), std::set<std::string>{"Linear"});
  EXPECT_TRUE(weight.at("aten::to").count("ngbench::int8_weight_dequant"));
}

// A tiny model's logits, quantized against unquantized (same seed, same weights before quantization).
at::Tensor logits(const std::string& model, const std::string& scheme, int64_t outliers = 6) {
  ModelOptions o;
  o.quant = scheme;
  o.int8_outliers = outliers;
  auto m = find_model(model).create(o);
  InputSpec spec;
  spec.batch = 2;
  spec.seq_len = 12;
  c10::InferenceMode guard;
  return m->forward(m->make_inputs(spec));
}

TEST(QuantizedTinyModels, LogitsStayCloseToTheUnquantizedOnes) {
  for (const std::string model : {"llama3-tiny", "gpt2-tiny", "mixtral-tiny"}) {
    const at::Tensor ref = logits(model, "none");
    for (const auto& scheme : schemes_on("cpu")) {
      if (scheme == "none") continue;
      const at::Tensor got = logits(model, scheme);
      ASSERT_EQ(got.sizes(), ref.sizes()) << model << " " << scheme;
      EXPECT_LT(rel_error(got, ref), scheme == "int8-fbgemm" ? 0.08 : 0.05) << model << " " << scheme;
      const double agree = at::eq(got.argmax(-1), ref.argmax(-1)).to(at::kFloat).mean().item<double>();
      EXPECT_GE(agree, 0.9) << model << " " << scheme;
    }
    const at::Tensor detected = logits(model, "int8-lt", kInt8OutliersDetected);
    EXPECT_LT(rel_error(detected, ref), 0.05) << model;
  }
}

TEST(QuantizedTinyModels, CountTheirLinearsAndOutlierColumns) {
  ModelOptions o;
  o.quant = "int8-lt";
  auto m = find_model("llama3-tiny").create(o);  // 2 layers x (q, k, v, o, gate, up, down)
  InputSpec spec;
  {
    c10::InferenceMode guard;
    m->forward(m->make_inputs(spec));
  }
  const auto counts = m->workload_counts();
  EXPECT_EQ(counts.at("quant_linears"), 14);
  EXPECT_EQ(counts.at("int8_outlier_columns_mean"), 6);
  o.quant = "int8-dynamic";
  EXPECT_EQ(find_model("gpt2-tiny").create(o)->workload_counts().at("quant_linears"), 8);  // 2 x 4 Conv1D
  EXPECT_EQ(find_model("mixtral-tiny").create(o)->workload_counts().count("int8_outlier_columns_mean"), 0u);
  o.quant = "none";
  EXPECT_TRUE(find_model("gpt2-tiny").create(o)->workload_counts().empty());
}

TEST(QuantizedTinyModels, TheLmHeadStaysInTheBaseDtype) {
  ModelOptions o;
  o.quant = "int8-lt";
  auto m = find_model("llama3-tiny").create(o);
  int64_t linears = 0;
  for (const auto& item : m->module().named_modules()) {
    auto linear = std::dynamic_pointer_cast<hf::LinearImpl>(item.value());
    if (!linear) continue;
    ++linears;
    EXPECT_EQ(linear->quantized != nullptr, item.key() != "lm_head") << item.key();
  }
  EXPECT_EQ(linears, 15);  // 14 projections and the LM head
}

}  // namespace
}  // namespace ngbench::models::quant
