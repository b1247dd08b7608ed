#pragma once
// The warm-up rule, one for every backend and both phases: at least a minimum
// number of iterations, then until the iteration times stop drifting (the
// median of the last `window` iterations within `tolerance` of the median of
// the `window` before), bounded by a time budget and an iteration cap.
#include "core/run_result.h"

namespace ngbench::runner {

struct WarmupRule {
  int min_iterations = 3;
  double max_seconds = 10;  // the budget: past it, warm-up ends once the minimum is done
  int window = 5;
  double tolerance = 0.02;  // relative change of the window medians
  int max_iterations = 200;
};

class WarmupJudge {
 public:
  explicit WarmupJudge(WarmupRule rule) : rule_(rule) {}

  // Whether another warm-up iteration should run, given the time spent so far (seconds).
  bool more(double elapsed_s) const;
  // Adds one warm-up iteration's time (ms).
  void add(double ms);
  // How warm-up ended, with the elapsed time given.
  WarmupRecord record(double elapsed_s) const;

 private:
  bool stable() const;

  WarmupRule rule_;
  std::vector<double> samples_;
};

}  // namespace ngbench::runner
