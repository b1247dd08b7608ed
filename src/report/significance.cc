#include "report/significance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ngbench::report::stats {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Continued fraction of I_x(a, b) (the expansion in DLMF 8.17.22), evaluated
// with the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    // Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    f *= d * c;
    // Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::fabs(delta - 1.0) < kEps) break;
  }
  return f;
}

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v, double mean) {
  if (v.size() < 2) return 0.0;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return ss / static_cast<double>(v.size() - 1);
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0.0;
  if (x >= 1) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                           b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges.
  return 1.0 - std::exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t)) return t;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  if (!(df < 1e10)) return 0.5 * std::erfc(-t / std::sqrt(2.0));
  // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  const double tail = 0.5 * regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
  return t > 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (p <= 0) return -kInf;
  if (p >= 1) return kInf;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  double lo = 0, hi = 1;
  while (student_t_cdf(hi, df) < p && hi < 1e12) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  WelchTest w;
  w.confidence = confidence;
  w.n_a = a.size();
  w.n_b = b.size();
  w.mean_a = mean_of(a);
  w.mean_b = mean_of(b);
  w.diff = w.mean_b - w.mean_a;
  w.ci_lo = w.ci_hi = w.diff;
  if (a.size() < 2 || b.size() < 2) return w;
  w.valid = true;
  w.var_a = variance_of(a, w.mean_a);
  w.var_b = variance_of(b, w.mean_b);
  const double va = w.var_a / static_cast<double>(w.n_a);
  const double vb = w.var_b / static_cast<double>(w.n_b);
  w.se = std::sqrt(va + vb);
  // Differences below rounding of the means count as none.
  const double scale = std::max({std::fabs(w.mean_a), std::fabs(w.mean_b), 1e-300});
  if (w.se <= 1e-12 * scale) {
    w.df = kInf;
    const bool same = std::fabs(w.diff) <= 1e-12 * scale;
    w.t = same ? 0.0 : std::copysign(kInf, w.diff);
    w.p = same ? 1.0 : 0.0;
    return w;
  }
  w.df = (va + vb) * (va + vb) /
         (va * va / static_cast<double>(w.n_a - 1) + vb * vb / static_cast<double>(w.n_b - 1));
  w.t = w.diff / w.se;
  w.p = std::min(1.0, 2.0 * student_t_cdf(-std::fabs(w.t), w.df));
  const double q = student_t_quantile(0.5 + confidence / 2.0, w.df);
  w.ci_lo = w.diff - q * w.se;
  w.ci_hi = w.diff + q * w.se;
  return w;
}

RelativeChange relative_change(const WelchTest& w) {
  RelativeChange r;
  if (w.mean_a == 0) return r;
  const double ratio = w.mean_b / w.mean_a;
  r.value = r.lo = r.hi = ratio - 1.0;
  if (!w.valid) return r;
  r.valid = true;
  // Var(mb / ma) ~ (mb / ma)^2 (Var(mb) / mb^2 + Var(ma) / ma^2), written so
  // that mean_b == 0 (an operator that disappeared) is no division by zero.
  const double va = w.var_a / static_cast<double>(w.n_a);
  const double vb = w.var_b / static_cast<double>(w.n_b);
  const double se = std::sqrt(vb / (w.mean_a * w.mean_a) + ratio * ratio * va / (w.mean_a * w.mean_a));
  if (se == 0 || std::isinf(w.df)) return r;
  const double q = student_t_quantile(0.5 + w.confidence / 2.0, w.df);
  r.lo = r.value - q * se;
  r.hi = r.value + q * se;
  return r;
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

}  // namespace ngbench::report::stats
