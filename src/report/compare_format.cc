// Text and JSON forms of a Comparison (compare.h).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "report/compare.h"

namespace ngbench::report {

namespace {

std::string p_text(double p) {
  // A bootstrap p of 0: no replicate reached 0, so p < 1 / B.
  if (p == 0) return fmt::format("<{:.0e}", 1.0 / stats::kBootstrapReplicates);
  return p < 0.001 ? fmt::format("{:.1e}", p) : fmt::format("{:.3f}", p);
}

// "95", "98.75": a confidence level in percent.
std::string level_text(double confidence) { return fmt::format("{:.4g}", confidence * 100); }

// The relative change B / A - 1 in percent with its interval (never below -100%).
std::string pct_ci(const stats::MedianChange& c) {
  if (!c.has_ratio) return c.median_b > 0 ? "new" : "n/a";
  if (!c.valid) return fmt::format("{:+.1f}%", (c.ratio - 1) * 100);
  return fmt::format("{:+.1f}% [{:+.1f}, {:+.1f}]", (c.ratio - 1) * 100, (c.ratio_lo - 1) * 100,
                     (c.ratio_hi - 1) * 100);
}

std::string pp_ci(const stats::MedianChange& c) {
  if (!c.valid) return "n/a";
  return fmt::format("{:+.2f} [{:+.2f}, {:+.2f}]", c.diff * 100, c.ci_lo * 100, c.ci_hi * 100);
}

std::string header() {
  return fmt::format("   {:<34} {:>10} {:>10} {:>10}  {:<26} {:>9}   {:>7} {:>7}  {:<24}\n", "", "A median",
                     "B median", "diff ms", "diff % [CI]", "p (Holm)", "A %", "B %", "diff pp [CI]");
}

std::string row_text(const ChangeRow& r, const std::string& name) {
  std::string label = name.size() > 34 ? name.substr(0, 31) + "..." : name;
  const std::string p = r.testable ? p_text(r.p_holm) + (r.significant ? "*" : " ") : "n/a ";
  std::string share_a = "", share_b = "", share = "";
  if (r.has_share && r.share.valid) {
    share_a = fmt::format("{:.2f}", r.share.median_a * 100);
    share_b = fmt::format("{:.2f}", r.share.median_b * 100);
    share = pp_ci(r.share) + (r.share_significant ? "*" : "");
  }
  return fmt::format("   {:<34} {:>10.4f} {:>10.4f} {:>+10.4f}  {:<26} {:>9}   {:>7} {:>7}  {:<24}\n", label,
                     r.time.median_a, r.time.median_b, r.time.diff, pct_ci(r.time), p, share_a, share_b, share);
}

// The headline of a row: medians, the relative change with its interval at
// the row's (Holm) level, the adjusted p and the decision, which agree.
std::string statement(const ChangeRow& r) {
  const stats::MedianChange& t = r.time;
  std::string s = fmt::format("   {}: {:.4f} ms -> {:.4f} ms per iteration (medians), ", r.name, t.median_a, t.median_b);
  if (t.valid && t.has_ratio) {
    s += fmt::format("{:+.1f}% ({}% CI {:+.1f}% .. {:+.1f}%), p (Holm) = {}", (t.ratio - 1) * 100,
                     level_text(t.confidence), (t.ratio_lo - 1) * 100, (t.ratio_hi - 1) * 100, p_text(r.p_holm));
  } else if (t.valid) {
    s += fmt::format("{:+.4f} ms ({}% CI {:+.4f} .. {:+.4f}), p (Holm) = {}", t.diff, level_text(t.confidence),
                     t.ci_lo, t.ci_hi, p_text(r.p_holm));
  } else {
    s += "too few per-iteration samples to test";
  }
  s += r.testable ? (r.significant ? ": significant\n" : ": not significant\n") : "\n";
  if (r.has_share && r.share.valid) {
    const stats::MedianChange& h = r.share;
    s += fmt::format("   {} share: {:.2f}% -> {:.2f}% of attributed time, {:+.2f} pp ({}% CI {:+.2f} .. {:+.2f} pp), "
                     "p (Holm) = {}{}\n",
                     r.name, h.median_a * 100, h.median_b * 100, h.diff * 100, level_text(h.confidence),
                     h.ci_lo * 100, h.ci_hi * 100, p_text(r.share_p_holm),
                     r.share_significant ? ": significant" : ": not significant");
  }
  return s;
}

// Infinity (a ratio over a median of 0) as null: JSON has no infinity.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json change_json(const stats::MedianChange& c) {
  return {{"n_a", c.n_a},
          {"n_b", c.n_b},
          {"median_a", c.median_a},
          {"median_b", c.median_b},
          {"diff", c.diff},
          {"ci", {c.ci_lo, c.ci_hi}},
          {"confidence", c.confidence},
          {"p", c.p},
          {"valid", c.valid}};
}

nlohmann::json row_json(const ChangeRow& r) {
  const stats::MedianChange& t = r.time;
  nlohmann::json j{{"name", r.name},
                   {"presence", r.presence},
                   {"testable", r.testable},
                   {"time_ms", change_json(t)},
                   {"relative_change", t.has_ratio ? nlohmann::json{{"value", t.ratio - 1},
                                                                    {"ci", {number(t.ratio_lo - 1), number(t.ratio_hi - 1)}},
                                                                    {"valid", t.valid}}
                                                   : nlohmann::json()},
                   {"p_holm", r.p_holm},
                   {"significant", r.significant}};
  if (!r.group.empty() || !r.scope.empty()) {
    j["group"] = r.group;
    j["scope"] = r.scope;
  }
  if (r.has_share) {
    j["share"] = change_json(r.share);
    j["share"]["p_holm"] = r.share_p_holm;
    j["share"]["significant"] = r.share_significant;
  }
  return j;
}

}  // namespace

std::string comparison_text(const Comparison& c, int top_ops) {
  std::string out;
  for (const ComparedPair& p : c.pairs) {
    out += fmt::format("\n== A: {}  ({})\n   B: {}  ({})\n", p.label_a, p.path_a, p.label_b, p.path_b);
    if (!p.differences.empty()) out += fmt::format("   settings differ: {}\n", fmt::join(p.differences, "; "));
    for (const auto& n : p.notes) out += fmt::format("   note: {}\n", n);
    out += "\n";
    if (const ChangeRow* ng = p.total(kNonGemmRow)) out += statement(*ng) + "\n";
    out += header();
    for (const auto& r : p.totals) out += row_text(r, r.name);
    out += "   groups\n";
    for (const auto& r : p.groups) out += row_text(r, "  " + r.name);
    out += fmt::format("   operators (top {} of {} by |diff ms|; name @ scope)\n",
                       std::min<size_t>(static_cast<size_t>(std::max(top_ops, 0)), p.ops.size()), p.ops.size());
    for (size_t i = 0; i < p.ops.size() && static_cast<int>(i) < top_ops; ++i) {
      const ChangeRow& r = p.ops[i];
      std::string name = "  " + r.name + (r.scope.empty() ? "" : " @ " + r.scope);
      if (r.presence != "both") name += r.presence == "only_a" ? " (gone)" : " (new)";
      out += row_text(r, name);
    }
  }
  if (c.pairs.empty()) out += "\nno configuration of A matches one of B\n";
  out += fmt::format(
      "\n* significant at alpha {} (change of the median, percentile bootstrap of {} seeded resamples,\n"
      "  p Holm-adjusted within each table). A and B are medians per iteration; CIs of diff % (ratio of medians,\n"
      "  never below -100%) and diff pp are at the level Holm tests each row at (from 1 - alpha/m for the smallest\n"
      "  p of m rows up to {}%), so an interval excludes 0 exactly when its row is marked *.\n",
      c.alpha, stats::kBootstrapReplicates, level_text(1 - c.alpha));
  for (const auto& s : c.only_in_a) out += "only in A (not compared): " + s + "\n";
  for (const auto& s : c.only_in_b) out += "only in B (not compared): " + s + "\n";
  for (const auto& s : c.failed) out += "failed run (not compared): " + s + "\n";
  return out;
}

nlohmann::json comparison_json(const Comparison& c) {
  using nlohmann::json;
  json pairs = json::array();
  for (const ComparedPair& p : c.pairs) {
    json totals = json::array(), groups = json::array(), ops = json::array();
    for (const auto& r : p.totals) totals.push_back(row_json(r));
    for (const auto& r : p.groups) groups.push_back(row_json(r));
    for (const auto& r : p.ops) ops.push_back(row_json(r));
    pairs.push_back({{"a", {{"label", p.label_a}, {"path", p.path_a}}},
                     {"b", {{"label", p.label_b}, {"path", p.path_b}}},
                     {"totals", std::move(totals)},
                     {"groups", std::move(groups)},
                     {"ops", std::move(ops)},
                     {"settings_differ", p.differences},
                     {"notes", p.notes}});
  }
  return {{"alpha", c.alpha},
          {"confidence", 1 - c.alpha},
          {"method",
           fmt::format("change of the median of per-iteration samples (latency_ms.samples for end-to-end latency, "
                       "groups[].iter_ms and ops[].iter_ms otherwise); percentile bootstrap with {} resamples of "
                       "each side (mt19937_64, seeded per row: reproducible); two-sided p = 2 min(P*(diff <= 0), "
                       "P*(diff >= 0)), Holm-adjusted within each table; the intervals of the difference and of the "
                       "ratio of medians (relative_change = ratio - 1, never below -1) are at the level Holm tests "
                       "the row at (confidence), so they exclude 0 exactly when the row is significant; shares are "
                       "per-iteration fractions of attributed time",
                       stats::kBootstrapReplicates)},
          {"units", {{"time", "ms per iteration (medians)"}, {"share", "fraction of attributed time (medians)"}}},
          {"pairs", std::move(pairs)},
          {"only_in_a", c.only_in_a},
          {"only_in_b", c.only_in_b},
          {"failed", c.failed}};
}

}  // namespace ngbench::report
