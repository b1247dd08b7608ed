#pragma once
// GPU energy from NVML's cumulative energy counter (Volta and newer), loaded at
// run time with dlopen so the binary does not depend on the driver library.
#include <cstdint>
#include <optional>
#include <string>

namespace ngbench::backends::cuda {

class EnergyCounter {
 public:
  // Opens device `index`; `available()` is false (with `why()`) when NVML or
  // the counter is missing.
  explicit EnergyCounter(int index);
  ~EnergyCounter();
  bool available() const { return device_ != nullptr; }
  const std::string& why() const { return why_; }
  // Millijoules consumed since the driver was loaded.
  std::optional<uint64_t> read_mj() const;

 private:
  void* lib_ = nullptr;
  void* device_ = nullptr;
  std::string why_;
};

}  // namespace ngbench::backends::cuda
