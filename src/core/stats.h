#pragma once
// Summary statistics of per-iteration samples.
#include <vector>

namespace ngbench {

struct SampleStats {
  double median = 0, p90 = 0, p99 = 0, min = 0, max = 0, mean = 0, stddev = 0;
  std::vector<double> samples;  // in the order they were taken
};

// Percentile by linear interpolation between closest ranks (numpy's default);
// q in [0, 100]. Requires a non-empty input.
double percentile(std::vector<double> values, double q);

// Summary of samples; stddev is the sample standard deviation (n - 1).
// An empty input gives all zeros.
SampleStats summarize(const std::vector<double>& samples);

}  // namespace ngbench
