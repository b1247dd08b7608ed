#include "runner/decode_summary.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/error.h"
#include "core/stats.h"

namespace ngbench::runner {

namespace {

// Per group, the summed time of the profiled iterations whose step lies in [first, last].
std::vector<double> group_times(const Breakdown& b, const std::vector<int>& steps, int64_t first, int64_t last) {
  std::vector<double> out(b.groups.size(), 0.0);
  for (size_t g = 0; g < b.groups.size(); ++g) {
    const auto& iter = b.groups[g].iter_ms;
    for (size_t k = 0; k < iter.size() && k < steps.size(); ++k) {
      if (steps[k] >= first && steps[k] <= last) out[g] += iter[k];
    }
  }
  return out;
}

double non_gemm_share(const Breakdown& b, const std::vector<double>& times) {
  double all = 0, non_gemm = 0;
  for (size_t g = 0; g < times.size(); ++g) {
    all += times[g];
    if (b.groups[g].side == Side::kNonGemm) non_gemm += times[g];
  }
  return all > 0 ? non_gemm / all : 0;
}

DecodeHalf half(const std::vector<double>& timed_ms, const std::vector<int>& timed_steps,
                const std::vector<int>& profiled_steps, const Breakdown& b, int64_t first, int64_t last) {
  DecodeHalf h;
  h.first_step = first;
  h.last_step = last;
  std::vector<double> samples;
  for (size_t i = 0; i < timed_ms.size() && i < timed_steps.size(); ++i) {
    if (timed_steps[i] >= first && timed_steps[i] <= last) samples.push_back(timed_ms[i]);
  }
  h.median_ms = samples.empty() ? 0 : percentile(samples, 50);
  const std::vector<double> times = group_times(b, profiled_steps, first, last);
  h.non_gemm_share = non_gemm_share(b, times);
  double top = 0;
  for (size_t g = 0; g < times.size(); ++g) {
    if (b.groups[g].side == Side::kNonGemm && times[g] > top) {
      top = times[g];
      h.top_group = b.groups[g].name;
    }
  }
  return h;
}

}  // namespace

DecodeResult summarize_decode(const std::vector<double>& timed_ms, const std::vector<int>& timed_steps,
                              const std::vector<int>& profiled_steps, const Breakdown& breakdown, int64_t context,
                              int64_t gen_tokens, int64_t batch) {
  NGBENCH_CHECK(timed_ms.size() == timed_steps.size(), "one step per timed pass");
  DecodeResult d;
  d.present = true;
  d.context = context;
  d.gen_tokens = gen_tokens;
  d.sequences_timed = static_cast<int>(timed_ms.size() / static_cast<size_t>(std::max<int64_t>(1, gen_tokens)));
  d.sequences_profiled =
      static_cast<int>(profiled_steps.size() / static_cast<size_t>(std::max<int64_t>(1, gen_tokens)));
  const double median = timed_ms.empty() ? 0 : percentile(timed_ms, 50);
  d.tokens_per_s = median > 0 ? static_cast<double>(batch) * 1000.0 / median : 0;

  std::map<int, std::vector<double>> by_step;
  for (size_t i = 0; i < timed_ms.size(); ++i) by_step[timed_steps[i]].push_back(timed_ms[i]);
  for (int64_t s = 0; s < gen_tokens; ++s) {
    DecodeStep step;
    step.step = s;
    step.context = context + s;
    const auto it = by_step.find(static_cast<int>(s));
    if (it != by_step.end()) {
      step.median_ms = percentile(it->second, 50);
      step.samples = static_cast<int>(it->second.size());
    }
    const std::vector<double> times = group_times(breakdown, profiled_steps, s, s);
    int profiled = 0;
    for (int p : profiled_steps) profiled += p == s ? 1 : 0;
    double all = 0;
    for (double t : times) all += t;
    step.attributed_ms = profiled > 0 ? all / profiled : 0;
    step.non_gemm_share = non_gemm_share(breakdown, times);
    d.steps.push_back(step);
  }
  // Halves: steps [0, g/2) and [g/2, g); a single step is both.
  const int64_t mid = gen_tokens / 2;
  d.early = half(timed_ms, timed_steps, profiled_steps, breakdown, 0, std::max<int64_t>(0, mid - 1));
  d.late = half(timed_ms, timed_steps, profiled_steps, breakdown, gen_tokens > 1 ? mid : 0, gen_tokens - 1);
  return d;
}

}  // namespace ngbench::runner
