#include "runner/measure.h"

#include <algorithm>
#include <chrono>

#include "core/allocator.h"
#include "runner/warmup.h"

namespace ngbench::runner {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// One pass; its time in ms by the device's clock if the backend has one, else by the wall clock.
double timed_pass(backends::Backend& backend) {
  const auto t0 = Clock::now();
  const std::optional<double> device_ms = backend.run();
  const double wall_ms = seconds_since(t0) * 1000.0;
  return device_ms.value_or(wall_ms);
}

WarmupRecord warm_up(backends::Backend& backend, const WarmupRule& rule) {
  WarmupJudge judge(rule);
  const auto t0 = Clock::now();
  while (judge.more(seconds_since(t0))) judge.add(timed_pass(backend));
  return judge.record(seconds_since(t0));
}

EnergyResult measure_energy(backends::Backend& backend, backends::EnergyCounter& counter, int min_passes) {
  EnergyResult e;
  const auto e0 = counter.read_mj();
  const auto t0 = Clock::now();
  int n = 0;
  double wall_s = 0;
  while (n < min_passes || wall_s < kEnergyWindowS) {
    backend.run();  // returns with the device's work complete
    ++n;
    wall_s = seconds_since(t0);
  }
  const auto e1 = counter.read_mj();
  if (!e0 || !e1 || *e1 <= *e0) return e;
  e.measured = true;
  e.method = counter.method() + "; read before and after a window of at least 2 s of synchronized forward passes";
  e.iterations = n;
  e.joules = static_cast<double>(*e1 - *e0) / 1000.0;
  e.joules_per_inference = e.joules / n;
  e.average_watts = e.joules / wall_s;
  return e;
}

}  // namespace

Measured measure(backends::Backend& backend, const RunConfig& config, const taxonomy::Taxonomy& taxonomy) {
  Measured m;
  backend.prepare(config, taxonomy);
  m.runtime = backend.runtime();

  WarmupRule rule;
  rule.min_iterations = config.warmup;
  rule.max_seconds = config.warmup_max_s;
  m.warmup.timed = warm_up(backend, rule);
  const int64_t faults = minor_page_faults();
  for (int i = 0; i < config.iters; ++i) m.timed_ms.push_back(timed_pass(backend));
  m.page_faults_per_iter = static_cast<double>(minor_page_faults() - faults) / config.iters;

  if (auto counter = backend.energy_counter()) m.energy = measure_energy(backend, *counter, config.iters);

  backends::ProfileOptions po;
  po.record_shapes = config.record_shapes;
  backend.begin_profiling(po);
  // At least one profiled pass before the marked ones: the profiler's own
  // buffers and first-call costs stay out of the profiled iterations.
  rule.min_iterations = std::max(1, config.warmup);
  m.warmup.profiled = warm_up(backend, rule);
  for (int i = 0; i < config.profile_iters; ++i) {
    backend.begin_iteration();
    backend.run();
    backend.end_iteration();
  }
  m.trace = backend.end_profiling();
  m.inputs = backend.inputs();
  m.workload_counts = backend.workload_counts();
  m.fusion = backend.fusion();
  return m;
}

}  // namespace ngbench::runner
