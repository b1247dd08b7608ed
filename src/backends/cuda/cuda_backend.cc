#include "backends/cuda/cuda_backend.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/record_function.h>
#include <c10/core/InferenceMode.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>

#include "backends/cuda/kineto_trace.h"
#include "backends/cuda/nvml_energy.h"
#include "core/allocator.h"
#include "core/error.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::backends {

namespace {

constexpr int kStableWindow = 5;         // iterations compared when warming up
constexpr double kStableTolerance = 0.02;  // relative change of their median
constexpr int kMaxWarmup = 200;
constexpr double kEnergyWindowS = 2.0;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

class CudaBackend : public Backend {
 public:
  Measurement measure(const RunConfig& config) override {
    if (!at::hasCUDA() || c10::cuda::device_count() == 0) {
      throw Error("device 'cuda' needs an NVIDIA GPU, and none is visible to libtorch; valid here: cpu");
    }
    Measurement m;
    if (config.threads > 0) at::set_num_threads(config.threads);
    m.threads = at::get_num_threads();
    m.interop_threads = at::get_num_interop_threads();
    m.runtime_version = NGBENCH_TORCH_VERSION;
    // As the paper measured: TF32 allowed for float32 matmuls and convolutions.
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);

    const auto& entry = models::find_model(config.model);
    models::ModelOptions options;
    options.seed = config.seed;
    options.dtype = config.dtype;
    options.layers = config.layers;
    options.attention = config.attention;
    options.score_threshold = config.score_threshold;
    options.device = "cuda";
    c10::InferenceMode inference;
    auto model = entry.create(options);
    const auto inputs = model->make_inputs({config.batch, config.seq_len, config.seed, config.images});
    m.inputs = model->input_records();
    const auto stream = at::cuda::getCurrentCUDAStream();

    auto timed = [&] {
      at::cuda::CUDAEvent start(cudaEventDefault), end(cudaEventDefault);
      start.record(stream);
      model->forward(inputs);
      end.record(stream);
      end.synchronize();
      return static_cast<double>(start.elapsed_time(end));
    };

    // Warm up: at least config.warmup iterations, then until the median of the
    // last window moves by less than the tolerance.
    std::vector<double> warm;
    for (int i = 0; i < kMaxWarmup; ++i) {
      warm.push_back(timed());
      if (static_cast<int>(warm.size()) < std::max(config.warmup, 2 * kStableWindow)) continue;
      const std::vector<double> last(warm.end() - kStableWindow, warm.end());
      const std::vector<double> prev(warm.end() - 2 * kStableWindow, warm.end() - kStableWindow);
      if (std::abs(median(last) - median(prev)) <= kStableTolerance * median(prev)) break;
    }

    const int64_t faults = minor_page_faults();
    for (int i = 0; i < config.iters; ++i) m.timed_ms.push_back(timed());
    m.page_faults_per_iter = static_cast<double>(minor_page_faults() - faults) / config.iters;

    // Energy: NVML's counter advances in steps of milliseconds to tens of
    // milliseconds, so it is read around a window of at least kEnergyWindowS of
    // synchronized iterations (never fewer than the timed phase's).
    cuda::EnergyCounter energy(c10::cuda::current_device());
    if (energy.available()) {
      c10::cuda::device_synchronize();
      const auto e0 = energy.read_mj();
      const auto t0 = std::chrono::steady_clock::now();
      int n = 0;
      double wall_s = 0;
      while (n < config.iters || wall_s < kEnergyWindowS) {
        model->forward(inputs);
        c10::cuda::device_synchronize();
        ++n;
        wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      }
      const auto e1 = energy.read_mj();
      if (e0 && e1 && *e1 > *e0) {
        m.energy.measured = true;
        m.energy.method =
            "NVML nvmlDeviceGetTotalEnergyConsumption (cumulative mJ counter) read before and after a window of "
            "at least 2 s of synchronized forward passes; whole-device energy, idle power included";
        m.energy.iterations = n;
        m.energy.joules = static_cast<double>(*e1 - *e0) / 1000.0;
        m.energy.joules_per_inference = m.energy.joules / n;
        m.energy.average_watts = m.energy.joules / wall_s;
      }
    }

    cuda::KinetoOptions ko;
    ko.record_shapes = config.record_shapes;
    m.trace = cuda::profile_with_kineto(ko, [&] {
      model->forward(inputs);  // the profiler's own warm-up pass, dropped from the trace
      c10::cuda::device_synchronize();
      for (int i = 0; i < config.profile_iters; ++i) {
        RECORD_USER_SCOPE(cuda::kIterationScope);
        model->forward(inputs);
        c10::cuda::device_synchronize();
      }
    });
    m.workload_counts = model->workload_counts();
    return m;
  }
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend() { return std::make_unique<CudaBackend>(); }

}  // namespace ngbench::backends
