#pragma once
// Flow eager on device cpu: the built-in models run module by module through
// libtorch, as PyTorch runs them; the operator observer (observer/) records
// the profiled passes.
#include "backends/backend.h"

namespace ngbench::backends {

BackendEntry eager_cpu_backend_entry();

}  // namespace ngbench::backends
