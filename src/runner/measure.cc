// Map: Session keeps the clock, the listener and the pass-time estimate; the
// phases are its methods; measure() strings them together as measure.h says.
#include "runner/measure.h"

#include <algorithm>
#include <chrono>

#include "core/allocator.h"
#include "core/cpu_load.h"
#include "core/stability.h"
#include "core/stats.h"
#include "runner/warmup.h"

namespace ngbench::runner {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

class Session {
 public:
  Session(backends::Backend& backend, const RunConfig& config, MeasureListener* listener)
      : backend_(backend), config_(config), listener_(listener), start_(Clock::now()),
        decode_(config.phase == "decode"), step_(config.gen_tokens) {}

  // Decode: a new sequence, its context prefilled, outside every timed pass.
  void begin_sequence() {
    backend_.start_sequence();
    step_ = 0;
  }

  // One pass; its time in ms by the device's clock if the backend has one, else by the wall clock.
  // Decode: one generated token, a new sequence begun first when the last one is complete.
  double pass() {
    if (decode_ && step_ >= config_.gen_tokens) begin_sequence();
    last_step_ = static_cast<int>(step_++);
    const auto t0 = Clock::now();
    const std::optional<double> device_ms = backend_.run();
    const double wall_ms = seconds_since(t0) * 1000.0;
    last_pass_s_ = wall_ms / 1000.0;
    return device_ms.value_or(wall_ms);
  }

  WarmupRecord warm_up(int min_iterations) {
    WarmupRule rule;
    rule.min_iterations = min_iterations;
    rule.max_seconds = config_.warmup_max_s;
    WarmupJudge judge(rule);
    const auto t0 = Clock::now();
    while (judge.more(seconds_since(t0))) judge.add(pass());
    const WarmupRecord r = judge.record(seconds_since(t0));
    tell("warm-up", r.iterations, r.iterations);
    return r;
  }

  // `n` timed iterations, appended to m.timed_ms; their page faults and time accumulated. Decode: `n`
  // sequences, each begun outside the timed time, one sample per generated token (m.timed_steps).
  void timed(int n, Measured& m) {
    int64_t faults = 0;
    for (int i = 0; i < n; ++i) {
      if (decode_) begin_sequence();
      const int64_t f0 = minor_page_faults();
      const auto t0 = Clock::now();
      for (int k = 0; k < passes(1); ++k) {
        m.timed_ms.push_back(pass());
        if (decode_) m.timed_steps.push_back(last_step_);
      }
      timed_s_ += seconds_since(t0);
      faults += minor_page_faults() - f0;
    }
    faults_ += faults;
    timed_done_ = static_cast<int>(m.timed_ms.size());
    const int due = passes(config_.iters);
    tell("timed", timed_done_, timed_done_ > due ? 0 : due);  // past iters: open-ended
  }

  // `n` profiled iterations, each pass marked. Decode: `n` sequences, each generated token an iteration of
  // its own (m.profiled_steps).
  void profiled(int n, Measured& m) {
    for (int i = 0; i < n; ++i) {
      if (decode_) begin_sequence();
      for (int k = 0; k < passes(1); ++k) {
        backend_.begin_iteration();
        pass();
        backend_.end_iteration();
        if (decode_) m.profiled_steps.push_back(last_step_);
      }
    }
    profiled_done_ += passes(n);
    tell("profiled", profiled_done_, passes(config_.profile_iters));
  }

  // Passes in `iterations` iterations: a decode iteration is a sequence of gen_tokens passes.
  int passes(int iterations) const {
    return decode_ ? iterations * static_cast<int>(config_.gen_tokens) : iterations;
  }

  // Whether the timed phase goes on: until min_time_s, and until the median's
  // interval meets the target, within max_time_s.
  bool extend(const std::vector<double>& samples) const {
    if (timed_s_ < config_.min_time_s) return true;
    if (timed_s_ >= config_.max_time_s) return false;
    const MedianInterval ci = median_interval(samples);
    const double median = percentile(samples, 50);
    return !ci.exact || (median > 0 && (ci.high - ci.low) / 2 / median > config_.target_ci);
  }

  double faults_per_pass(const Measured& m) const {
    return m.timed_ms.empty() ? -1 : static_cast<double>(faults_) / static_cast<double>(m.timed_ms.size());
  }

  // Tells the listener; the estimate counts the passes still due at the last pass's time.
  void tell(const std::string& phase, int done, int total) {
    if (listener_ == nullptr) return;
    const int left = std::max(0, passes(config_.iters) - timed_done_) +
                     std::max(0, passes(config_.profile_iters) - profiled_done_);
    listener_->on_progress(phase, done, total, seconds_since(start_), last_pass_s_ > 0 ? left * last_pass_s_ : -1);
  }

 private:
  backends::Backend& backend_;
  const RunConfig& config_;
  MeasureListener* listener_;
  Clock::time_point start_;
  bool decode_;
  int64_t step_;       // decode: the next pass's step in its sequence
  int last_step_ = 0;  // decode: the step the last pass ran
  double last_pass_s_ = 0;
  double timed_s_ = 0;
  int64_t faults_ = 0;
  int timed_done_ = 0;
  int profiled_done_ = 0;
};

EnergyResult measure_energy(Session& session, backends::EnergyCounter& counter, int min_passes) {
  EnergyResult e;
  const auto e0 = counter.read_mj();
  const auto t0 = Clock::now();
  int n = 0;
  double wall_s = 0;
  while (n < min_passes || wall_s < kEnergyWindowS) {
    session.pass();  // returns with the device's work complete
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

// `total` split into `blocks` parts as even as can be, larger first.
int part(int total, int blocks, int k) { return total / blocks + (k < total % blocks ? 1 : 0); }

}  // namespace

Measured measure(backends::Backend& backend, const RunConfig& config, const taxonomy::Taxonomy& taxonomy,
                 MeasureListener* listener) {
  Measured m;
  backend.prepare(config, taxonomy);
  m.runtime = backend.runtime();
  Session s(backend, config, listener);
  const CpuSnapshot before = cpu_snapshot();

  m.warmup.timed = s.warm_up(config.warmup);
  // Decode has no energy figure: a window of whole sequences would charge their untimed prefills to the tokens.
  auto counter = config.phase == "decode" ? nullptr : backend.energy_counter();
  if (counter) {
    m.energy = measure_energy(s, *counter, config.iters);
    s.tell("energy", m.energy.iterations, m.energy.iterations);
  }
  backends::ProfileOptions po;
  po.record_shapes = config.record_shapes;
  // At least one profiled pass before the marked ones: the profiler's own
  // buffers and first-call costs stay out of the profiled iterations.
  const int profiled_warmup = std::max(1, config.warmup);
  if (backend.can_pause_profiling()) {
    m.timed_blocks = std::min({kBlocks, config.iters, config.profile_iters});
    backend.begin_profiling(po);
    m.warmup.profiled = s.warm_up(profiled_warmup);
    for (int k = 0; k < m.timed_blocks; ++k) {
      backend.pause_profiling();
      s.timed(part(config.iters, m.timed_blocks, k), m);
      backend.resume_profiling();
      s.profiled(part(config.profile_iters, m.timed_blocks, k), m);
    }
    backend.pause_profiling();
    while (s.extend(m.timed_ms)) s.timed(std::max(1, config.iters / m.timed_blocks), m);
    backend.resume_profiling();
  } else {
    s.timed(config.iters, m);
    while (s.extend(m.timed_ms)) s.timed(std::max(1, config.iters / kBlocks), m);
    backend.begin_profiling(po);
    m.warmup.profiled = s.warm_up(profiled_warmup);
    s.profiled(config.profile_iters, m);
  }
  m.trace = backend.end_profiling();
  m.page_faults_per_iter = s.faults_per_pass(m);
  m.other_load_cpus = other_load(before, cpu_snapshot());
  m.inputs = backend.inputs();
  m.workload_counts = backend.workload_counts();
  m.fusion = backend.fusion();
  return m;
}

}  // namespace ngbench::runner
