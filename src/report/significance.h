#pragma once
// Significance of a change between two runs, from per-iteration samples
// (docs/reports.md, "Statistics").
//
// The statistic is the change of the median, the number `ngbench run` prints:
// median(b) - median(a), and median(b) / median(a) for the relative change.
// Its uncertainty is a percentile bootstrap: both samples are resampled with
// replacement, B times, from a seeded generator (SplitMix64: the same inputs
// give the same numbers on every machine). From the one bootstrap distribution come
//  - the two-sided p-value, 2 min(P*(diff <= 0), P*(diff >= 0)), capped at 1;
//  - the interval of the difference at any level: its order statistics;
//  - the interval of the ratio: the same order statistics of the ratios. A
//    ratio is never negative, so a relative change never passes -100%.
// The three agree by construction: an interval at level 1 - a excludes 0 (the
// ratio's excludes 1) exactly when p < a. With Holm's adjustment each row's
// intervals are taken at the level Holm tests it at (holm_levels), so a row's
// intervals exclude 0 exactly when its adjusted p is below alpha.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ngbench::report::stats {

inline constexpr int kBootstrapReplicates = 10000;

// The bootstrap distribution of the change of the median from a to b. Keeps
// the sorted tails of the replicates that intervals at levels up to
// `max_level` need (a few hundred values, not B).
class MedianBootstrap {
 public:
  // Samples of fewer than two values cannot be resampled: not valid.
  MedianBootstrap(const std::vector<double>& a, const std::vector<double>& b, uint64_t seed, double max_level,
                  int replicates = kBootstrapReplicates);

  bool valid() const { return valid_; }
  size_t n_a() const { return n_a_; }
  size_t n_b() const { return n_b_; }
  double median_a() const { return median_a_; }  // core/stats.h percentile(50): what `run` prints
  double median_b() const { return median_b_; }
  // Two-sided p-value of "no change in the median"; 1 when not valid. 0 when
  // no replicate reached 0 (shown as "< 1/B").
  double p_value() const;

  struct Interval {
    double lo = 0, hi = 0;
  };
  // Percentile intervals at confidence 1 - level, for 0 < level <= max_level.
  // The ratio's is empty (lo = hi = 0) when median_a is 0.
  Interval diff_interval(double level) const;
  Interval ratio_interval(double level) const;
  int replicates() const { return replicates_; }

 private:
  size_t order_index(double level) const;  // k - 1 of the interval's k-th order statistics
  bool valid_ = false;
  size_t n_a_ = 0, n_b_ = 0;
  double median_a_ = 0, median_b_ = 0;
  int replicates_ = 0;
  size_t at_or_below_ = 0, at_or_above_ = 0;  // replicates with diff <= 0, >= 0
  std::vector<double> low_diffs_, high_diffs_;    // the smallest and the largest, ascending
  std::vector<double> low_ratios_, high_ratios_;  // likewise; +inf where median(a*) is 0 < median(b*)
};

// A change with its intervals at one level, as reports show it.
struct MedianChange {
  bool valid = false;  // both samples have at least two values
  size_t n_a = 0, n_b = 0;
  double median_a = 0, median_b = 0;
  double diff = 0;              // median_b - median_a
  double ci_lo = 0, ci_hi = 0;  // of diff, at `confidence`
  double confidence = 0;        // 1 - the level the intervals are taken at
  double p = 1;                 // two-sided, not adjusted
  bool has_ratio = false;       // median_a > 0
  double ratio = 0, ratio_lo = 0, ratio_hi = 0;  // median_b / median_a and its interval (>= 0)
};

// The change with its intervals at confidence 1 - level (level <= the
// bootstrap's max_level).
MedianChange median_change(const MedianBootstrap& boot, double level);

// Holm-adjusted p-values, in the order given (monotone, capped at 1).
std::vector<double> holm_adjust(const std::vector<double>& p);

// The level Holm's step-down procedure at `alpha` tests each p at: the k-th
// smallest at alpha / (m - k + 1) while every smaller one is rejected; from
// the first that is not, every later one at that step's level. A p is
// rejected exactly when p < its level, that is when holm_adjust(p) < alpha.
std::vector<double> holm_levels(const std::vector<double>& p, double alpha);

}  // namespace ngbench::report::stats
