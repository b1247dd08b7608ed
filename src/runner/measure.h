#pragma once
// The measurement protocol, the same for every backend (google/benchmark's
// runner owns timing in the same way): for one configuration,
//  1. prepare the backend;
//  2. warm up (warmup.h), then the timed phase: `iters` passes, each timed by
//     the runner's wall clock, or by the device's clock when the backend has
//     one; the process's minor page faults counted over it;
//  3. energy, when the backend's device has a counter: read around a window of
//     at least kEnergyWindowS seconds (and `iters` passes), since such counters
//     advance in steps of milliseconds to tens of milliseconds;
//  4. the profiled phase: profiling on, warm up again, then `profile_iters`
//     marked passes.
// Attribution and reporting happen in the runner (runner.h).
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

// What one configuration's measurement produced, before attribution.
struct Measured {
  backends::RuntimeInfo runtime;
  std::vector<double> timed_ms;      // one sample per timed iteration
  double page_faults_per_iter = -1;  // minor page faults of the process per timed iteration
  Warmup warmup;
  EnergyResult energy;
  ProfiledTrace trace;
  std::vector<InputRecord> inputs;
  std::map<std::string, double> workload_counts;
  FusionSummary fusion;
};

// Runs the protocol on `backend` for a validated configuration. Throws what
// the backend throws.
Measured measure(backends::Backend& backend, const RunConfig& config, const taxonomy::Taxonomy& taxonomy);

}  // namespace ngbench::runner
