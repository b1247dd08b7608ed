#pragma once
// The run loop behind `ngbench run`: validates every configuration of a sweep
// up front, then measures, attributes and reports each one. A configuration
// that fails is recorded as a failed result and the rest still run.
#include <string>
#include <vector>

#include "core/run_config.h"
#include "core/run_result.h"
#include "report/reporter.h"
#include "runner/measure.h"

namespace ngbench::runner {

// Checks a configuration against the backend registry, the backend and the
// machine: a flow and device this build has (empty flow: the default), only
// options that flow declares, a known dtype, batch >= 1, counts >= 1, then
// whatever the backend checks (for built-in models: the model, its sequence
// length, --layers, --attention, its input options), the taxonomy file, and an
// estimated memory footprint that fits. Returns the configuration completed
// (flow, sequence length, attention, the backend's option defaults); throws
// ngbench::Error with a one-line message otherwise.
RunConfig validate(const RunConfig& config);

// Estimated peak bytes of one forward pass of `config` (validated).
int64_t estimate_bytes(const RunConfig& config);

// Told when each configuration of a sweep starts and ends, and how it advances.
class RunListener : public MeasureListener {
 public:
  virtual void on_start(const RunConfig& config, int index, int total) = 0;
  virtual void on_done(const RunResult& result) = 0;
};

// Measures one validated configuration, attributes it and judges its
// stability; returns its result and never throws for a failure of the run
// itself (the result then has status "failed"; so has an unstable one under
// --strict). `listener` may be null.
RunResult run_one(const RunConfig& config, const std::string& command_line, MeasureListener* listener = nullptr);

// Expands a sweep and validates every configuration; throws on the first bad
// one, so nothing runs unless all of them can.
std::vector<RunConfig> validate_sweep(const SweepConfig& sweep);

// Validates configurations as a sweep does: each one (validate()), none twice
// (the same result name), and none whose result file already holds another
// configuration unless its `overwrite` is set.
std::vector<RunConfig> validate_configs(const std::vector<RunConfig>& configs);

// Runs validated configurations in order and hands every result, failed ones
// included, to every reporter. Returns the results; the caller decides the
// exit status.
std::vector<RunResult> run_configs(const std::vector<RunConfig>& configs,
                                   const std::vector<report::Reporter*>& reporters, const std::string& command_line,
                                   RunListener* listener = nullptr);

}  // namespace ngbench::runner
