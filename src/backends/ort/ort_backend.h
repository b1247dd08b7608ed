#pragma once
// Flow ort (ONNX Runtime, CPU execution provider): runs an ONNX model file,
// times it in one session with profiling off, then profiles it in a second
// session with ORT's own profiler and turns the profile into a ProfiledTrace
// (ort_profile.h). docs/onnxruntime.md describes the flow.
//
// Compiled only when ONNX Runtime is found (cmake/Onnxruntime.cmake); this
// header does not include ONNX Runtime's.
#include "backends/backend.h"

namespace ngbench::backends {

// The registry's entry of flow ort: its options, checks (ort_config.h) and memory estimate.
BackendEntry ort_backend_entry();

}  // namespace ngbench::backends
