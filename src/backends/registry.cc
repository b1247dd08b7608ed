#include <string>

#include "backends/backend.h"
#include "backends/eager_backend.h"
#include "core/error.h"

namespace ngbench::backends {

const std::vector<BackendEntry>& backend_registry() {
  // The one list of backends. Optional runtimes add their entry under their
  // own CMake option (see docs/adding-a-backend.md).
  static const std::vector<BackendEntry> registry = {
      {"eager", "libtorch eager execution (the PyTorch flow)", eager_devices(), "eager",
       [] { return make_eager_backend(); }},
  };
  return registry;
}

const BackendEntry& find_backend(const std::string& flow) {
  std::string valid;
  for (const auto& e : backend_registry()) {
    if (e.name == flow) return e;
    valid += (valid.empty() ? "" : ", ") + e.name;
  }
  throw Error("unknown flow '" + flow + "'; valid: " + valid);
}

}  // namespace ngbench::backends
