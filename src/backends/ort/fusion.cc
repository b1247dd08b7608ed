#include "backends/ort/fusion.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace ngbench::onnx {

namespace {

bool is_constant(const Node& n) { return n.op_type == "Constant" && (n.domain.empty() || n.domain == "ai.onnx"); }

}  // namespace

std::string FusedNode::pattern() const {
  std::string s;
  for (const auto& c : constituents) s += (s.empty() ? "" : "+") + c;
  return s;
}

FusionAnalysis analyze_fusion(const Model& original, const Model& optimized, const taxonomy::Taxonomy& taxonomy) {
  const auto& on = original.nodes;
  const auto& pn = optimized.nodes;
  auto gemm_side = [&](const std::string& op) {
    return taxonomy.groups()[taxonomy.op_group(op)].side == Side::kGemm;
  };

  // Original tensors -> producing node.
  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < on.size(); ++i) {
    for (const auto& t : on[i].outputs) {
      if (!t.empty()) producer[t] = i;
    }
  }
  std::unordered_set<std::string> opt_constants;
  for (const auto& t : optimized.initializers) opt_constants.insert(t.name);
  for (const auto& n : pn) {
    if (is_constant(n)) {
      for (const auto& t : n.outputs) opt_constants.insert(t);
    }
  }

  // Kept: same name and op type, or (unnamed) same op type and first output.
  std::unordered_map<std::string, size_t> opt_by_name, opt_by_output;
  for (size_t j = 0; j < pn.size(); ++j) {
    if (!pn[j].name.empty()) opt_by_name[pn[j].name + '\x1f' + pn[j].op_type] = j;
    if (!pn[j].outputs.empty()) opt_by_output[pn[j].outputs[0] + '\x1f' + pn[j].op_type] = j;
  }
  constexpr long kNone = -1;
  std::vector<long> kept_as(on.size(), kNone);  // optimized node index
  std::vector<long> match_of(pn.size(), kNone);  // original node index
  for (size_t i = 0; i < on.size(); ++i) {
    long j = kNone;
    if (!on[i].name.empty()) {
      const auto it = opt_by_name.find(on[i].name + '\x1f' + on[i].op_type);
      if (it != opt_by_name.end()) j = static_cast<long>(it->second);
    } else if (!on[i].outputs.empty()) {
      const auto it = opt_by_output.find(on[i].outputs[0] + '\x1f' + on[i].op_type);
      if (it != opt_by_output.end()) j = static_cast<long>(it->second);
    }
    if (j != kNone && match_of[static_cast<size_t>(j)] == kNone) {
      kept_as[i] = j;
      match_of[static_cast<size_t>(j)] = static_cast<long>(i);
    }
  }

  // Claims, in the optimized graph's (topological) order.
  std::vector<long> claimed_by(on.size(), kNone);
  FusionAnalysis a;
  std::vector<long> fused_index(pn.size(), kNone);
  for (size_t j = 0; j < pn.size(); ++j) {
    const Node& n = pn[j];
    if (is_constant(n)) continue;
    std::unordered_set<std::string> own;  // tensors the matched original node already produced
    if (match_of[j] != kNone) {
      for (const auto& t : on[static_cast<size_t>(match_of[j])].outputs) own.insert(t);
    }
    const std::unordered_set<std::string> inputs(n.inputs.begin(), n.inputs.end());
    std::vector<std::string> stack;
    for (const auto& t : n.outputs) {
      if (!t.empty() && !own.count(t)) stack.push_back(t);
    }
    std::vector<size_t> taken;
    while (!stack.empty()) {
      const std::string t = stack.back();
      stack.pop_back();
      if (inputs.count(t) || opt_constants.count(t)) continue;
      const auto it = producer.find(t);
      if (it == producer.end()) continue;
      const size_t p = it->second;
      if (kept_as[p] != kNone || claimed_by[p] != kNone || is_constant(on[p])) continue;
      claimed_by[p] = static_cast<long>(j);
      taken.push_back(p);
      for (const auto& in : on[p].inputs) {
        if (!in.empty()) stack.push_back(in);
      }
    }
    if (taken.empty()) {
      if (match_of[j] == kNone) ++a.new_unmatched;
      continue;
    }
    FusedNode f;
    f.name = n.name;
    f.op_type = n.op_type;
    f.domain = n.domain;
    f.kept = match_of[j] != kNone;
    if (f.kept) taken.push_back(static_cast<size_t>(match_of[j]));
    std::sort(taken.begin(), taken.end());
    f.with_gemm = gemm_side(n.op_type);
    for (size_t p : taken) {
      f.constituents.push_back(on[p].op_type);
      f.with_gemm = f.with_gemm || gemm_side(on[p].op_type);
    }
    f.replacement = !f.kept && taken.size() == 1;
    const auto act = n.attributes.find("activation");
    if (act != n.attributes.end()) f.activation = act->second;
    fused_index[j] = static_cast<long>(a.fused.size());
    a.fused.push_back(std::move(f));
  }

  // Folded: removed nodes that computed (alone or with others) a constant of the optimized graph.
  std::vector<bool> folded(on.size(), false);
  {
    std::vector<std::string> stack;
    for (const auto& t : opt_constants) stack.push_back(t);
    while (!stack.empty()) {
      const std::string t = stack.back();
      stack.pop_back();
      const auto it = producer.find(t);
      if (it == producer.end()) continue;
      const size_t p = it->second;
      if (kept_as[p] != kNone || claimed_by[p] != kNone || folded[p]) continue;
      folded[p] = true;
      for (const auto& in : on[p].inputs) {
        if (!in.empty()) stack.push_back(in);
      }
    }
  }

  // Fates of the original nodes.
  std::map<std::string, NodeTypeFate> fates;
  for (size_t i = 0; i < on.size(); ++i) {
    if (is_constant(on[i])) continue;
    ++a.original_nodes;
    if (gemm_side(on[i].op_type)) {
      ++a.original_gemm;
      continue;
    }
    ++a.original_non_gemm;
    NodeTypeFate& f = fates[on[i].op_type];
    f.type = on[i].op_type;
    f.group = taxonomy.groups()[taxonomy.op_group(on[i].op_type)].name;
    ++f.original;
    if (kept_as[i] != kNone) {
      // A kept node that took in others in place is still a node of its own.
      ++f.kept;
      ++a.kept_non_gemm;
    } else if (claimed_by[i] != kNone) {
      const FusedNode& by = a.fused[static_cast<size_t>(fused_index[static_cast<size_t>(claimed_by[i])])];
      if (by.replacement) {
        ++f.replaced;
        ++a.replaced_non_gemm;
      } else if (by.with_gemm) {
        ++f.fused_with_gemm;
        ++a.fused_with_gemm;
      } else {
        ++f.fused_non_gemm;
        ++a.fused_non_gemm;
      }
    } else {
      if (folded[i]) {
        ++f.folded;
        ++a.folded_non_gemm;
      } else {
        ++f.removed;
        ++a.removed_non_gemm;
      }
    }
  }
  for (const auto& n : pn) a.optimized_nodes += is_constant(n) ? 0 : 1;
  for (auto& [op, f] : fates) a.by_type.push_back(std::move(f));
  std::stable_sort(a.by_type.begin(), a.by_type.end(),
                   [](const NodeTypeFate& x, const NodeTypeFate& y) { return x.original > y.original; });
  std::map<std::tuple<std::string, std::string, bool, bool>, int64_t> patterns;
  for (const auto& f : a.fused) ++patterns[{f.op_type, f.pattern(), f.with_gemm, f.replacement}];
  for (const auto& [k, n] : patterns) {
    a.patterns.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n});
  }
  a.analyzed = true;
  a.method =
      "ONNX Runtime keeps no provenance: nodes matched by name and op type; removed original nodes assigned to the "
      "optimized node whose outputs they computed, by walking the original graph back from its outputs to its "
      "inputs (docs/onnxruntime.md); an estimate where the optimizer renames tensors inside a pattern";
  return a;
}

}  // namespace ngbench::onnx
