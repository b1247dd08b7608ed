#pragma once
// Flow inductor: a model compiled ahead of time by TorchInductor
// (AOTInductor, torch._inductor.aoti_compile_and_package), run from C++ with
// torch::inductor::AOTIModelPackageLoader; no Python at run time. A built-in
// model's package is compiled on first use by tools/export_aoti.py and cached
// (package_config.h); `--aoti FILE.pt2` runs a given package. The package is
// compiled with per-kernel profiling ranges and kernel provenance: the
// operator observer (CPU) or Kineto (CUDA) records every kernel, and the
// provenance says what each computes (kernel_analysis.h, trace_labels.h).
// docs/inductor.md describes the flow.
//
// This header does not include libtorch.
#include "backends/backend.h"

namespace ngbench::backends {

// Flow inductor on the CPU.
BackendEntry inductor_cpu_backend_entry();

#ifdef NGBENCH_INDUCTOR_CUDA
// Flow inductor on CUDA (-DNGBENCH_CUDA=ON): Triton kernels, Kineto.
BackendEntry inductor_cuda_backend_entry();
#endif

}  // namespace ngbench::backends
