// Map: rules (the rule file's "provenance" section) -> node groups -> calls
// (what each lists and computes, its group and label) -> fusion() (each
// counted non-GEMM node's fate).
#include "backends/inductor/kernel_analysis.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <unordered_map>

#include "core/error.h"

namespace ngbench::inductor {

namespace {

using nlohmann::json;

constexpr size_t kScopeTargets = 8;  // aten targets named in a record's scope, at most

std::set<std::string> string_set(const json& section, const char* key, const std::string& source) {
  std::set<std::string> out;
  const auto it = section.find(key);
  if (it == section.end()) return out;
  if (!it->is_array()) throw Error(source + ": provenance '" + key + "' must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) throw Error(source + ": provenance '" + key + "' must be an array of strings");
    out.insert(v.get<std::string>());
  }
  return out;
}

void string_field(const json& section, const char* key, std::string& out, const std::string& source) {
  const auto it = section.find(key);
  if (it == section.end()) return;
  if (!it->is_string()) throw Error(source + ": provenance '" + key + "' must be a string");
  out = it->get<std::string>();
}

// The scope-rule group of the outermost module that one names, else the target's op-rule group.
size_t node_group_index(const GraphNode& n, const taxonomy::Taxonomy& t) {
  for (const auto& m : n.modules) {
    if (const auto g = t.scope_group(m)) return *g;
  }
  return t.op_group(n.target);
}

std::string scope_name(const std::string& kernel, const std::vector<size_t>& nodes, const Sidecar& s) {
  std::vector<std::string> targets;
  for (size_t i : nodes) {
    if (std::find(targets.begin(), targets.end(), s.nodes[i].target) == targets.end()) {
      targets.push_back(s.nodes[i].target);
    }
  }
  if (targets.empty()) return kernel;
  std::string out = kernel + " {";
  for (size_t k = 0; k < targets.size() && k < kScopeTargets; ++k) out += (k ? "+" : "") + targets[k];
  if (targets.size() > kScopeTargets) out += "+" + std::to_string(targets.size() - kScopeTargets) + " more";
  return out + "}";
}

bool in_layer(const GraphNode& n, const std::string& layer_class) {
  return !layer_class.empty() && std::find(n.modules.begin(), n.modules.end(), layer_class) != n.modules.end();
}

}  // namespace

ProvenanceRules parse_provenance_rules(const std::string& rule_file_text, const std::string& source) {
  ProvenanceRules r;
  json doc;
  try {
    doc = json::parse(rule_file_text);
  } catch (const json::exception&) {  // malformed, truncated, or a number beyond double's range
    throw Error(source + ": malformed JSON");
  }
  const auto it = doc.find("provenance");
  if (it == doc.end()) return r;
  if (!it->is_object()) throw Error(source + ": 'provenance' must be an object");
  string_field(*it, "label_prefix", r.label_prefix, source);
  string_field(*it, "fused_non_gemm", r.fused_non_gemm, source);
  string_field(*it, "fused_gemm", r.fused_gemm, source);
  string_field(*it, "wrapper", r.wrapper, source);
  string_field(*it, "gemm_input", r.gemm_input, source);
  r.no_work_ops = string_set(*it, "no_work_ops", source);
  const auto shims = string_set(*it, "epilogue_shims", source);
  r.epilogue_shims.assign(shims.begin(), shims.end());
  for (const auto& p : r.epilogue_shims) {
    try {
      std::regex check(p);
    } catch (const std::regex_error&) {
      throw Error(source + ": provenance epilogue_shims: bad regex '" + p + "'");
    }
  }
  r.ignored_nodes = string_set(*it, "ignored_nodes", source);
  return r;
}

KernelAnalysis::KernelAnalysis(const Sidecar& sidecar, std::vector<KernelCall> calls,
                               const taxonomy::Taxonomy& node_taxonomy, const taxonomy::Taxonomy& flow_taxonomy,
                               ProvenanceRules rules)
    : sidecar_(sidecar), rules_(std::move(rules)) {
  // Node groups; which nodes count.
  const auto& groups = node_taxonomy.groups();
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < sidecar_.nodes.size(); ++i) {
    const GraphNode& n = sidecar_.nodes[i];
    index.emplace(n.name, i);
    const size_t g = node_group_index(n, node_taxonomy);
    node_group_.push_back(groups[g].name);
    node_gemm_.push_back(groups[g].side == Side::kGemm);
    counted_.push_back(n.is_op && !n.shapes.empty() && rules_.ignored_nodes.count(n.target) == 0);
  }

  // What each call lists; GEMM-side nodes that an extern call lists are its work.
  std::set<size_t> extern_gemm_nodes;
  for (auto& k : calls) {
    CallInfo c;
    c.generated = is_generated_kernel(k.kernel);
    for (const auto& name : k.pre_grad_nodes) {
      const auto it = index.find(name);
      if (it != index.end() && counted_[it->second]) c.nodes.push_back(it->second);
    }
    if (!c.generated) {
      for (size_t i : c.nodes) {
        if (node_gemm_[i]) extern_gemm_nodes.insert(i);
      }
    }
    c.call = std::move(k);
    calls_.push_back(std::move(c));
  }

  std::vector<std::regex> epilogue;
  for (const auto& p : rules_.epilogue_shims) epilogue.emplace_back(p);
  // The epilogue an extern GEMM call took in: the first node with work its provenance lists, when that is a
  // non-GEMM node (Inductor lists the node a call computes first, then its inputs and their origins: a frozen
  // Swin's fc2 lists [add (the residual sum it computes), gelu (its input), layer_norm, ...]; a plain linear lists
  // its linear or addmm first). Later generated kernels list the same node among what they read, so being listed
  // by a generated kernel does not mean computed there.
  std::set<size_t> epilogue_nodes;
  for (auto& c : calls_) {
    if (c.generated) continue;
    c.gemm_work = flow_taxonomy.groups()[flow_taxonomy.op_group(c.call.kernel)].side == Side::kGemm;
    const bool can_fuse = c.gemm_work && std::any_of(epilogue.begin(), epilogue.end(), [&](const std::regex& r) {
                            return std::regex_match(c.call.kernel, r);
                          });
    if (!can_fuse) continue;
    for (size_t i : c.nodes) {
      if (rules_.no_work_ops.count(sidecar_.nodes[i].target)) continue;
      if (!node_gemm_[i]) {
        c.epilogue = i;
        epilogue_nodes.insert(i);
      }
      break;
    }
  }

  for (auto& c : calls_) {
    c.scope = scope_name(c.call.kernel, c.nodes, sidecar_);
    if (!c.generated) {
      c.work = c.nodes;
      c.label = c.call.kernel;
      if (c.epilogue) c.label += "+" + sidecar_.nodes[*c.epilogue].target;
    } else {
      for (size_t i : c.nodes) {
        if (!(node_gemm_[i] && extern_gemm_nodes.count(i)) && !epilogue_nodes.count(i)) c.work.push_back(i);
      }
      std::vector<size_t> deciding;
      for (size_t i : c.work) {
        if (!rules_.no_work_ops.count(sidecar_.nodes[i].target)) deciding.push_back(i);
      }
      if (deciding.empty()) deciding = c.work;
      std::vector<std::string> gs;
      bool gemm = false, non_gemm = false;
      for (size_t i : deciding) {
        if (std::find(gs.begin(), gs.end(), node_group_[i]) == gs.end()) gs.push_back(node_group_[i]);
        (node_gemm_[i] ? gemm : non_gemm) = true;
      }
      if (gs.empty() && !c.nodes.empty()) {  // only GEMM nodes an extern call computes: it prepares their input
        c.group = rules_.gemm_input;
      } else if (gs.empty()) {
        c.group = taxonomy::kUnclassified;
      } else if (gs.size() == 1) {
        c.group = gs.front();
      } else if (gemm && non_gemm) {
        c.group = rules_.fused_gemm;
      } else if (gemm) {
        c.group = "GEMM";
      } else {
        c.group = rules_.fused_non_gemm;
      }
      c.gemm_work = gemm;
      c.label = rules_.label_prefix + c.group;
    }
    for (size_t i : c.work) c.in_layer = c.in_layer || in_layer(sidecar_.nodes[i], sidecar_.layer_class);
  }
}

FusionSummary KernelAnalysis::fusion() const {
  enum Fate { kNone, kKept, kFusedNonGemm, kFusedWithGemm };
  const size_t n = sidecar_.nodes.size();
  std::vector<int> generated(n, kNone), extern_fate(n, kNone);
  std::vector<bool> epilogue(n, false);
  FusionSummary f;
  f.analyzed = true;
  f.method = fusion_method();
  std::map<std::pair<std::string, std::string>, FusedPattern> patterns;
  for (const auto& c : calls_) {
    if (c.nodes.empty()) ++f.new_unmatched;
    if (c.generated) {
      const int fate = c.gemm_work ? kFusedWithGemm : c.work.size() >= 2 ? kFusedNonGemm : static_cast<int>(kKept);
      for (size_t i : c.work) generated[i] = std::max(generated[i], fate);
      if (c.work.size() >= 2) {
        std::string pattern;
        std::vector<std::string> seen;
        for (size_t i : c.work) {
          const std::string& t = sidecar_.nodes[i].target;
          if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
          seen.push_back(t);
          pattern += (pattern.empty() ? "" : "+") + t;
        }
        FusedPattern& p = patterns[{c.call.kernel, pattern}];
        p.type = c.call.kernel;
        p.pattern = pattern;
        p.with_gemm = c.gemm_work;
        ++p.count;
      }
    } else {
      if (c.epilogue) epilogue[*c.epilogue] = true;
      for (size_t i : c.nodes) extern_fate[i] = std::max<int>(extern_fate[i], c.gemm_work ? kFusedWithGemm : kKept);
    }
  }
  f.optimized_nodes = static_cast<int64_t>(calls_.size());
  std::map<std::string, NodeTypeFate> by_type;
  for (size_t i = 0; i < n; ++i) {
    if (!counted_[i]) continue;
    ++f.original_nodes;
    if (node_gemm_[i]) {
      ++f.original_gemm;
      continue;
    }
    ++f.original_non_gemm;
    const GraphNode& node = sidecar_.nodes[i];
    NodeTypeFate& t = by_type[node.target];
    t.type = node.target;
    t.group = node_group_[i];
    ++t.original;
    // An extern GEMM call's epilogue was computed there; a node listed by a generated kernel was computed there;
    // one only an extern call lists was taken in by it.
    const int fate = epilogue[i] ? static_cast<int>(kFusedWithGemm) : generated[i] != kNone ? generated[i] : extern_fate[i];
    if (fate == kFusedWithGemm) {
      ++f.fused_with_gemm;
      ++t.fused_with_gemm;
    } else if (fate == kFusedNonGemm) {
      ++f.fused_non_gemm;
      ++t.fused_non_gemm;
    } else if (fate == kKept) {
      ++f.kept_non_gemm;
      ++t.kept;
    } else if (node.depends_on == "none" || (node.depends_on == "params" && sidecar_.freezing)) {
      ++f.folded_non_gemm;
      ++t.folded;
    } else {
      ++f.removed_non_gemm;
      ++t.removed;
    }
  }
  for (auto& [_, t] : by_type) f.by_type.push_back(std::move(t));
  std::sort(f.by_type.begin(), f.by_type.end(),
            [](const NodeTypeFate& a, const NodeTypeFate& b) { return a.original != b.original ? a.original > b.original
                                                                                                 : a.type < b.type; });
  for (auto& [_, p] : patterns) f.patterns.push_back(std::move(p));
  std::sort(f.patterns.begin(), f.patterns.end(),
            [](const FusedPattern& a, const FusedPattern& b) { return a.count != b.count ? a.count > b.count
                                                                                           : a.type < b.type; });
  return f;
}

std::string fusion_method() {
  return "inductor provenance (an estimate): each non-GEMM operator node of the exported graph (the sidecar) is "
         "counted once, by the kernel calls whose provenance (kernel_information.json, pre-grad nodes) lists it: "
         "fused with a GEMM when a kernel that runs GEMM work lists it (an extern GEMM call that took it in as an "
         "epilogue or as strides, or a generated GEMM template), fused among non-GEMM when a generated kernel lists "
         "it with other nodes, kept when it ran alone (a kernel of its own or a library call), folded when no kernel "
         "lists it and it depends on no input (constants; weights under freezing), removed when no kernel lists it "
         "otherwise (views turned into reinterpretations, identities such as dropout, dead code); a node listed by "
         "several kernels (recomputed, or an extern call's input) takes the kernel that computed it";
}

}  // namespace ngbench::inductor
