#include "backends/cuda/cuda_backend.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/record_function.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>

#include <memory>

#include "backends/cuda/cuda_device.h"
#include "backends/cuda/kineto_trace.h"
#include "backends/cuda/nvml_energy.h"
#include "core/error.h"
#include "backends/builtin_model.h"

namespace ngbench::backends {

namespace {

class CudaBackend : public Backend {
 public:
  ~CudaBackend() override {
    // A run that failed while profiling leaves the profiler on; the next configuration needs it off.
    if (!profiling_) return;
    try {
      iteration_.reset();
      cuda::stop_kineto();
    } catch (...) {  // nothing was recorded: nothing to keep
    }
  }

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
    const auto stream = at::cuda::getCurrentCUDAStream();
    at::cuda::CUDAEvent start(cudaEventDefault), end(cudaEventDefault);
    start.record(stream);
    model_.forward();
    end.record(stream);
    end.synchronize();
    return static_cast<double>(start.elapsed_time(end));
  }

  void begin_profiling(const ProfileOptions& options) override {
    c10::cuda::device_synchronize();
    cuda::start_kineto({options.record_shapes});
    profiling_ = true;
  }
  void begin_iteration() override {
    iteration_ = std::make_unique<at::RecordFunction>(at::RecordScope::USER_SCOPE);
    if (iteration_->isActive()) iteration_->before(cuda::kIterationScope);
  }
  void end_iteration() override {
    c10::cuda::device_synchronize();  // the iteration's kernels end inside its span
    iteration_.reset();               // ends the record function
  }
  ProfiledTrace end_profiling() override {
    profiling_ = false;
    return cuda::stop_kineto();
  }

  std::unique_ptr<EnergyCounter> energy_counter() override {
    auto nvml = std::make_unique<cuda::NvmlEnergy>(c10::cuda::current_device());
    if (!nvml->available()) return nullptr;
    return nvml;
  }
  std::vector<InputRecord> inputs() const override { return model_.inputs(); }
  std::map<std::string, double> workload_counts() const override { return model_.workload_counts(); }

 private:
  BuiltInModel model_;
  std::unique_ptr<at::RecordFunction> iteration_;
  bool profiling_ = false;
};

}  // namespace

BackendEntry cuda_backend_entry() {
  BackendEntry e;
  e.flow = "eager";
  e.device = "cuda";
  e.description = "libtorch eager execution on an NVIDIA GPU (kernel time via Kineto/CUPTI, energy via NVML)";
  e.taxonomy = "eager";
  e.create = [] { return std::make_unique<CudaBackend>(); };
  return e;
}

}  // namespace ngbench::backends
