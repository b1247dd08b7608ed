#include "core/stability.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/stats.h"

namespace ngbench {

namespace {

double median_of(std::vector<double> v) { return v.empty() ? 0 : percentile(std::move(v), 50); }

double iqr(const std::vector<double>& v) { return v.empty() ? 0 : percentile(v, 75) - percentile(v, 25); }

// P(Binomial(n, 1/2) = i), in log space (n up to millions).
double binomial_half_pmf(int n, int i) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
}

}  // namespace

MedianInterval median_interval(std::vector<double> samples, double confidence) {
  MedianInterval m;
  if (samples.empty()) return {0, 0, false};
  std::sort(samples.begin(), samples.end());
  const int n = static_cast<int>(samples.size());
  const double tail = (1 - confidence) / 2;
  int j = -1;
  double cdf = 0;  // P(Binomial(n, 1/2) <= j)
  while (j + 1 < n / 2 && cdf + binomial_half_pmf(n, j + 1) <= tail) cdf += binomial_half_pmf(n, ++j);
  if (j < 0) return {samples.front(), samples.back(), false};
  m.low = samples[static_cast<size_t>(j)];
  m.high = samples[static_cast<size_t>(n - 1 - j)];
  return m;
}

bool is_bimodal(std::vector<double> v, const StabilityRules& rules) {
  const size_t n = v.size();
  const auto min_cluster = std::max<size_t>(2, static_cast<size_t>(std::ceil(rules.bimodal_min_cluster * n)));
  if (n < 2 * min_cluster) return false;
  std::sort(v.begin(), v.end());
  size_t cut = 0;  // the largest gap is between v[cut - 1] and v[cut], each side large enough
  double gap = -1;
  for (size_t i = min_cluster; i + min_cluster <= n; ++i) {
    if (v[i] - v[i - 1] > gap) {
      gap = v[i] - v[i - 1];
      cut = i;
    }
  }
  const std::vector<double> low(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(cut));
  const std::vector<double> high(v.begin() + static_cast<std::ptrdiff_t>(cut), v.end());
  const double med = median_of(v);
  const double spread = std::max({iqr(low), iqr(high), 0.005 * med});
  return gap >= rules.bimodal_gap_vs_spread * spread && gap >= rules.bimodal_min_gap * med;
}

double drift(const std::vector<double>& samples) {
  if (samples.size() < 4) return 0;
  const auto half = static_cast<std::ptrdiff_t>(samples.size() / 2);
  const double first = median_of({samples.begin(), samples.begin() + half});
  const double second = median_of({samples.end() - half, samples.end()});
  const double all = median_of(samples);
  return all > 0 ? (second - first) / all : 0;
}

double robust_cv(const std::vector<double>& samples) {
  if (samples.empty()) return 0;
  const double med = median_of(samples);
  std::vector<double> dev;
  dev.reserve(samples.size());
  for (double x : samples) dev.push_back(std::abs(x - med));
  return med > 0 ? 1.4826 * median_of(dev) / med : 0;
}

Stability judge_stability(const RunResult& r, double other_load_cpus, int logical_cpus, int timed_blocks,
                          const StabilityRules& rules) {
  Stability s;
  const auto& x = r.latency_ms.samples;
  const double med = r.latency_ms.median;
  const MedianInterval ci = median_interval(x);
  s.target_ci = r.config.target_ci;
  s.median_ci_low_ms = ci.low;
  s.median_ci_high_ms = ci.high;
  s.median_ci_rel = med > 0 ? (ci.high - ci.low) / 2 / med : 0;
  s.robust_cv = robust_cv(x);
  s.bimodal = is_bimodal(x, rules);
  s.drift = drift(x);
  s.other_load_cpus = other_load_cpus;
  s.logical_cpus = logical_cpus;
  s.timed_blocks = timed_blocks;
  auto& why = s.reasons;
  if (!ci.exact) {
    why.push_back(fmt::format("{} timed samples are too few for a 95% interval of the median (6 at least)", x.size()));
  } else if (s.median_ci_rel > r.config.target_ci) {
    why.push_back(fmt::format("the median's 95% interval is +-{:.1f}%, wider than the {:.1f}% target", 100 * s.median_ci_rel,
                              100 * r.config.target_ci));
  }
  if (s.bimodal) why.push_back("the timed samples fall into two separated clusters (bimodal)");
  if (std::abs(s.drift) > rules.max_drift) {
    why.push_back(fmt::format("the timed samples drift {:+.1f}% from the first half to the second", 100 * s.drift));
  }
  const double load_limit = std::max(rules.min_other_load_cpus, rules.max_other_load_share * logical_cpus);
  if (other_load_cpus > load_limit) {
    why.push_back(fmt::format("other work used {:.2f} of the machine's {} CPUs while it measured", other_load_cpus,
                              logical_cpus));
  }
  if (r.overhead > 0 && (r.overhead < rules.min_overhead || r.overhead > rules.max_overhead)) {
    why.push_back(fmt::format("profiled / timed median is {:.2f}, outside [{:.1f}, {:.1f}]: one phase was disturbed",
                              r.overhead, rules.min_overhead, rules.max_overhead));
  }
  if (r.breakdown.coverage < rules.min_coverage) {
    why.push_back(fmt::format("coverage {:.1f}% is below {:.0f}%: time between operators (other work, or the flow's own)",
                              100 * r.breakdown.coverage, 100 * rules.min_coverage));
  }
  const WarmupRecord& w = r.warmup.timed;
  if (!w.stable && w.iterations >= rules.min_warmup_for_verdict) {
    why.push_back(fmt::format("warm-up did not settle in {} passes ({:.1f} s)", w.iterations, w.seconds));
  }
  s.verdict = why.empty() ? "stable" : "unstable";
  return s;
}

}  // namespace ngbench
