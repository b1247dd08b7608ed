#pragma once
// GPU energy from NVML's cumulative energy counter (Volta and newer), loaded at
// run time with dlopen so the binary does not depend on the driver library.
#include <cstdint>
#include <optional>
#include <string>

#include "backends/backend.h"

namespace ngbench::backends::cuda {

class NvmlEnergy : public EnergyCounter {
 public:
  // Opens device `index`; `available()` is false (with `why()`) when NVML or
  // the counter is missing.
  explicit NvmlEnergy(int index);
  ~NvmlEnergy() override;
  NvmlEnergy(const NvmlEnergy&) = delete;
  NvmlEnergy& operator=(const NvmlEnergy&) = delete;
  bool available() const { return device_ != nullptr; }
  const std::string& why() const { return why_; }
  // Millijoules consumed since the driver was loaded.
  std::optional<uint64_t> read_mj() override;
  std::string method() const override;

 private:
  void* lib_ = nullptr;
  void* device_ = nullptr;
  std::string why_;
};

}  // namespace ngbench::backends::cuda
