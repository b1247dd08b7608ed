#include "backends/eager_backend.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <chrono>

#include "core/allocator.h"
#include "core/error.h"
#ifdef NGBENCH_HAVE_CUDA
#include "backends/cuda/cuda_backend.h"
#endif
#include "models/model.h"
#include "models/registry.h"
#include "observer/observer.h"

namespace ngbench::backends {

namespace {

double elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

class EagerBackend : public Backend {
 public:
  Measurement measure(const RunConfig& config) override {
#ifdef NGBENCH_HAVE_CUDA
    if (config.device == "cuda") return make_cuda_backend()->measure(config);
#endif
    Measurement m;
    if (config.threads > 0) at::set_num_threads(config.threads);
    m.threads = at::get_num_threads();
    m.interop_threads = at::get_num_interop_threads();
    m.runtime_version = NGBENCH_TORCH_VERSION;  // the libtorch this backend was built against

    const auto& entry = models::find_model(config.model);
    models::ModelOptions options;
    options.seed = config.seed;
    options.dtype = config.dtype;
    options.layers = config.layers;
    options.attention = config.attention;
    options.score_threshold = config.score_threshold;
    options.device = config.device;
    c10::InferenceMode inference;
    auto model = entry.create(options);
    const auto inputs = model->make_inputs({config.batch, config.seq_len, config.seed, config.images});
    m.inputs = model->input_records();

    for (int i = 0; i < config.warmup; ++i) model->forward(inputs);
    const int64_t faults = minor_page_faults();
    for (int i = 0; i < config.iters; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      model->forward(inputs);
      m.timed_ms.push_back(elapsed_ms(t0));
    }
    m.page_faults_per_iter = static_cast<double>(minor_page_faults() - faults) / config.iters;

    observer::ObserverOptions oo;
    oo.record_shapes = config.record_shapes;
    observer::Observer obs(oo);
    obs.start();
    // One observed warm-up pass faults in the observer's buffers; then start clean.
    model->forward(inputs);
    obs.clear();
    for (int i = 0; i < config.profile_iters; ++i) {
      obs.begin_iteration();
      model->forward(inputs);
      obs.end_iteration();
    }
    obs.stop();
    m.trace = obs.collect();
    m.workload_counts = model->workload_counts();
    return m;
  }
};

}  // namespace

std::unique_ptr<Backend> make_eager_backend() { return std::make_unique<EagerBackend>(); }

std::vector<std::string> eager_devices() {
#ifdef NGBENCH_HAVE_CUDA
  return {"cpu", "cuda"};
#else
  return {"cpu"};
#endif
}

}  // namespace ngbench::backends
