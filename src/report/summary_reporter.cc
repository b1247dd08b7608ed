#include "report/summary_reporter.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "report/result_json.h"
#include "report/result_set.h"
#include "report/text_table.h"

namespace ngbench::report {

namespace {

// The largest non-GEMM group and its share, "" when none took time.
std::string top_non_gemm(const Breakdown& b) {
  const GroupTime* top = nullptr;
  for (const auto& g : b.groups) {
    if (g.side == Side::kNonGemm && g.time_ms > 0 && (top == nullptr || g.time_ms > top->time_ms)) top = &g;
  }
  return top ? fmt::format("{} {:.1f}%", top->name, 100 * top->share) : "-";
}

}  // namespace

void SummaryReporter::finalize() {
  if (results_.empty()) return;
  TextTable t;
  t.header = {"model", "flow", "device", "dtype", "batch", "seq", "median ms", "95% CI", "non-GEMM", "top non-GEMM",
              "stability"};
  t.numeric = {false, false, false, false, true, true, true, true, true, false, false};
  for (const auto& r : results_) {
    const RunConfig& c = r.config;
    const std::string seq = c.seq_len > 0 ? std::to_string(c.seq_len) : "-";
    const std::string q = quant_variant(c);
    const std::string p = phase_variant(c);  // --quant: another model; decode: times per generated token
    const std::string model = (q.empty() ? c.model : c.model + " q-" + q) + (p.empty() ? "" : " " + p);
    if (r.status != "ok") {
      t.add({model, c.flow, c.device, c.dtype, std::to_string(c.batch), seq, "-", "-", "-", "-", "failed"});
      continue;
    }
    const Breakdown& b = r.breakdown;
    const bool scaled = r.extrapolation.applied;
    const std::string median =
        scaled ? fmt::format("{:.2f} (est. {:.0f} at {} layers)", r.latency_ms.median, r.extrapolation.latency_ms,
                             r.extrapolation.layers_total)
               : fmt::format("{:.2f}", r.latency_ms.median);
    t.add({model, c.flow, c.device, c.dtype, std::to_string(c.batch), seq, median,
           fmt::format("+-{:.1f}%", 100 * r.stability.median_ci_rel),
           fmt::format("{:.1f}%", b.attributed_ms > 0 ? 100 * non_gemm_ms(b) / b.attributed_ms : 0.0),
           top_non_gemm(b), r.stability.verdict});
  }
  fmt::print(out_, "\n== summary\n{}", t.markdown());
  for (const auto& r : results_) {
    for (const auto& why : r.stability.reasons) {
      fmt::print(out_, "   unstable: {} b{}: {}\n", r.config.model, r.config.batch, why);
    }
  }
}

}  // namespace ngbench::report
