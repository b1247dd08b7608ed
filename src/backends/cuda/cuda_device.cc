#include "backends/cuda/cuda_device.h"

#include <ATen/Context.h>
#include <c10/cuda/CUDAFunctions.h>

#include "core/error.h"

namespace ngbench::backends::cuda {

void require_gpu() {
  if (!at::hasCUDA() || c10::cuda::device_count() == 0) {
    throw Error("device 'cuda' needs an NVIDIA GPU, and none is visible to libtorch; valid here: cpu");
  }
}

}  // namespace ngbench::backends::cuda
