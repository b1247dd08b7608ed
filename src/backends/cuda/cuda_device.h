#pragma once
// What every flow on device 'cuda' checks first (flow cuda, inductor's CUDA entry).

namespace ngbench::backends::cuda {

// Throws ngbench::Error (one line, the valid devices) unless libtorch sees an NVIDIA GPU.
void require_gpu();

}  // namespace ngbench::backends::cuda
