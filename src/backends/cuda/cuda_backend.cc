#include "backends/cuda/cuda_backend.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/cuda/CUDAFunctions.h>

#include <memory>

#include "backends/cuda/cuda_device.h"
#include "backends/cuda/kineto_session.h"
#include "backends/cuda/nvml_energy.h"
#include "core/error.h"
#include "backends/builtin_model.h"

namespace ngbench::backends {

namespace {

class CudaBackend : public Backend {
 public:
  RunConfig validate(const RunConfig& config) const override {
    cuda::require_gpu();  // before anything runs, not when the sweep reaches this configuration
    return Backend::validate(config);
  }

  void prepare(const RunConfig& config, const taxonomy::Taxonomy& /*taxonomy*/) override {
    cuda::require_gpu();
    if (config.threads > 0) at::set_num_threads(config.threads);
    // As the paper measured: TF32 allowed for float32 matmuls and convolutions.
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);
    model_.build(config);
  }

  RuntimeInfo runtime() const override {
    return {
        {"libtorch", NGBENCH_TORCH_VERSION}, at::get_num_threads(), static_cast<int>(at::get_num_interop_threads())};
  }

  std::optional<double> run() override {
    return cuda::time_on_device([&] { model_.forward(); });
  }
  void start_sequence() override {
    model_.start_sequence();
    c10::cuda::device_synchronize();  // the untimed prefill finished before the first timed step starts
  }

  void begin_profiling(const ProfileOptions& options) override { kineto_.begin(options.record_shapes); }
  void begin_iteration() override { kineto_.begin_iteration(); }
  void end_iteration() override { kineto_.end_iteration(); }
  ProfiledTrace end_profiling() override { return kineto_.end(); }

  std::unique_ptr<EnergyCounter> energy_counter() override {
    auto nvml = std::make_unique<cuda::NvmlEnergy>(c10::cuda::current_device());
    if (!nvml->available()) return nullptr;
    return nvml;
  }
  std::vector<InputRecord> inputs() const override { return model_.inputs(); }
  std::map<std::string, double> workload_counts() const override { return model_.workload_counts(); }

 private:
  BuiltInModel model_;
  cuda::KinetoSession kineto_;  // stops a profiled phase a failed run left running
};

}  // namespace

BackendEntry cuda_backend_entry() {
  BackendEntry e;
  e.flow = "eager";
  e.device = "cuda";
  e.description = "libtorch eager execution on an NVIDIA GPU (kernel time via Kineto/CUPTI, energy via NVML)";
  e.taxonomy = "eager";
  e.generates = true;
  e.create = [] { return std::make_unique<CudaBackend>(); };
  return e;
}

}  // namespace ngbench::backends
