#pragma once
// What each kernel call of an AOTInductor package computes, from its
// provenance (provenance.h) and the exported graph (sidecar.h), and what the
// compiler did to every non-GEMM node of that graph (the fusion rate). No
// libtorch. docs/inductor.md describes the rules; taxonomy/inductor.json holds
// their data ("provenance").
//
// A node's group is the eager taxonomy's (taxonomy/eager.json): the outermost
// enclosing module a scope rule names (NewGELUActivation -> Activation), else
// its aten target's op rule. A generated kernel (C++ or Triton) takes the group
// of the nodes it computes:
//  - GEMM-side nodes that an extern call also lists are that call's work (the
//    generated kernel only computed an input or epilogue of it, e.g. SDPA's mask)
//    and do not count for the generated kernel;
//  - nodes that do no work of their own (views, identities) do not decide the
//    group unless nothing else is left;
//  - a kernel whose nodes are all such GEMM nodes moves data for the extern call
//    (a layout change or padding of its input): ProvenanceRules::gemm_input;
//  - one group -> that group; GEMM-side and non-GEMM nodes -> "Fused GEMM+non-GEMM";
//    several non-GEMM groups -> "Fused non-GEMM"; no known node -> Unclassified.
// Extern calls (C shims such as aoti_torch_cpu_addmm_out) keep their name: the
// flow's taxonomy classifies them (the shim table). A GEMM call that can take in
// an epilogue (ProvenanceRules::epilogue_shims: oneDNN's linear/convolution
// pointwise) and whose provenance lists a non-GEMM node first (the node a call
// computes comes first; its inputs follow) took that node in as its epilogue:
// it is named "<shim>+<target>" (the taxonomy: Fused GEMM+non-GEMM), and no
// generated kernel that also lists the node (reading its output) counts it.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/inductor/provenance.h"
#include "backends/inductor/sidecar.h"
#include "core/run_result.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::inductor {

// The "provenance" section of a flow's rule file (taxonomy/inductor.json).
struct ProvenanceRules {
  std::string label_prefix = "kernel:";             // generated kernels' records: "<prefix><group>"
  std::string fused_non_gemm = "Fused non-GEMM";    // several non-GEMM groups in one kernel
  std::string fused_gemm = "Fused GEMM+non-GEMM";   // GEMM and non-GEMM work in one kernel
  std::string wrapper = "wrapper";                  // the records of the time between kernels
  std::string gemm_input = "Memory";                // a kernel that only prepares an extern GEMM call's input
  std::set<std::string> no_work_ops;                // views and identities: no work of their own
  std::vector<std::string> epilogue_shims;          // extern GEMM calls that can take in non-GEMM work (regexes)
  std::set<std::string> ignored_nodes;              // not operators (assertions, symbolic sizes)
};

// Reads the "provenance" section of a rule file's text; the defaults above for
// what it leaves out. Throws ngbench::Error naming `source` for a malformed section.
ProvenanceRules parse_provenance_rules(const std::string& rule_file_text, const std::string& source);

// One kernel call, analyzed.
struct CallInfo {
  KernelCall call;
  bool generated = false;           // C++/Triton kernel of Inductor's (else an extern call)
  std::vector<size_t> nodes;        // sidecar nodes it lists (known and counted), in provenance order
  std::vector<size_t> work;         // of those, what it computes (generated: GEMM nodes of extern calls removed)
  std::string group;                // generated: the group its label names; extern: "" (the taxonomy decides)
  std::string label;                // its record's name: "kernel:Normalization"; an extern call's kernel, or
                                    // "<kernel>+<targets>" with an epilogue
  std::string scope;                // the record's scope: "<kernel> {aten::a+aten::b}"
  std::optional<size_t> epilogue;   // extern GEMM call: the non-GEMM node it took in as its epilogue
  bool gemm_work = false;           // computes GEMM work (a GEMM-side node among `work`, or a GEMM-side extern)
  bool in_layer = false;            // a node of `work` lies in a repeated layer (Sidecar::layer_class)
};

class KernelAnalysis {
 public:
  // `node_taxonomy` classifies the graph's nodes (the eager rules); `flow_taxonomy`
  // the records (an extern call's group and side come from its kernel name).
  KernelAnalysis(const Sidecar& sidecar, std::vector<KernelCall> calls, const taxonomy::Taxonomy& node_taxonomy,
                 const taxonomy::Taxonomy& flow_taxonomy, ProvenanceRules rules);

  const std::vector<CallInfo>& calls() const { return calls_; }
  const ProvenanceRules& rules() const { return rules_; }
  // The group of sidecar node i (a group name of the node taxonomy).
  const std::string& node_group(size_t i) const { return node_group_[i]; }
  // Whether node i is an operator the fusion rate counts.
  bool counted(size_t i) const { return counted_[i]; }

  // Every counted non-GEMM node of the exported graph with its fate (the
  // fusion rate, per aten target and group); see docs/inductor.md.
  FusionSummary fusion() const;

 private:
  Sidecar sidecar_;
  ProvenanceRules rules_;
  std::vector<CallInfo> calls_;
  std::vector<std::string> node_group_;
  std::vector<bool> node_gemm_, counted_;
};

// The text of FusionSummary::method for this flow.
std::string fusion_method();

}  // namespace ngbench::inductor
