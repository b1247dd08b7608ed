#include "synthetic_decode.h"

namespace ngbench::report::testing {

RunResult synth_decode(const SynthModel& model, SynthOptions options, int64_t context, int64_t gen_tokens) {
  options.group_scale["Memory"] = 3;
  RunResult r = synth_result(model, options);
  r.config.seq_len = context;
  r.config.phase = "decode";
  r.config.gen_tokens = gen_tokens;
  r.config.kv_cache = "";
  // Every timing a tenth of the forward's (the breakdown stays the forward's shape, with more Memory).
  SampleStats& l = r.latency_ms;
  for (double* v : {&l.median, &l.p90, &l.p99, &l.min, &l.max, &l.mean, &l.stddev, &r.extrapolation.latency_ms,
                    &r.stability.median_ci_low_ms, &r.stability.median_ci_high_ms}) {
    *v /= 10;
  }
  for (double& v : l.samples) v /= 10;
  DecodeResult& d = r.decode;
  d.present = true;
  d.context = context;
  d.gen_tokens = gen_tokens;
  d.sequences_timed = 5;
  d.sequences_profiled = 3;
  d.tokens_per_s = 1000.0 * static_cast<double>(r.config.batch) / r.latency_ms.median;
  d.early = {0, gen_tokens / 2 - 1, r.latency_ms.median * 0.9, 0.30, "Memory"};
  d.late = {gen_tokens / 2, gen_tokens - 1, r.latency_ms.median * 1.1, 0.40, "Memory"};
  return r;
}

RunResult synth_prefill(const SynthModel& model, const SynthOptions& options, int64_t context, const char* kv_cache) {
  RunResult r = synth_result(model, options);
  r.config.seq_len = context;
  r.config.kv_cache = kv_cache;
  return r;
}

}  // namespace ngbench::report::testing
