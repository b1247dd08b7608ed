#pragma once
// Flow eager on device cuda (-DNGBENCH_CUDA=ON): the built-in models on an
// NVIDIA GPU through libtorch.
//
// run(): CUDA events around the forward pass on the current stream,
// synchronized; the runner takes the event time as the iteration's. Energy:
// NVML's cumulative counter (nvml_energy.h). Profiling: libtorch's Kineto
// profiler (CPU ops, module scopes, CUDA runtime calls and device activity),
// converted to OpRecords and DeviceRecords whose kernels are linked to the op
// that launched them (attribution/device.h).
#include "backends/backend.h"

namespace ngbench::backends {

BackendEntry cuda_backend_entry();

}  // namespace ngbench::backends
