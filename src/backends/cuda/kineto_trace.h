#pragma once
// libtorch's Kineto profiler (CPU and CUDA activities) around the profiled
// phase, and what it recorded as a ProfiledTrace.
#include "core/op_record.h"

namespace ngbench::backends::cuda {

// The USER_SCOPE record function that marks one profiled iteration.
inline constexpr const char* kIterationScope = "ngbench::iteration";

struct KinetoOptions {
  bool record_shapes = true;
};

// Turns the profiler on (CPU ops, module scopes, CUDA runtime calls and device activity).
void start_kineto(const KinetoOptions& options);

// Turns it off and converts what it recorded. Each profiled iteration must
// have been one USER_SCOPE record function named kIterationScope, with the
// device synchronized inside it; those become the iteration spans, the thread
// that opened them thread 0, and what ran before the first of them is left
// out. Throws ngbench::Error when no iteration was recorded.
ProfiledTrace stop_kineto();

}  // namespace ngbench::backends::cuda
