// Cost of the observer per operator: one small aten op with no observer, with
// the observer recording names and times only, and with input shapes too.
// Run: build/bench/bench_observer --benchmark_repetitions=5
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>
#include <c10/core/InferenceMode.h>

#include "models/module_scope.h"
#include "observer/observer.h"

namespace {

void run_ops(benchmark::State& state, bool observe, bool shapes) {
  c10::InferenceMode guard;
  const at::Tensor a = at::ones({16});
  const at::Tensor b = at::ones({16});
  ngbench::observer::ObserverOptions options;
  options.record_shapes = shapes;
  ngbench::observer::Observer obs(options);
  if (observe) obs.start();
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(at::add(a, b));
    if (++n % 100000 == 0) obs.clear();  // keep the buffers from growing without bound
  }
  if (observe) obs.stop();
  state.SetItemsProcessed(state.iterations());
}

void BM_AddNoObserver(benchmark::State& s) { run_ops(s, false, false); }
void BM_AddObserverNoShapes(benchmark::State& s) { run_ops(s, true, false); }
void BM_AddObserverShapes(benchmark::State& s) { run_ops(s, true, true); }

void BM_ModuleScope(benchmark::State& state) {
  c10::InferenceMode guard;
  ngbench::observer::Observer obs;
  obs.start();
  int64_t n = 0;
  for (auto _ : state) {
    ngbench::models::ModuleScope scope("BenchScope");
    if (++n % 100000 == 0) obs.clear();
  }
  obs.stop();
}

BENCHMARK(BM_AddNoObserver);
BENCHMARK(BM_AddObserverNoShapes);
BENCHMARK(BM_AddObserverShapes);
BENCHMARK(BM_ModuleScope);

}  // namespace

BENCHMARK_MAIN();
