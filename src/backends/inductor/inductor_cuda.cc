// Flow inductor on CUDA (-DNGBENCH_CUDA=ON): a package compiled for the GPU
// (tools/export_aoti.py --device cuda, on a machine with the GPU: Triton
// compiles there). Each pass is timed with CUDA events; the profiled phase is
// recorded by Kineto (backends/cuda/kineto_trace.h), where every Triton launch
// is a RecordFunction range named after its kernel (cpp.enable_kernel_profile)
// that the kernel's device activity is linked to; trace_labels.h names those
// ranges from the provenance, so device time lands in the provenance's groups
// (attribution/device.h). Unverified on a GPU: bench/RESULTS.md.
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/record_function.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>

#include <memory>

#include "backends/cuda/cuda_device.h"
#include "backends/cuda/kineto_trace.h"
#include "backends/inductor/inductor_backend.h"
#include "backends/inductor/inductor_runner.h"
#include "core/error.h"

namespace ngbench::backends {

namespace {

class InductorCudaBackend : public InductorBackend {
 public:
  ~InductorCudaBackend() override {
    if (!profiling_) return;
    try {
      iteration_.reset();
      cuda::stop_kineto();
    } catch (...) {  // a run that failed while profiling: nothing to keep
    }
  }

  RunConfig validate(const RunConfig& config) const override {
    cuda::require_gpu();
    return InductorBackend::validate(config);
  }

  std::optional<double> run() override {
    const auto stream = at::cuda::getCurrentCUDAStream();
    at::cuda::CUDAEvent start(cudaEventDefault), end(cudaEventDefault);
    start.record(stream);
    forward();
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
    c10::cuda::device_synchronize();
    iteration_.reset();
  }
  ProfiledTrace end_profiling() override {
    profiling_ = false;
    return label(cuda::stop_kineto());
  }

 private:
  std::unique_ptr<at::RecordFunction> iteration_;
  bool profiling_ = false;
};

}  // namespace

BackendEntry inductor_cuda_backend_entry() {
  BackendEntry e = inductor_cpu_backend_entry();
  e.device = "cuda";
  e.description = "TorchInductor ahead of time on an NVIDIA GPU (Triton kernels via Kineto/CUPTI, classified by "
                  "their provenance; unverified on a GPU)";
  e.create = [] { return std::make_unique<InductorCudaBackend>(); };
  return e;
}

}  // namespace ngbench::backends
