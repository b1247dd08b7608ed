#include "backends/eager_backend.h"

#include <ATen/Parallel.h>
#include <memory>

#include "backends/builtin_model.h"
#include "observer/observer.h"

namespace ngbench::backends {

namespace {

class EagerBackend : public Backend {
 public:
  void prepare(const RunConfig& config, const taxonomy::Taxonomy& /*taxonomy*/) override {
    if (config.threads > 0) at::set_num_threads(config.threads);
    model_.build(config);
  }

  RuntimeInfo runtime() const override {
    return {
        {"libtorch", NGBENCH_TORCH_VERSION}, at::get_num_threads(), static_cast<int>(at::get_num_interop_threads())};
  }

  std::optional<double> run() override {
    model_.forward();
    return std::nullopt;
  }

  void begin_profiling(const ProfileOptions& options) override {
    observer::ObserverOptions oo;
    oo.record_shapes = options.record_shapes;
    observer_ = std::make_unique<observer::Observer>(oo);
    observer_->start();
    warming_up_ = true;
  }
  void begin_iteration() override {
    // The profiled warm-up passes (which also fault in the observer's buffers) are dropped.
    if (warming_up_) observer_->clear();
    warming_up_ = false;
    observer_->begin_iteration();
  }
  void end_iteration() override { observer_->end_iteration(); }
  bool can_pause_profiling() const override { return true; }
  void pause_profiling() override { observer_->pause(); }
  void resume_profiling() override { observer_->resume(); }
  ProfiledTrace end_profiling() override {
    observer_->stop();
    ProfiledTrace trace = observer_->collect();
    observer_.reset();
    return trace;
  }

  std::vector<InputRecord> inputs() const override { return model_.inputs(); }
  std::map<std::string, double> workload_counts() const override { return model_.workload_counts(); }

 private:
  BuiltInModel model_;
  std::unique_ptr<observer::Observer> observer_;
  bool warming_up_ = false;
};

}  // namespace

BackendEntry eager_cpu_backend_entry() {
  BackendEntry e;
  e.flow = "eager";
  e.device = "cpu";
  e.description = "libtorch eager execution (the PyTorch flow), operators recorded by the RecordFunction observer";
  e.taxonomy = "eager";
  e.create = [] { return std::make_unique<EagerBackend>(); };
  return e;
}

}  // namespace ngbench::backends
