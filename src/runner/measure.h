#pragma once
// The measurement protocol, the same for every backend (google/benchmark's
// runner owns timing in the same way). For one configuration:
// Decode (RunConfig::phase "decode"): a pass is one generated token; an
// iteration of the timed and the profiled phase is a sequence of gen_tokens
// passes, begun by Backend::start_sequence() (its prefill not timed), each
// profiled pass an iteration of the trace; warm-up runs passes, a new
// sequence begun whenever one is complete; no energy window.
//  1. prepare the backend;
//  2. warm up (warmup.h);
//  3. energy, when the backend's device has a counter: read around a window of
//     at least kEnergyWindowS seconds (and `iters` passes), since such counters
//     advance in steps of milliseconds to tens of milliseconds;
//  4. the timed and the profiled phase. Where the backend can pause profiling,
//     they are interleaved in kBlocks blocks (timed passes, then profiled
//     passes, block after block) after the profiled warm-up, so that a drift of
//     the machine hits both alike; otherwise the timed phase runs first. Each
//     timed pass is timed by the runner's wall clock, or by the device's clock
//     where the backend has one; the process's minor page faults are counted
//     over the timed passes. After `iters` passes the timed phase goes on in
//     blocks until it has run `min_time_s`, and until the median's 95%
//     interval is within `target_ci` or `max_time_s` is spent.
// Attribution, the stability verdict and reporting happen in the runner.
#include <map>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/op_record.h"
#include "core/run_config.h"
#include "core/run_result.h"

namespace ngbench::taxonomy {
class Taxonomy;
}

namespace ngbench::runner {

inline constexpr double kEnergyWindowS = 2.0;
inline constexpr int kBlocks = 4;

// What one configuration's measurement produced, before attribution.
struct Measured {
  backends::RuntimeInfo runtime;
  std::vector<double> timed_ms;      // one sample per timed pass, in order
  std::vector<int> timed_steps;      // decode: the step (0-based, in its sequence) of each timed pass
  std::vector<int> profiled_steps;   // decode: the step of each profiled iteration (one pass each)
  double page_faults_per_iter = -1;  // minor page faults of the process per timed iteration
  Warmup warmup;
  EnergyResult energy;
  ProfiledTrace trace;
  std::vector<InputRecord> inputs;
  std::map<std::string, double> workload_counts;
  FusionSummary fusion;
  double other_load_cpus = -1;  // other work on the machine during steps 2-4 (core/cpu_load.h)
  int timed_blocks = 1;         // blocks the phases were interleaved in; 1: one after the other
};

// Told how a measurement advances (the CLI prints it).
class MeasureListener {
 public:
  virtual ~MeasureListener() = default;
  // `phase` ("warm-up", "timed", "profiled", "energy") has run `done` of
  // `total` passes (total 0: open-ended); `elapsed_s` since the configuration
  // began; `remaining_s` an estimate for the rest of it (-1: unknown).
  virtual void on_progress(const std::string& phase, int done, int total, double elapsed_s, double remaining_s) = 0;
};

// Runs the protocol on `backend` for a validated configuration. Throws what
// the backend throws. `listener` may be null.
Measured measure(backends::Backend& backend, const RunConfig& config, const taxonomy::Taxonomy& taxonomy,
                 MeasureListener* listener = nullptr);

}  // namespace ngbench::runner
