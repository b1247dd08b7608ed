#pragma once
// Runs a function under libtorch's Kineto profiler (CPU and CUDA activities)
// and converts what it recorded into a ProfiledTrace.
#include <functional>

#include "core/op_record.h"

namespace ngbench::backends::cuda {

inline constexpr const char* kIterationScope = "ngbench::iteration";

struct KinetoOptions {
  bool record_shapes = true;
};

// Calls `body` with the profiler on. `body` must open one USER_SCOPE record
// function named kIterationScope per iteration (and synchronize the device
// inside it); those become the iteration spans, and the thread that opens
// them becomes thread 0.
ProfiledTrace profile_with_kineto(const KinetoOptions& options, const std::function<void()>& body);

}  // namespace ngbench::backends::cuda
