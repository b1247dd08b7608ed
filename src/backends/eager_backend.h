#pragma once
// libtorch eager backend: runs a built-in model module by module, as PyTorch does.
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace ngbench::backends {

std::unique_ptr<Backend> make_eager_backend();
std::vector<std::string> eager_devices();

}  // namespace ngbench::backends
