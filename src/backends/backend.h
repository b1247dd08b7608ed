#pragma once
// The backend interface: one execution flow on one device (libtorch eager on
// the CPU, libtorch eager on CUDA, ONNX Runtime, ...), and the registry entry
// that names it.
//
// Lifecycle, driven by the runner (runner/measure.h), which owns everything
// that is measured: warm-up, the timed loop, page faults, energy brackets and
// the profiled loop. Per configuration:
//
//   validate(config)            before anything runs, for every configuration of a sweep
//   estimate_bytes(config)      the memory guard
//   prepare(config, taxonomy)   build or load the model and its inputs
//   runtime()                   what runs it, threads in effect
//   run() ...                   warm-up and timed iterations
//   [start_sequence(); run() x gen_tokens ...]   decode: every pass is one generated token
//   begin_profiling(options)
//     run() ...                 profiled warm-up (left out of the trace)
//     begin_iteration(); run(); end_iteration();   once per profiled iteration
//     [pause_profiling(); run() ...; resume_profiling();]   timed blocks, where the backend can pause
//   end_profiling() -> trace    the records of the marked iterations only
//   inputs(), workload_counts(), fusion()
//
// Methods marked (optional) have a default; the defaults of validate,
// estimate_bytes and describe_model serve flows that build the built-in models
// (backends/builtin_model.h). A backend throws ngbench::Error with a one-line
// message for what only it can detect.
//
// This header does not include libtorch.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/op_record.h"
#include "core/run_config.h"
#include "core/run_result.h"

namespace ngbench::taxonomy {
class Taxonomy;
}

namespace ngbench::backends {

struct ProfileOptions {
  bool record_shapes = true;  // record operator input shapes
};

// What runs the model, known after prepare().
struct RuntimeInfo {
  Runtime runtime;          // name and version at run time
  int threads = 0;          // intra-op threads in effect
  int interop_threads = 0;
};

// A device's cumulative energy counter.
class EnergyCounter {
 public:
  virtual ~EnergyCounter() = default;
  // Millijoules consumed since a fixed point in the past; nullopt when the read fails.
  virtual std::optional<uint64_t> read_mj() = 0;
  // How it is read, for the result (what the figure includes, e.g. idle power).
  virtual std::string method() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // --- before anything runs (no model is built) ---

  // (optional) Checks a configuration and completes it (defaults resolved, the
  // backend's own options checked and filled); throws ngbench::Error with a
  // one-line message naming the value and the valid choices. Default: the
  // built-in model checks (builtin_model.h).
  virtual RunConfig validate(const RunConfig& config) const;
  // (optional) Estimated peak bytes of a run of a validated configuration, for
  // the memory guard. Default: the built-in model's estimate at its dtype.
  virtual int64_t estimate_bytes(const RunConfig& config) const;
  // (optional) What the configuration's model is. Default: its registry entry.
  virtual ModelSummary describe_model(const RunConfig& config) const;
  // (optional) The file this flow runs for a built-in model (where `ngbench
  // export` writes it); empty for flows that build the models themselves.
  virtual std::string exported_model_path(const RunConfig& /*config*/) const { return {}; }
  // (optional) The export tool's arguments beyond the model, file, batch and
  // sequence length, for a file that fixes more of the configuration at export
  // (dtype, threads, compiler settings); empty by default.
  virtual std::vector<std::string> export_arguments(const RunConfig& /*config*/) const { return {}; }

  // --- one configuration ---

  // Builds or loads the model and its inputs for a validated configuration,
  // with its thread count in effect. `taxonomy` is the one the run classifies
  // with (for a backend that labels or analyzes what it compiled). Called once.
  virtual void prepare(const RunConfig& config, const taxonomy::Taxonomy& taxonomy) = 0;
  // The runtime in effect after prepare().
  virtual RuntimeInfo runtime() const = 0;
  // Runs one forward pass and returns when its work is complete (device work
  // synchronized). Returns the pass's time in ms by the device's own clock when
  // the backend has one (CUDA events), else nullopt: the runner's wall clock
  // is then the measure.
  virtual std::optional<double> run() = 0;
  // (optional) Decode (RunConfig::phase "decode", flows whose entry `generates`): starts a new sequence, the
  // KV cache emptied and the context prefilled (not timed); each run() after it generates one token, greedy,
  // over the cache. The runner calls it before every gen_tokens run()s. Default: throws (no decode).
  virtual void start_sequence();

  // Profiling: see the lifecycle above. end_profiling() returns one
  // IterationSpan per begin/end_iteration pair and the records inside them;
  // what ran before the first begin_iteration() is not part of the trace.
  virtual void begin_profiling(const ProfileOptions& options) = 0;
  virtual void begin_iteration() = 0;
  virtual void end_iteration() = 0;
  virtual ProfiledTrace end_profiling() = 0;
  // (optional) Pausing profiling between begin_profiling() and end_profiling()
  // (between passes): run() then times a pass as outside profiling. A backend
  // that can pause cheaply lets the runner interleave timed and profiled passes
  // in blocks, so that drift of the machine hits both phases alike; the others
  // run the two phases one after the other.
  virtual bool can_pause_profiling() const { return false; }
  virtual void pause_profiling() {}
  virtual void resume_profiling() {}

  // (optional) The device's energy counter; nullptr when there is none.
  virtual std::unique_ptr<EnergyCounter> energy_counter() { return nullptr; }
  // (optional) The inputs the model was fed (image files and their sizes, a
  // text file and its hash); empty for synthetic inputs.
  virtual std::vector<InputRecord> inputs() const { return {}; }
  // (optional) Data-dependent counts of the last pass (detections, ...).
  virtual std::map<std::string, double> workload_counts() const { return {}; }
  // (optional) What the flow's graph compiler fused; `analyzed` false when the
  // flow runs the model as written. Valid after end_profiling().
  virtual FusionSummary fusion() const { return {}; }
};

// An option a backend owns: parsed through the CLI's option table (shown in
// `run --help` under the flow's heading) into RunConfig::backend_options under
// `name`, and validated by the backend.
struct BackendOption {
  enum class Kind {
    kValue,      // one value
    kList,       // repeatable; every value kept in order
    kFlag,       // no value; {"true"} when given
    kModelFile,  // one value: a model file this flow runs (RunConfig::model_file, named by the file), which
                 // also selects this flow unless --flow is given
  };
  std::string name;  // long flag without dashes: "graph-opt" is --graph-opt
  std::string hint;  // value placeholder in help ("LEVEL"); empty for flags
  std::string help;  // what it does, with the default
  Kind kind = Kind::kValue;
};

// One registered backend: a flow on a device.
struct BackendEntry {
  std::string flow;         // the --flow value
  std::string device;       // the --device value
  std::string description;
  std::string taxonomy;     // flow whose built-in rules classify its ops
  std::vector<BackendOption> options;  // (optional) the flow's own options
  // (optional) The format of the model files the flow runs, which `ngbench
  // export --format` writes (backends/export_tool.h); empty: none.
  std::string export_format;
  // (optional) Backend options that turn the flow's graph fusion off, for the
  // fusion study's unfused baseline; empty when the flow has no such switch.
  BackendOptions unfused;
  // (optional) The variants `ngbench fusion --flows` runs of this flow, each a
  // name and the backend options that make it. Empty: the unfused variant (when
  // `unfused` is set) and the flow as configured.
  struct StudyVariant {
    std::string name;
    BackendOptions options;
  };
  std::vector<StudyVariant> study_variants;
  // (optional) The flow builds the models and can generate: it takes --phase decode (Backend::start_sequence)
  // and --kv-cache. Flows that run an exported or compiled forward pass cannot.
  bool generates = false;
  std::function<std::unique_ptr<Backend>()> create;
};

// Every backend compiled into this build, in listing order; the first one's
// flow is the default flow.
const std::vector<BackendEntry>& backend_registry();

// The default flow (the first entry's).
const std::string& default_flow();

// The flows of the registry, in listing order, each once.
std::vector<std::string> flows();

// The backend of `flow` (empty: the default flow) on `device`; throws
// ngbench::Error naming the valid flows or the flow's devices in this build,
// or how to get a flow or device this build lacks.
const BackendEntry& find_backend(const std::string& flow, const std::string& device);

// Every option the registry's backends declare, each once (flows share a
// declaration across their devices), with the flow that owns it.
struct FlowOption {
  std::string flow;
  BackendOption option;
};
std::vector<FlowOption> backend_options();

}  // namespace ngbench::backends
