// The one list of backends. Optional runtimes add their entries under their own
// CMake option (docs/adding-a-backend.md); a flow or device this build lacks is
// named with how to get it.
#include <algorithm>
#include <string>

#include "backends/backend.h"
#include "backends/eager_backend.h"
#include "core/error.h"
#ifdef NGBENCH_HAVE_CUDA
#include "backends/cuda/cuda_backend.h"
#endif
#ifdef NGBENCH_HAVE_ORT
#include "backends/ort/ort_backend.h"
#endif
#ifdef NGBENCH_HAVE_INDUCTOR
#include "backends/inductor/inductor_backend.h"
#endif

namespace ngbench::backends {

namespace {

// Flows and devices ngbench knows but this build lacks, with how to get them.
struct Absent {
  const char* flow;
  const char* device;  // nullptr: the whole flow is absent
  const char* what;
  const char* hint;
};

const std::vector<Absent>& absent() {
  static const std::vector<Absent> list = {
#ifndef NGBENCH_HAVE_ORT
      {"ort", nullptr, "ONNX Runtime", NGBENCH_ORT_HINT},
#endif
#ifndef NGBENCH_HAVE_CUDA
      {"eager", "cuda", "CUDA", "configure with -DNGBENCH_CUDA=ON on a machine with the CUDA toolkit (docs/gpu.md)"},
#endif
#ifndef NGBENCH_HAVE_INDUCTOR
      {"inductor", nullptr, "TorchInductor (AOTInductor)", "configure with -DNGBENCH_INDUCTOR=ON (docs/inductor.md)"},
#elif !defined(NGBENCH_INDUCTOR_CUDA)
      {"inductor", "cuda", "CUDA", "configure with -DNGBENCH_CUDA=ON on a machine with the CUDA toolkit (docs/gpu.md)"},
#endif
  };
  return list;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

const std::vector<BackendEntry>& backend_registry() {
  static const std::vector<BackendEntry> registry = {
      eager_cpu_backend_entry(),
#ifdef NGBENCH_HAVE_CUDA
      cuda_backend_entry(),
#endif
#ifdef NGBENCH_HAVE_ORT
      ort_backend_entry(),
#endif
#ifdef NGBENCH_HAVE_INDUCTOR
      inductor_cpu_backend_entry(),
#endif
#ifdef NGBENCH_INDUCTOR_CUDA
      inductor_cuda_backend_entry(),
#endif
  };
  return registry;
}

const std::string& default_flow() { return backend_registry().front().flow; }

std::vector<std::string> flows() {
  std::vector<std::string> out;
  for (const auto& e : backend_registry()) {
    if (std::find(out.begin(), out.end(), e.flow) == out.end()) out.push_back(e.flow);
  }
  return out;
}

const BackendEntry& find_backend(const std::string& flow_or_default, const std::string& device) {
  const std::string& flow = flow_or_default.empty() ? default_flow() : flow_or_default;
  std::vector<std::string> devices;
  for (const auto& e : backend_registry()) {
    if (e.flow != flow) continue;
    if (e.device == device) return e;
    devices.push_back(e.device);
  }
  for (const auto& a : absent()) {
    if (flow != a.flow) continue;
    if (a.device == nullptr) {
      throw Error("flow '" + flow + "' (" + a.what + ") is not in this build: " + a.hint);
    }
    if (device == a.device) {
      throw Error("device '" + device + "' (" + a.what + ") is not in this build of flow '" + flow + "': " + a.hint +
                  "; valid here: " + join(devices));
    }
  }
  if (devices.empty()) throw Error("unknown flow '" + flow + "'; valid: " + join(flows()));
  throw Error("device '" + device + "' is not supported by flow '" + flow + "'; valid: " + join(devices));
}

std::vector<FlowOption> backend_options() {
  std::vector<FlowOption> out;
  for (const auto& e : backend_registry()) {
    for (const auto& o : e.options) {
      const bool known = std::any_of(out.begin(), out.end(), [&](const FlowOption& f) { return f.option.name == o.name; });
      if (!known) out.push_back({e.flow, o});
    }
  }
  return out;
}

}  // namespace ngbench::backends
