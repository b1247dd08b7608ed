#pragma once
// What ONNX Runtime's graph optimizer did to a model: which original nodes it
// kept, which it fused into other nodes (with a GEMM or among non-GEMM ops),
// which it folded into constants or removed. The paper's fusion rate (Table V)
// is the fraction of original non-GEMM nodes that ended up inside fused nodes.
//
// ORT keeps no provenance, so nodes are matched by name and data flow:
//  - an original node is kept when the optimized graph has a node of the same
//    name and op type (or, unnamed, the same op type and first output);
//  - an optimized node takes in ("fuses") the removed original nodes that lie
//    between its inputs and its outputs: walking back from each of its output
//    tensors through the original graph's producers, over nodes that are not
//    kept and not taken yet, stopping at its own input tensors, at constants
//    of the optimized graph and at kept nodes. Fusions rewrite tensors at
//    their boundary only (the fused node takes over the last node's output),
//    so this recovers the fused subgraph; nodes in the optimized graph's order
//    (topological) claim first. It is an estimate where an optimizer renames
//    tensors inside a pattern (then nodes count as removed, never as fused);
//  - an optimized node that took in a single original node replaced it (Gather
//    -> Squeeze, Conv -> NCHWc Conv + ReorderOutput): no fusion, counted apart;
//  - a removed node that no optimized node takes in was folded into a constant
//    (it computed, alone or with other removed nodes, a tensor that is an
//    initializer of the optimized graph) or removed (Identity, Dropout,
//    redundant casts and reshapes).
// Constant nodes are not counted: ORT turns them into initializers on loading.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backends/ort/onnx_model.h"
#include "core/run_result.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::onnx {

// An optimized node that took in original nodes.
struct FusedNode {
  std::string name;       // node name in the optimized graph
  std::string op_type;
  std::string domain;
  bool kept = false;      // an original node that took in its neighbours in place (Conv+BatchNormalization)
  bool with_gemm = false;  // a GEMM-side op among its constituents or its own type
  bool replacement = false;  // took in exactly one original node (Gather -> Squeeze, Conv -> NCHWc): no fusion
  std::vector<std::string> constituents;  // op types of the original nodes it covers, in graph order
  std::string activation;  // its "activation" attribute, when it has one
  std::string pattern() const;  // "MatMul+Mul", "Conv+BatchNormalization+Relu"
};

// The counts of the fusion study (core/run_result.h), plus every fused node.
struct FusionAnalysis : FusionSummary {
  std::vector<FusedNode> fused;
};

// Compares `original` with `optimized` (the same model after ORT's graph
// optimizations, e.g. SessionOptions::SetOptimizedModelFilePath); `taxonomy`
// decides which op types are on the GEMM side.
FusionAnalysis analyze_fusion(const Model& original, const Model& optimized, const taxonomy::Taxonomy& taxonomy);

}  // namespace ngbench::onnx
