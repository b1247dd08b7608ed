#pragma once
// The tool judges the stability of its own timings (pyperf and Google
// Benchmark are the anchors). From the timed samples: a distribution-free 95%
// confidence interval of the median (order statistics), the robust spread,
// bimodality, drift; from the machine: how much other work ran meanwhile; from
// the result: an observer overhead outside a plausible band, coverage too low.
// Each finding is one line of Stability::reasons; none: "stable".
#include <vector>

#include "core/run_result.h"

namespace ngbench {

// The thresholds, in one place (docs/architecture.md explains each).
struct StabilityRules {
  double max_other_load_share = 0.10;  // of the machine's logical CPUs
  double min_other_load_cpus = 0.10;   // ... and at least this many CPUs
  double max_drift = 0.10;
  double bimodal_gap_vs_spread = 5;    // the gap between the clusters vs the larger cluster's interquartile range
  double bimodal_min_gap = 0.05;       // ... and vs the median
  double bimodal_min_cluster = 0.15;   // each cluster holds at least this share of the samples (and 2)
  double min_overhead = 0.9;           // profiled / timed median outside [min, max]: one phase was disturbed
  double max_overhead = 3.0;
  double min_coverage = 0.8;
  int min_warmup_for_verdict = 10;     // a warm-up that ran this many passes without settling is a reason
};

struct MedianInterval {
  double low = 0, high = 0;
  bool exact = true;  // false: too few samples for the confidence asked; [min, max] instead
};

// The order-statistics confidence interval of the median (no assumption on
// the distribution): [x(j), x(n-1-j)] for the largest j with P(Binomial(n, 1/2) <= j) <= (1 - confidence) / 2.
MedianInterval median_interval(std::vector<double> samples, double confidence = 0.95);

// Whether the samples fall into two separated clusters (StabilityRules' bimodal_* thresholds).
bool is_bimodal(std::vector<double> samples, const StabilityRules& rules = {});

// (median of the second half - median of the first half) / median of all; 0 for fewer than 4 samples.
double drift(const std::vector<double>& samples);

// 1.4826 x the median absolute deviation / the median; 0 for an empty input.
double robust_cv(const std::vector<double>& samples);

// Judges a finished result (status ok): its timed samples, warm-up, overhead
// and coverage, and the other load measured around it (`other_load_cpus`, -1
// when unknown, on a machine of `logical_cpus`).
Stability judge_stability(const RunResult& result, double other_load_cpus, int logical_cpus, int timed_blocks,
                          const StabilityRules& rules = {});

}  // namespace ngbench
