#pragma once
// The backend interface: one execution flow (libtorch eager, ONNX Runtime, ...).
//
// Lifecycle, per configuration: create() from the registry, then measure()
// once. measure() builds the model for the configuration, warms up, runs the
// timed phase (no observer), then the profiled phase (observer on, each
// iteration's span marked), and returns raw measurements. Attribution and
// reporting happen outside the backend. Configurations reach a backend
// validated (runner.h); a backend throws ngbench::Error for what only it can
// detect.
//
// This header does not include libtorch.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/op_record.h"
#include "core/run_config.h"
#include "core/run_result.h"

namespace ngbench::models {
struct ModelEntry;
}

namespace ngbench::backends {

struct Measurement {
  std::vector<double> timed_ms;  // wall time per timed iteration
  double page_faults_per_iter = -1;  // minor page faults of the process per timed iteration
  ProfiledTrace trace;           // the profiled phase
  int threads = 0;               // intra-op threads in effect
  int interop_threads = 0;
  std::string runtime_version;   // e.g. libtorch's version at run time
  EnergyResult energy;           // device flows that can measure it
  std::vector<InputRecord> inputs;                // what the model was fed (vision models)
  std::map<std::string, double> workload_counts;  // data-dependent counts of the last profiled pass
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Measurement measure(const RunConfig& config) = 0;
};

struct BackendEntry {
  std::string name;                  // the --flow value
  std::string description;
  std::vector<std::string> devices;  // devices this build supports
  std::string taxonomy;              // flow whose built-in rules classify its ops
  std::function<std::unique_ptr<Backend>()> create;

  // Flows that run model files (ONNX) instead of building the C++ models set
  // these; the runner then leaves the model-specific checks to them.
  // `registered` is the built-in model the configuration names, or nullptr
  // when it names a file (--onnx).
  bool runs_files = false;
  // Checks and resolves a configuration before anything runs (the file, its
  // inputs, the sequence length); throws ngbench::Error with a one-line message.
  std::function<RunConfig(const RunConfig&, const models::ModelEntry* registered)> validate;
  // Estimated peak bytes of a run, for the memory guard.
  std::function<int64_t(const RunConfig&, const models::ModelEntry* registered)> estimate_bytes;
  // What the model of an --onnx configuration is.
  std::function<ModelSummary(const RunConfig&)> describe_file;
};

// Every backend compiled into this build, in listing order.
const std::vector<BackendEntry>& backend_registry();

// The backend named `flow`; throws ngbench::Error naming the valid flows.
const BackendEntry& find_backend(const std::string& flow);

}  // namespace ngbench::backends
