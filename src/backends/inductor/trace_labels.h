#pragma once
// Turns the records of a profiled AOTInductor package into what attribution
// classifies (no libtorch):
//  - each kernel range on the model's thread (cpp.enable_kernel_profile opens one
//    per generated kernel, "graph_0_cpp_fused_...", and one per extern call,
//    "aoti_torch_cpu_addmm_out") is matched with its call in the provenance: the
//    k-th range of a kernel in an iteration is the k-th call of that kernel in
//    wrapper order. It becomes a scope record naming the kernel and the aten targets
//    it was made from, holding an op record the taxonomy classifies: a generated
//    kernel's derived group ("kernel:Normalization", "kernel:Fused non-GEMM"), an
//    extern call's own name (the shim table). A range no call matches keeps its
//    name (a generated kernel's: "kernel:Unclassified"), so nothing is dropped;
//  - the time between kernels in each iteration (the wrapper: allocation,
//    argument set-up, the profiler's own bookkeeping) becomes explicit records
//    named ProvenanceRules::wrapper, so units + wrapper = the iteration's wall time;
//  - with `layer_scope`, the records of a call that computes nodes of a repeated
//    layer (and the wrapper time before it) sit inside a scope of that name, which
//    depth scaling (--layers) scales.
#include <string>

#include "backends/inductor/kernel_analysis.h"
#include "core/op_record.h"

namespace ngbench::inductor {

struct LabelStats {
  int64_t ranges = 0;     // kernel ranges on the model's thread inside iterations
  int64_t matched = 0;    // of those, matched with a call of the provenance
  int64_t wrapper_records = 0;
};

// Rewrites `trace` in place (records re-indexed; parents before children, start
// order per thread kept; device records stay linked to their launching range,
// whose op record they then name).
LabelStats label_trace(ProfiledTrace& trace, const KernelAnalysis& analysis, const std::string& layer_scope = "");

}  // namespace ngbench::inductor
