#pragma once
// The CUDA flow (-DNGBENCH_CUDA=ON): libtorch eager on an NVIDIA GPU.
//
// Timed phase: CUDA events around each forward pass on the current stream,
// synchronized; warm-up continues until the median of the last iterations is
// stable. Energy: NVML's cumulative counter around the timed phase. Profiled
// phase: libtorch's Kineto profiler (CPU ops, module scopes, CUDA runtime
// calls and device activity), converted to OpRecords and DeviceRecords whose
// kernels are linked to the op that launched them (attribution/device.h).
#include <memory>

#include "backends/backend.h"

namespace ngbench::backends {

std::unique_ptr<Backend> make_cuda_backend();

}  // namespace ngbench::backends
