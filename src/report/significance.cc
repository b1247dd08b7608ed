#include "report/significance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/error.h"
#include "core/stats.h"

namespace ngbench::report::stats {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// SplitMix64 (Steele, Lea, Flood 2014): a small, fast generator whose output
// is fully specified, so a seed gives the same replicates everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Two indices uniform in [0, n) (n < 2^32) from one draw, by multiply-shift
  // of each 32-bit half (bias below n / 2^32).
  std::pair<size_t, size_t> two_below(uint64_t n) {
    const uint64_t x = next();
    return {static_cast<size_t>(((x >> 32) * n) >> 32), static_cast<size_t>(((x & 0xffffffffULL) * n) >> 32)};
  }

 private:
  uint64_t state_;
};

// The median of a resample with replacement of `sorted` (ascending), as
// core/stats.h percentile(50) takes it: the middle value, or the mean of the
// two middle ones. A resample's order statistics are those of its indices, so
// counting how often each index is drawn finds them without sorting.
double resampled_median(const std::vector<double>& sorted, std::vector<uint32_t>& counts, SplitMix64& rng) {
  const size_t n = sorted.size();
  counts.assign(n, 0);
  for (size_t i = 0; i + 1 < n; i += 2) {
    const auto [j, k] = rng.two_below(n);
    ++counts[j];
    ++counts[k];
  }
  if (n % 2 == 1) ++counts[rng.two_below(n).first];
  const size_t lo = (n - 1) / 2, hi = n / 2;  // positions of the middle values in the sorted resample
  size_t seen = 0, i = 0;
  while (seen + counts[i] <= lo) seen += counts[i++];
  const double low = sorted[i];
  while (seen + counts[i] <= hi) seen += counts[i++];
  return (low + sorted[i]) / 2;
}

// The `keep` smallest and largest of `v`, each ascending (v is reordered).
void tails(std::vector<double>& v, size_t keep, std::vector<double>& low, std::vector<double>& high) {
  const auto k = static_cast<std::ptrdiff_t>(keep);
  std::nth_element(v.begin(), v.begin() + k - 1, v.end());
  low.assign(v.begin(), v.begin() + k);
  std::sort(low.begin(), low.end());
  std::nth_element(v.begin(), v.end() - k, v.end());
  high.assign(v.end() - k, v.end());
  std::sort(high.begin(), high.end());
}

// median(b*) / median(a*), ordered like median(b*) - median(a*) around 0 / 1.
double ratio_of(double ma, double mb) {
  if (ma > 0) return mb / ma;
  return mb > 0 ? kInf : 1.0;
}

}  // namespace

MedianBootstrap::MedianBootstrap(const std::vector<double>& a, const std::vector<double>& b, uint64_t seed,
                                 double max_level, int replicates)
    : n_a_(a.size()), n_b_(b.size()), replicates_(replicates) {
  NGBENCH_CHECK(replicates > 0 && max_level > 0 && max_level <= 1, "bad bootstrap parameters");
  median_a_ = a.empty() ? 0.0 : percentile(a, 50);
  median_b_ = b.empty() ? 0.0 : percentile(b, 50);
  valid_ = a.size() >= 2 && b.size() >= 2;
  if (!valid_) return;
  std::vector<double> sa(a), sb(b);
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  SplitMix64 rng(seed);
  std::vector<double> diffs(static_cast<size_t>(replicates)), ratios(diffs.size());
  std::vector<uint32_t> counts;
  for (size_t i = 0; i < diffs.size(); ++i) {
    const double ma = resampled_median(sa, counts, rng);
    const double mb = resampled_median(sb, counts, rng);
    diffs[i] = mb - ma;
    ratios[i] = ratio_of(ma, mb);
    at_or_below_ += diffs[i] <= 0 ? 1 : 0;
    at_or_above_ += diffs[i] >= 0 ? 1 : 0;
  }
  const size_t keep = order_index(max_level) + 1;
  tails(diffs, keep, low_diffs_, high_diffs_);
  tails(ratios, keep, low_ratios_, high_ratios_);
}

// P-values are p(c) = 2c / B for c replicates on the far side of 0. The
// intervals at `level` are the k-th smallest and k-th largest replicates, k
// the smallest count with p(k) >= level, so that the lower end is above 0
// exactly when fewer than k replicates are <= 0, that is when p < level.
size_t MedianBootstrap::order_index(double level) const {
  const auto b = static_cast<double>(replicates_);
  auto p_of = [b](double c) { return 2.0 * c / b; };
  double k = std::clamp(std::ceil(level * b / 2), 1.0, b);
  while (k > 1 && !(p_of(k - 1) < level)) --k;
  while (k < b && p_of(k) < level) ++k;
  return static_cast<size_t>(k) - 1;
}

double MedianBootstrap::p_value() const {
  if (!valid_) return 1.0;
  const auto c = static_cast<double>(std::min(at_or_below_, at_or_above_));
  return std::min(1.0, 2.0 * c / static_cast<double>(replicates_));
}

MedianBootstrap::Interval MedianBootstrap::diff_interval(double level) const {
  if (!valid_) return {median_b_ - median_a_, median_b_ - median_a_};
  const size_t k = order_index(level);
  NGBENCH_CHECK(k < low_diffs_.size(), "interval level above the bootstrap's max_level");
  return {low_diffs_[k], high_diffs_[high_diffs_.size() - 1 - k]};
}

MedianBootstrap::Interval MedianBootstrap::ratio_interval(double level) const {
  if (!(median_a_ > 0)) return {};
  if (!valid_) return {median_b_ / median_a_, median_b_ / median_a_};
  const size_t k = order_index(level);
  NGBENCH_CHECK(k < low_ratios_.size(), "interval level above the bootstrap's max_level");
  return {low_ratios_[k], high_ratios_[high_ratios_.size() - 1 - k]};
}

MedianChange median_change(const MedianBootstrap& boot, double level) {
  MedianChange c;
  c.valid = boot.valid();
  c.n_a = boot.n_a();
  c.n_b = boot.n_b();
  c.median_a = boot.median_a();
  c.median_b = boot.median_b();
  c.diff = c.median_b - c.median_a;
  c.confidence = 1 - level;
  c.p = boot.p_value();
  const auto d = boot.diff_interval(level);
  c.ci_lo = d.lo;
  c.ci_hi = d.hi;
  c.has_ratio = c.median_a > 0;
  if (c.has_ratio) {
    c.ratio = c.median_b / c.median_a;
    const auto r = boot.ratio_interval(level);
    c.ratio_lo = r.lo;
    c.ratio_hi = r.hi;
  }
  return c;
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return p[i] < p[j]; });
  std::vector<double> out(m);
  double running = 0;
  for (size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    out[order[k]] = running;
  }
  return out;
}

std::vector<double> holm_levels(const std::vector<double>& p, double alpha) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return p[i] < p[j]; });
  std::vector<double> out(m);
  bool rejecting = true;
  double level = alpha;
  for (size_t k = 0; k < m; ++k) {
    if (rejecting) {
      level = alpha / static_cast<double>(m - k);
      rejecting = p[order[k]] < level;
    }
    out[order[k]] = level;
  }
  return out;
}

}  // namespace ngbench::report::stats
