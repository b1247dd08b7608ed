#include <string>

#include "backends/backend.h"
#include "backends/eager_backend.h"
#include "core/error.h"
#ifdef NGBENCH_HAVE_ORT
#include "backends/ort/ort_backend.h"
#endif

namespace ngbench::backends {

namespace {

// Flows ngbench knows but this build lacks, with how to get them; find_backend
// says so instead of "unknown flow".
struct AbsentFlow {
  const char* name;
  const char* what;
  const char* hint;
};

const std::vector<AbsentFlow>& absent_flows() {
  static const std::vector<AbsentFlow> absent = {
#ifndef NGBENCH_HAVE_ORT
      {"ort", "ONNX Runtime", NGBENCH_ORT_HINT},
#endif
  };
  return absent;
}

}  // namespace

const std::vector<BackendEntry>& backend_registry() {
  // The one list of backends. Optional runtimes add their entry under their
  // own CMake option (see docs/adding-a-backend.md).
  static const std::vector<BackendEntry> registry = {
      {"eager", "libtorch eager execution (the PyTorch flow)", eager_devices(), "eager",
       [] { return make_eager_backend(); }},
#ifdef NGBENCH_HAVE_ORT
      ort_backend_entry(),
#endif
  };
  return registry;
}

const BackendEntry& find_backend(const std::string& flow) {
  std::string valid;
  for (const auto& e : backend_registry()) {
    if (e.name == flow) return e;
    valid += (valid.empty() ? "" : ", ") + e.name;
  }
  for (const auto& a : absent_flows()) {
    if (flow == a.name) {
      throw Error("flow '" + flow + "' (" + a.what + ") is not in this build: " + a.hint);
    }
  }
  throw Error("unknown flow '" + flow + "'; valid: " + valid);
}

}  // namespace ngbench::backends
