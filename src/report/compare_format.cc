// Text and JSON forms of a Comparison (compare.h).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "report/compare.h"

namespace ngbench::report {

namespace {

std::string p_text(double p) {
  if (p < 1e-300) return "<1e-300";
  return p < 0.001 ? fmt::format("{:.1e}", p) : fmt::format("{:.3f}", p);
}

std::string pct_ci(const stats::RelativeChange& r) {
  if (!r.valid) return r.value == 0 && r.lo == 0 ? "n/a" : fmt::format("{:+.1f}%", r.value * 100);
  return fmt::format("{:+.1f}% [{:+.1f}, {:+.1f}]", r.value * 100, r.lo * 100, r.hi * 100);
}

std::string pp_ci(const stats::WelchTest& w) {
  if (!w.valid) return "n/a";
  return fmt::format("{:+.2f} [{:+.2f}, {:+.2f}]", w.diff * 100, w.ci_lo * 100, w.ci_hi * 100);
}

std::string header() {
  return fmt::format("   {:<34} {:>10} {:>10} {:>10}  {:<26} {:>9}   {:>7} {:>7}  {:<24}\n", "", "A ms", "B ms",
                     "diff ms", "diff % [CI]", "p (Holm)", "A %", "B %", "diff pp [CI]");
}

std::string row_text(const ChangeRow& r, const std::string& name) {
  std::string label = name.size() > 34 ? name.substr(0, 31) + "..." : name;
  const std::string p = r.testable ? p_text(r.p_holm) + (r.significant ? "*" : " ") : "n/a ";
  std::string share_a = "", share_b = "", share = "";
  if (r.has_share && r.share.valid) {
    share_a = fmt::format("{:.2f}", r.share.mean_a * 100);
    share_b = fmt::format("{:.2f}", r.share.mean_b * 100);
    share = pp_ci(r.share) + (r.share_significant ? "*" : "");
  }
  return fmt::format("   {:<34} {:>10.4f} {:>10.4f} {:>+10.4f}  {:<26} {:>9}   {:>7} {:>7}  {:<24}\n", label,
                     r.time.mean_a, r.time.mean_b, r.time.diff, pct_ci(r.relative), p, share_a, share_b, share);
}

std::string statement(const ChangeRow& r, double alpha) {
  const int conf = static_cast<int>(std::lround((1 - alpha) * 100));
  std::string s = fmt::format("   {}: {:.4f} ms -> {:.4f} ms per iteration, ", r.name, r.time.mean_a, r.time.mean_b);
  if (r.relative.valid) {
    s += fmt::format("{:+.1f}% ({}% CI {:+.1f}% .. {:+.1f}%), Welch p = {}", r.relative.value * 100, conf,
                     r.relative.lo * 100, r.relative.hi * 100, p_text(r.time.p));
  } else {
    s += "no per-iteration samples to test";
  }
  s += r.testable ? (r.significant ? ": significant\n" : ": not significant\n") : "\n";
  if (r.has_share && r.share.valid) {
    s += fmt::format("   {} share: {:.2f}% -> {:.2f}% of attributed time, {:+.2f} pp ({}% CI {:+.2f} .. {:+.2f} pp){}\n",
                     r.name, r.share.mean_a * 100, r.share.mean_b * 100, r.share.diff * 100, conf,
                     r.share.ci_lo * 100, r.share.ci_hi * 100,
                     r.share_significant ? ": significant" : ": not significant");
  }
  return s;
}

nlohmann::json welch_json(const stats::WelchTest& w) {
  return {{"n_a", w.n_a},   {"n_b", w.n_b}, {"mean_a", w.mean_a}, {"mean_b", w.mean_b},
          {"diff", w.diff}, {"ci", {w.ci_lo, w.ci_hi}}, {"se", w.se}, {"df", std::isinf(w.df) ? nlohmann::json() : nlohmann::json(w.df)},
          {"t", std::isinf(w.t) ? nlohmann::json() : nlohmann::json(w.t)}, {"p", w.p}, {"valid", w.valid}};
}

nlohmann::json row_json(const ChangeRow& r) {
  nlohmann::json j{{"name", r.name},
                   {"presence", r.presence},
                   {"testable", r.testable},
                   {"time_ms", welch_json(r.time)},
                   {"relative_change", r.relative.valid || r.relative.value != 0
                                           ? nlohmann::json{{"value", r.relative.value},
                                                            {"ci", {r.relative.lo, r.relative.hi}},
                                                            {"valid", r.relative.valid}}
                                           : nlohmann::json()},
                   {"p_holm", r.p_holm},
                   {"significant", r.significant}};
  if (!r.group.empty() || !r.scope.empty()) {
    j["group"] = r.group;
    j["scope"] = r.scope;
  }
  if (r.has_share) {
    j["share"] = welch_json(r.share);
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
    if (const ChangeRow* ng = p.total(kNonGemmRow)) out += statement(*ng, c.alpha) + "\n";
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
  const int conf = static_cast<int>(std::lround((1 - c.alpha) * 100));
  out += fmt::format(
      "\n* significant at alpha {} (Welch's t-test on per-iteration samples, Holm-adjusted within each table);\n"
      "  CIs are {}%: of the difference of means (diff pp) and, by the delta method, of the relative change (diff %).\n",
      c.alpha, conf);
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
           "Welch's t-test on per-iteration samples (latency_ms.samples for end-to-end latency, groups[].iter_ms "
           "and ops[].iter_ms otherwise); two-sided p, Holm-adjusted within each table; CI of the difference of "
           "means with Welch-Satterthwaite df; relative change CI by the delta method; shares are per-iteration "
           "fractions of attributed time"},
          {"units", {{"time", "ms per iteration"}, {"share", "fraction of attributed time"}}},
          {"pairs", std::move(pairs)},
          {"only_in_a", c.only_in_a},
          {"only_in_b", c.only_in_b},
          {"failed", c.failed}};
}

}  // namespace ngbench::report
