// The fusion analysis: hand-made graphs for each fate, and the committed tiny
// GPT-2 export against ORT's optimized graph of it (ORT_ENABLE_ALL, CPU, as
// --keep-ort-files writes it: the graph only; its weights file is not
// committed, the reader skips tensor data).
#include "backends/ort/fusion.h"

#include <gtest/gtest.h>

#include "taxonomy/taxonomy.h"

namespace ngbench::onnx {
namespace {

const std::string kData = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/ort/data/";

Node node(const std::string& name, const std::string& op, std::vector<std::string> in, std::vector<std::string> out) {
  Node n;
  n.name = name;
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}

const taxonomy::Taxonomy& ort_rules() {
  static const auto t = taxonomy::Taxonomy::builtin("ort");
  return t;
}

TEST(Fusion, EachFateOfANonGemmNode) {
  Model original;
  original.nodes = {node("mm", "MatMul", {"x", "w"}, {"a"}),        node("add", "Add", {"a", "b"}, {"c"}),
                    node("relu", "Relu", {"c"}, {"y"}),             node("id", "Identity", {"y"}, {"z"}),
                    node("shape", "Shape", {"x"}, {"s"}),           node("wshape", "Shape", {"w"}, {"ws"}),
                    node("k", "Constant", {}, {"kk"}),              node("erf", "Erf", {"z"}, {"e"}),
                    node("mul", "Mul", {"e", "kk"}, {"out"})};
  Model optimized;
  Node fused = node("mm/fused", "FusedGemm", {"x", "w", "b"}, {"y"});
  fused.attributes["activation"] = "Relu";
  optimized.nodes = {fused, node("shape", "Shape", {"x"}, {"s"}), node("gelu", "Gelu", {"y"}, {"out"})};
  optimized.initializers = {{"ws", kInt64, {2}, ""}};  // Shape(w) folded into a constant
  const auto a = analyze_fusion(original, optimized, ort_rules());
  EXPECT_EQ(a.original_nodes, 8);  // Constant is not counted
  EXPECT_EQ(a.original_gemm, 1);
  EXPECT_EQ(a.original_non_gemm, 7);
  EXPECT_EQ(a.fused_with_gemm, 2);   // Add, Relu into FusedGemm
  EXPECT_EQ(a.fused_non_gemm, 3);    // Identity, Erf, Mul into Gelu (Identity lies between its input and output)
  EXPECT_EQ(a.kept_non_gemm, 1);     // Shape(x)
  EXPECT_EQ(a.folded_non_gemm, 1);   // Shape(w)
  EXPECT_EQ(a.removed_non_gemm, 0);
  EXPECT_EQ(a.replaced_non_gemm, 0);
  EXPECT_EQ(a.kept_non_gemm + a.replaced_non_gemm + a.fused_with_gemm + a.fused_non_gemm + a.folded_non_gemm + a.removed_non_gemm,
            a.original_non_gemm);
  ASSERT_EQ(a.fused.size(), 2u);
  EXPECT_EQ(a.fused[0].pattern(), "MatMul+Add+Relu");
  EXPECT_EQ(a.fused[0].activation, "Relu");
  EXPECT_TRUE(a.fused[0].with_gemm);
  EXPECT_EQ(a.fused[1].pattern(), "Identity+Erf+Mul");
  EXPECT_FALSE(a.fused[1].with_gemm);
  EXPECT_NEAR(a.fusion_rate(), 5.0 / 7.0, 1e-12);
  EXPECT_NEAR(a.fusion_rate_with_gemm() + a.fusion_rate_non_gemm(), a.fusion_rate(), 1e-12);
}

TEST(Fusion, InPlaceFusionIntoAKeptGemm) {
  // ORT folds BatchNormalization into the Conv's weights: the Conv keeps its name and takes over BN's output.
  Model original;
  original.nodes = {node("conv", "Conv", {"x", "w"}, {"c"}), node("bn", "BatchNormalization", {"c", "s", "b", "m", "v"}, {"y"}),
                    node("drop", "Dropout", {"y"}, {"d"}), node("out", "Relu", {"d"}, {"r"})};
  Model optimized;
  optimized.nodes = {node("conv", "Conv", {"x", "w2", "b2"}, {"y"}), node("out", "Relu", {"y"}, {"r"})};
  const auto a = analyze_fusion(original, optimized, ort_rules());
  EXPECT_EQ(a.original_non_gemm, 3);
  EXPECT_EQ(a.fused_with_gemm, 1);
  EXPECT_EQ(a.kept_non_gemm, 1);
  EXPECT_EQ(a.removed_non_gemm, 1);  // Dropout eliminated
  ASSERT_EQ(a.fused.size(), 1u);
  EXPECT_TRUE(a.fused[0].kept);
  EXPECT_EQ(a.fused[0].pattern(), "Conv+BatchNormalization");
}

TEST(Fusion, ReplacementsAndFoldedChainsAreNoFusion) {
  // ORT swaps a Gather with a scalar index for a Squeeze (one for one), and folds a mask computed from
  // constants (ConstantOfShape -> ScatterND -> Add) into one initializer.
  Model original;
  original.nodes = {node("g", "Gather", {"x", "idx"}, {"a"}),         node("r", "Relu", {"a"}, {"b"}),
                    node("z", "ConstantOfShape", {"shp"}, {"c0"}),   node("s", "ScatterND", {"c0", "i", "u"}, {"c1"}),
                    node("k", "Add", {"c1", "one"}, {"mask"}),       node("out", "Add", {"b", "mask"}, {"y"})};
  Model optimized;
  optimized.nodes = {node("g/squeeze", "Squeeze", {"x", "axes"}, {"a"}), node("r", "Relu", {"a"}, {"b"}),
                     node("out", "Add", {"b", "mask"}, {"y"})};
  optimized.initializers = {{"mask", kFloat, {1, 8}, ""}, {"axes", kInt64, {1}, ""}};
  const auto a = analyze_fusion(original, optimized, ort_rules());
  EXPECT_EQ(a.original_non_gemm, 6);
  EXPECT_EQ(a.replaced_non_gemm, 1);
  EXPECT_EQ(a.kept_non_gemm, 2);
  EXPECT_EQ(a.folded_non_gemm, 3);
  EXPECT_EQ(a.fusion_rate(), 0.0);
  ASSERT_EQ(a.fused.size(), 1u);
  EXPECT_TRUE(a.fused[0].replacement);
}

TEST(Fusion, TinyGpt2AgainstOrtsOptimizedGraph) {
  const Model original = load_model(kData + "gpt2-tiny.onnx");
  const Model optimized = load_model(kData + "gpt2-tiny.optimized.onnx");
  const auto a = analyze_fusion(original, optimized, ort_rules());
  EXPECT_GT(a.original_non_gemm, 50);
  EXPECT_EQ(a.kept_non_gemm + a.replaced_non_gemm + a.fused_with_gemm + a.fused_non_gemm + a.folded_non_gemm + a.removed_non_gemm,
            a.original_non_gemm);
  EXPECT_GT(a.fused_with_gemm, 0);
  EXPECT_GT(a.fused_non_gemm, 0);
  bool gelu = false, scale = false, skip_ln = false;
  for (const auto& f : a.fused) {
    if (f.op_type == "FastGelu") gelu = !f.with_gemm && f.pattern().find("Tanh") != std::string::npos;
    if (f.op_type == "FusedMatMul") scale = f.with_gemm && f.pattern().find("MatMul") != std::string::npos;
    if (f.op_type == "SkipLayerNormalization") skip_ln = f.pattern().find("LayerNormalization") != std::string::npos;
  }
  EXPECT_TRUE(gelu) << "FastGelu should cover the tanh GELU chain";
  EXPECT_TRUE(scale) << "FusedMatMul should cover a MatMul and its scaling";
  EXPECT_TRUE(skip_ln) << "SkipLayerNormalization should cover Add + LayerNormalization";
}

}  // namespace
}  // namespace ngbench::onnx
