#pragma once
// ONNX Runtime backend (flow "ort", CPU execution provider): runs an ONNX model
// file, times it in one session with profiling off, then profiles it in a
// second session with ORT's own profiler and turns the profile into a
// ProfiledTrace (ort_profile.h). docs/onnxruntime.md describes the flow.
//
// Compiled only when ONNX Runtime is found (cmake/Onnxruntime.cmake); this
// header does not include ONNX Runtime's.
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace ngbench::backends {

// The registry's entry of flow ort, with its checks (ort_config.h) and memory estimate.
BackendEntry ort_backend_entry();

// "onnxruntime <version>" of the library loaded at run time.
std::string ort_runtime_version();

}  // namespace ngbench::backends
