// The ONNX Runtime taxonomy: every op type of the exported reference models,
// before and after ORT's graph optimizations, is classified; fused nodes are
// never plain GEMM.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "taxonomy/taxonomy.h"

namespace ngbench::taxonomy {
namespace {

std::string group_of(const Taxonomy& t, const std::string& op) { return t.groups()[t.op_group(op)].name; }

TEST(OrtTaxonomy, EveryOpTypeOfTheExportedModelsIsClassified) {
  // Written by `tools/export_onnx.py --op-types onnx/*.onnx` over every exported model (docs/onnxruntime.md).
  std::ifstream in(std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/ort/data/model_op_types.json");
  ASSERT_TRUE(in.good());
  const auto j = nlohmann::json::parse(in);
  const auto t = Taxonomy::builtin("ort");
  size_t models = 0;
  for (const auto& [model, graphs] : j.items()) {
    ++models;
    for (const char* which : {"original", "optimized"}) {
      for (const auto& op : graphs.at(which)) {
        EXPECT_NE(t.op_group(op), t.unclassified()) << model << " (" << which << "): " << op.get<std::string>();
      }
    }
  }
  EXPECT_GE(models, 7u);  // gpt2, bert-base-uncased, vit_b_16, swin_t, segformer-b0 and the two tiny ones
}

TEST(OrtTaxonomy, FusedNodesHaveTheirOwnRows) {
  const auto t = Taxonomy::builtin("ort");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"MatMul", "GEMM"},
      {"Gemm", "GEMM"},
      {"Conv", "GEMM"},
      {"FusedMatMul", "Fused GEMM+non-GEMM"},
      {"FusedConv", "Fused GEMM+non-GEMM"},
      {"FusedGemm", "Fused GEMM+non-GEMM"},
      {"MatMulNBits", "Fused GEMM+non-GEMM"},
      {"Conv+Relu", "Fused GEMM+non-GEMM"},  // an NCHWc Conv with a fused activation (named by the backend)
      {"Conv+Add+Relu", "Fused GEMM+non-GEMM"},
      {"Attention", "Fused attention"},
      {"MultiHeadAttention", "Fused attention"},
      {"GroupQueryAttention", "Fused attention"},
      {"LayerNormalization", "Normalization"},
      {"SkipLayerNormalization", "Normalization"},
      {"SimplifiedLayerNormalization", "Normalization"},
      {"SkipSimplifiedLayerNormalization", "Normalization"},
      {"Gelu", "Activation"},
      {"FastGelu", "Activation"},
      {"BiasGelu", "Activation"},
      {"QuickGelu", "Activation"},
      {"Softmax", "Logit computation"},
      {"BiasSoftmax", "Logit computation"},
      {"RotaryEmbedding", "Embedding"},
      {"DynamicQuantizeLinear", "Quantization"},
      {"QuantizeLinear", "Quantization"},
      {"DequantizeLinear", "Quantization"},
      {"NonMaxSuppression", "RoI selection"},
      {"RoiAlign", "RoI selection"},
      {"Resize", "Interpolation"},
      {"Reshape", "Memory"},
      {"Transpose", "Memory"},
      {"Gather", "Memory"},
      {"Where", "Memory"},
      {"Add", "Element-wise arithmetic"},
      {"GlobalAveragePool", "Pooling"},
  };
  for (const auto& [op, group] : cases) EXPECT_EQ(group_of(t, op), group) << op;
  EXPECT_EQ(t.groups()[*t.find_group("Fused GEMM+non-GEMM")].side, Side::kGemm);
  EXPECT_EQ(t.groups()[*t.find_group("Fused attention")].side, Side::kGemm);
  EXPECT_EQ(t.op_group("SomeFutureContribOp"), t.unclassified());
  for (size_t g = 0; g < t.unclassified(); ++g) {
    bool has_rule = false;
    for (const auto& r : t.rules()) has_rule = has_rule || r.group == g;
    EXPECT_TRUE(has_rule) << t.groups()[g].name;
  }
}

}  // namespace
}  // namespace ngbench::taxonomy
