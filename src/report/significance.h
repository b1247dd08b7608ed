#pragma once
// Significance of a change between two runs, from per-iteration samples.
//
// ngbench's own statistics code (docs/reports.md, "Statistics"):
//  - Welch's unequal-variance t-test on the difference of means, with the
//    Welch-Satterthwaite degrees of freedom and a two-sided p-value from the
//    Student t distribution (its CDF via the regularized incomplete beta
//    function, evaluated by a continued fraction).
//  - A confidence interval for the difference of means (t quantile by
//    bisection on the CDF), and one for the relative change mean_b/mean_a - 1
//    by the delta method with the same degrees of freedom.
//  - Holm's step-down adjustment for a family of tests (the rows of a table).
#include <cstddef>
#include <vector>

namespace ngbench::report::stats {

// I_x(a, b) for a, b > 0 and x in [0, 1].
double regularized_incomplete_beta(double a, double b, double x);

// CDF of Student's t distribution with `df` > 0 degrees of freedom (df may be
// fractional; infinity gives the standard normal).
double student_t_cdf(double t, double df);

// The t with student_t_cdf(t, df) == p, for p in (0, 1).
double student_t_quantile(double p, double df);

struct WelchTest {
  bool valid = false;  // both samples have at least two values
  size_t n_a = 0, n_b = 0;
  double mean_a = 0, mean_b = 0;
  double var_a = 0, var_b = 0;  // sample variances (n - 1)
  double diff = 0;              // mean_b - mean_a
  double se = 0;                // standard error of diff
  double df = 0;                // Welch-Satterthwaite; infinity when se == 0
  double t = 0;
  double p = 1;                 // two-sided
  double ci_lo = 0, ci_hi = 0;  // of diff, at `confidence`
  double confidence = 0.95;
};

// B minus A. With zero variance on both sides the test degenerates: equal
// means give p = 1, different means p = 0 (a deterministic difference).
WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);

// mean_b / mean_a - 1 with a delta-method confidence interval.
struct RelativeChange {
  bool valid = false;  // mean_a != 0 and the test was valid
  double value = 0, lo = 0, hi = 0;  // fractions: -0.3 is "30% less"
};
RelativeChange relative_change(const WelchTest& w);

// Holm-adjusted p-values, in the order given (monotone, capped at 1).
std::vector<double> holm_adjust(const std::vector<double>& p);

}  // namespace ngbench::report::stats
