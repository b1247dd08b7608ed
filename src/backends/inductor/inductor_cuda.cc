// Flow inductor on CUDA (-DNGBENCH_CUDA=ON): a package compiled for the GPU
// (tools/export_aoti.py --device cuda, on a machine with the GPU: Triton
// compiles there). Each pass is timed with CUDA events; the profiled phase is
// recorded by Kineto (backends/cuda/kineto_trace.h), where every Triton launch
// is a RecordFunction range named after its kernel (cpp.enable_kernel_profile)
// that the kernel's device activity is linked to; trace_labels.h names those
// ranges from the provenance, so device time lands in the provenance's groups
// (attribution/device.h). Unverified on a GPU: bench/RESULTS.md.

#include <memory>

#include "backends/cuda/cuda_device.h"
#include "backends/cuda/kineto_session.h"
#include "backends/inductor/inductor_backend.h"
#include "backends/inductor/inductor_runner.h"
#include "core/error.h"

namespace ngbench::backends {

namespace {

class InductorCudaBackend : public InductorBackend {
 public:
  RunConfig validate(const RunConfig& config) const override {
    cuda::require_gpu();
    return InductorBackend::validate(config);
  }

  std::optional<double> run() override {
    return cuda::time_on_device([&] { forward(); });
  }

  void begin_profiling(const ProfileOptions& options) override { kineto_.begin(options.record_shapes); }
  void begin_iteration() override { kineto_.begin_iteration(); }
  void end_iteration() override { kineto_.end_iteration(); }
  ProfiledTrace end_profiling() override { return label(kineto_.end()); }

 private:
  cuda::KinetoSession kineto_;  // stops a profiled phase a failed run left running
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
