#include "report/console_reporter.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

#include "report/result_json.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

// " | layers 1 of 32, extrapolated", " | layers 4" (not scaled), or "".
std::string depth_text(const RunResult& r) {
  const Extrapolation& x = r.extrapolation;
  if (x.applied) return fmt::format(" | layers {} of {}, extrapolated", x.layers_built, x.layers_total);
  return r.config.layers > 0 ? fmt::format(" | layers {}", r.config.layers) : "";
}

// " | decode: 128-token context, 32 tokens, per token", " | prefill without the KV cache", or "".
std::string phase_text(const RunConfig& c) {
  if (c.phase == "decode") {
    return fmt::format(" | decode: {}-token context, {} tokens, per token", c.seq_len, c.gen_tokens);
  }
  if (c.phase != RunConfig().phase) return " | phase " + c.phase;
  return c.kv_cache == "off" ? " | prefill without the KV cache" : "";
}

// Decode's early and late halves of the generated tokens: how a token's cost moves as the cache grows. Step
// times are as measured; with --layers the full-depth estimate is theirs x the depth scale.
void print_decode(std::ostream& out, const RunResult& r) {
  const DecodeResult& d = r.decode;
  if (!d.present) return;
  const Extrapolation& x = r.extrapolation;
  const double scale = r.breakdown.depth_scale;
  const double tokens_per_s = x.applied && x.latency_ms > 0 ? 1000.0 * r.config.batch / x.latency_ms : d.tokens_per_s;
  fmt::print(out, "   decode   {}{:.1f} tokens/s{}, {} steps per sequence ({} sequences timed, {} profiled)\n",
             x.applied ? "ESTIMATE " : "", tokens_per_s, x.applied ? " at full depth" : "", d.gen_tokens,
             d.sequences_timed, d.sequences_profiled);
  for (const auto& [name, h] : {std::pair{"early", &d.early}, std::pair{"late ", &d.late}}) {
    fmt::print(out, "     {} half (steps {}-{}): median {:.3f} ms{}, non-GEMM {:.2f}%{}{}\n", name, h->first_step,
               h->last_step, h->median_ms,
               x.applied ? fmt::format(" (est. {:.3f} ms at {} layers)", h->median_ms * scale, x.layers_total) : "",
               h->non_gemm_share * 100, x.applied ? " (est., depth-scaled as the breakdown)" : "",
               h->top_group.empty() ? "" : ", top " + h->top_group);
  }
}

}  // namespace

void ConsoleReporter::report(const RunResult& r) {
  const auto& c = r.config;
  const std::string quant = quant_variant(c);
  fmt::print(out_, "\n== {} | {} | {} | {} | batch {} | seq {} | threads {}{}{}{}{}\n", c.model, c.flow, c.device,
             c.dtype, c.batch, c.seq_len, r.context.threads, c.attention.empty() ? "" : " | attention " + c.attention,
             quant.empty() ? "" : " | quant " + quant, phase_text(c), depth_text(r));
  if (r.status != "ok") {
    fmt::print(out_, "   FAILED: {}\n", r.error);
    return;
  }
  const Breakdown& b = r.breakdown;
  const auto& l = r.latency_ms;
  // A percentile is printed only from enough samples to hold it (10 for p90, 100 for p99).
  const Extrapolation& x = r.extrapolation;
  const size_t n = l.samples.size();
  const std::string p90 = n >= 10 ? fmt::format("  p90 {:.3f}", l.p90) : "";
  const std::string p99 = n >= 100 ? fmt::format("  p99 {:.3f}", l.p99) : "";
  fmt::print(out_, "   latency  median {:.3f} ms{}{}  min {:.3f}  max {:.3f}  sd {:.3f}  ({} iters){}\n", l.median, p90,
             p99, l.min, l.max, l.stddev, n,
             x.applied ? fmt::format(", measured with {} of {} layers", x.layers_built, x.layers_total) : "");
  if (x.applied) {
    // The measured latency is of the shallow model; the full model's is an estimate.
    fmt::print(out_, "   ESTIMATE full depth ({} layers): median {:.3f} ms = measured median x depth scale {:.2f} "
               "(not measured)\n", x.layers_total, x.latency_ms, b.depth_scale);
  }
  print_decode(out_, r);
  const Stability& st = r.stability;
  if (!st.verdict.empty()) {
    fmt::print(out_, "   stability {}: median's 95% interval {:.3f} .. {:.3f} ms (+-{:.1f}%, target {:.1f}%){}{}\n",
               st.verdict == "stable" ? "stable" : "UNSTABLE", st.median_ci_low_ms, st.median_ci_high_ms,
               100 * st.median_ci_rel, 100 * st.target_ci,
               st.other_load_cpus >= 0 ? fmt::format(", other load {:.2f} CPUs", st.other_load_cpus) : "",
               st.timed_blocks > 1 ? fmt::format(", phases interleaved in {} blocks", st.timed_blocks) : "");
    for (const auto& why : st.reasons) fmt::print(out_, "     warning: {}\n", why);
  }
  if (r.page_faults_per_iter >= 0) {
    fmt::print(out_, "   memory   allocator {}, {:.0f} minor page faults per timed iteration\n", r.context.allocator,
               r.page_faults_per_iter);
  }
  fmt::print(out_, "   profiled median {:.3f} ms  overhead {:+.2f}%  coverage {:.2f}%  ({} iters)\n",
             b.profiled_ms.median, (r.overhead - 1) * 100, b.coverage * 100, b.iterations);
  if (x.applied) {
    fmt::print(out_, "   EXTRAPOLATED from {} of {} layers: group and operator times (est.) are estimates for {} layers, "
               "each {} operator's time x{:.2f}\n", x.layers_built, x.layers_total, x.layers_total, x.layer_scope,
               x.factor);
  }
  if (r.energy.measured) {
    fmt::print(out_, "   energy   {:.4f} J/inference, {:.1f} W average over {} timed iterations\n",
               r.energy.joules_per_inference, r.energy.average_watts, r.energy.iterations);
  }
  if (b.basis == "device") {
    const DeviceSummary& d = b.device;
    fmt::print(out_, "   device   busy {:.3f} ms + idle {:.3f} ms = span {:.3f} ms (busy {:.1f}%; {:.1f}% of the timed median), "
               "{:.0f} kernels/iter; groups below are kernel time\n", d.busy_ms, d.idle_ms, d.span_ms,
               d.busy_fraction * 100, d.busy_fraction_timed * 100, d.kernels);
  }
  std::vector<const GroupTime*> groups;
  for (const auto& g : b.groups) groups.push_back(&g);
  std::stable_sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return a->share > b->share; });
  const std::string est = x.applied ? "est. " : "";
  fmt::print(out_, "   {:<26} {:<9} {:>13} {:>8}\n", "group", "side",
             est + (b.basis == "device" ? "kernel ms" : "ms/iter"), "share");
  for (const auto* g : groups) {
    if (g->time_ms == 0 && g->name != "Unclassified") continue;
    fmt::print(out_, "   {:<26} {:<9} {:>13.3f} {:>7.2f}%\n", g->name, side_name(g->side), g->time_ms,
               g->share * 100);
  }
  const double ng = non_gemm_ms(b);
  fmt::print(out_, "   {:<26} {:<9} {:>13.3f} {:>7.2f}%\n", "non-GEMM total", "", ng,
             b.attributed_ms > 0 ? ng / b.attributed_ms * 100 : 0.0);
  fmt::print(out_, "   top operators{}:\n", x.applied ? " (est. ms)" : "");
  for (size_t i = 0; i < b.ops.size() && static_cast<int>(i) < top_ops_; ++i) {
    const auto& o = b.ops[i];
    fmt::print(out_, "     {:<34} {:<24} {:<20} {:>7.1f} calls {:>10.3f} ms {:>6.2f}%\n", o.name, o.group,
               o.scope.empty() ? "-" : o.scope, o.calls, b.basis == "device" ? o.device_ms : o.total_ms,
               o.share * 100);
  }
  size_t n_unclassified = 0;
  for (const auto& o : b.ops) {
    if (o.group != "Unclassified") continue;
    if (n_unclassified++ == 0) {
      fmt::print(out_, "   unclassified operators{} (add a rule, see docs/taxonomy.md):\n", x.applied ? " (est. ms)" : "");
    }
    fmt::print(out_, "     {:<40} {:>7.1f} calls {:>10.3f} ms\n", o.name, o.calls, o.total_ms);
  }
  if (n_unclassified == 0) fmt::print(out_, "   unclassified operators: none\n");
  if (b.other_thread_records > 0) {
    fmt::print(out_, "   ops on other threads (not attributed): {} ({:.3f} ms/iter)\n", b.other_thread_records,
               b.other_thread_ms);
  }
}

}  // namespace ngbench::report
