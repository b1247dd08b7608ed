#include "runner/warmup.h"

#include <algorithm>
#include <cmath>

namespace ngbench::runner {

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

bool WarmupJudge::stable() const {
  const auto n = static_cast<int>(samples_.size());
  if (rule_.window < 1 || n < 2 * rule_.window) return false;
  const std::vector<double> last(samples_.end() - rule_.window, samples_.end());
  const std::vector<double> prev(samples_.end() - 2 * rule_.window, samples_.end() - rule_.window);
  const double before = median(prev);
  return std::abs(median(last) - before) <= rule_.tolerance * before;
}

bool WarmupJudge::more(double elapsed_s) const {
  const auto n = static_cast<int>(samples_.size());
  if (n < rule_.min_iterations) return true;
  if (stable()) return false;
  return n < rule_.max_iterations && elapsed_s < rule_.max_seconds;
}

void WarmupJudge::add(double ms) { samples_.push_back(ms); }

WarmupRecord WarmupJudge::record(double elapsed_s) const {
  return {static_cast<int>(samples_.size()), stable(), elapsed_s};
}

}  // namespace ngbench::runner
