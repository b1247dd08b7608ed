#include "backends/cuda/nvml_energy.h"

#include <dlfcn.h>

namespace ngbench::backends::cuda {

namespace {

// The few NVML entry points used, with their documented C signatures.
using NvmlInit = int (*)();
using NvmlShutdown = int (*)();
using NvmlGetHandle = int (*)(unsigned int, void**);
using NvmlGetEnergy = int (*)(void*, unsigned long long*);

}  // namespace

NvmlEnergy::NvmlEnergy(int index) {
  lib_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib_ == nullptr) {
    why_ = "libnvidia-ml.so.1 not found";
    return;
  }
  auto init = reinterpret_cast<NvmlInit>(dlsym(lib_, "nvmlInit_v2"));
  auto handle = reinterpret_cast<NvmlGetHandle>(dlsym(lib_, "nvmlDeviceGetHandleByIndex_v2"));
  if (init == nullptr || handle == nullptr || init() != 0) {
    why_ = "NVML could not be initialized";
    return;
  }
  void* dev = nullptr;
  if (handle(static_cast<unsigned int>(index), &dev) != 0) {
    why_ = "NVML has no device " + std::to_string(index);
    return;
  }
  device_ = dev;
  if (!read_mj()) {
    device_ = nullptr;
    why_ = "this GPU has no NVML energy counter";
  }
}

NvmlEnergy::~NvmlEnergy() {
  if (lib_ == nullptr) return;
  if (auto shutdown = reinterpret_cast<NvmlShutdown>(dlsym(lib_, "nvmlShutdown"))) shutdown();
  dlclose(lib_);
}

std::optional<uint64_t> NvmlEnergy::read_mj() {
  if (device_ == nullptr) return std::nullopt;
  auto get = reinterpret_cast<NvmlGetEnergy>(dlsym(lib_, "nvmlDeviceGetTotalEnergyConsumption"));
  unsigned long long mj = 0;
  if (get == nullptr || get(device_, &mj) != 0) return std::nullopt;
  return static_cast<uint64_t>(mj);
}

std::string NvmlEnergy::method() const {
  return "NVML nvmlDeviceGetTotalEnergyConsumption (cumulative mJ counter); whole-device energy, idle power included";
}

}  // namespace ngbench::backends::cuda
