#include "backends/eager_backend.h"

#include <ATen/Parallel.h>
#include <memory>

#include "backends/builtin_model.h"
#include "observer/observer_session.h"

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
  void start_sequence() override { model_.start_sequence(); }

  void begin_profiling(const ProfileOptions& options) override { session_.begin(options.record_shapes); }
  void begin_iteration() override { session_.begin_iteration(); }
  void end_iteration() override { session_.end_iteration(); }
  bool can_pause_profiling() const override { return true; }
  void pause_profiling() override { session_.pause(); }
  void resume_profiling() override { session_.resume(); }
  ProfiledTrace end_profiling() override { return session_.end(); }

  std::vector<InputRecord> inputs() const override { return model_.inputs(); }
  std::map<std::string, double> workload_counts() const override { return model_.workload_counts(); }

 private:
  BuiltInModel model_;
  observer::ObserverSession session_;
};

}  // namespace

BackendEntry eager_cpu_backend_entry() {
  BackendEntry e;
  e.flow = "eager";
  e.device = "cpu";
  e.description = "libtorch eager execution (the PyTorch flow), operators recorded by the RecordFunction observer";
  e.taxonomy = "eager";
  e.generates = true;
  e.create = [] { return std::make_unique<EagerBackend>(); };
  return e;
}

}  // namespace ngbench::backends
