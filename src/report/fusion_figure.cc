#include "report/fusion_figure.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "report/result_json.h"

namespace ngbench::report {

namespace {

constexpr double kClusterGap = 0.8;

std::string group_key(const RunConfig& c) {
  // A --quant run measures another model: it never shares a group with an unquantized one; a decode run
  // (per generated token) or a cacheless prefill never shares one with the prefill.
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", c.model, c.model_file, c.device,
                     c.dtype, c.batch, c.seq_len, c.layers, c.threads, quant_variant(c), phase_variant(c));
}

std::string group_label(const RunConfig& c) {
  std::string s = fmt::format("{} {} {} b{}", c.model, c.device, c.dtype, c.batch);
  if (c.seq_len > 0) s += fmt::format(" s{}", c.seq_len);
  if (c.layers > 0) s += fmt::format(" l{}", c.layers);
  if (c.threads > 0) s += fmt::format(" t{}", c.threads);
  if (!quant_variant(c).empty()) s += " q-" + quant_variant(c);
  if (!phase_variant(c).empty()) s += " " + phase_variant(c);
  return s;
}

// The bar's tic: short enough to sit under one bar ("eager", "ind off", "ort all"); the legend of flows and
// options is Table V's.
std::string run_tic(const RunConfig& c) {
  std::string s = c.flow.size() > 3 && !c.backend_options.empty() ? c.flow.substr(0, 3) : c.flow;
  for (const auto& [name, values] : c.backend_options) s += " " + fmt::format("{}", fmt::join(values, ","));
  return s;
}

std::string run_label(const RunConfig& c) {
  std::string s = c.flow;
  for (const auto& [name, values] : c.backend_options) s += fmt::format(" {}={}", name, fmt::join(values, ","));
  return s;
}

}  // namespace

std::vector<FusionGroup> fusion_groups(const ResultSet& set) {
  std::vector<std::string> order;
  std::map<std::string, FusionGroup> groups;
  for (const auto& l : set.ok) {
    const RunConfig& c = l.result.config;
    const std::string key = group_key(c);
    if (!groups.count(key)) {
      order.push_back(key);
      groups[key].label = group_label(c);
      groups[key].device = c.device;
    }
    FusionRun r;
    r.result = &l.result;
    r.label = run_label(c);
    r.gemm_ms = gemm_ms(l.result.breakdown);
    r.non_gemm_ms = non_gemm_ms(l.result.breakdown);
    r.attributed_ms = l.result.breakdown.attributed_ms;
    groups[key].runs.push_back(r);
  }
  std::vector<FusionGroup> out;
  for (const auto& key : order) {
    FusionGroup g = groups[key];
    const auto base = std::find_if(g.runs.begin(), g.runs.end(), [](const FusionRun& r) {
      return !r.result->fusion.analyzed;
    });
    const bool fused = std::any_of(g.runs.begin(), g.runs.end(), [](const FusionRun& r) {
      return r.result->fusion.analyzed;
    });
    if (base == g.runs.end() || !fused) continue;
    base->baseline = true;
    std::stable_sort(g.runs.begin(), g.runs.end(), [](const FusionRun& a, const FusionRun& b) {
      return a.baseline != b.baseline ? a.baseline : a.label < b.label;
    });
    const double base_ms = g.runs.front().non_gemm_ms;
    for (auto& r : g.runs) {
      if (!r.baseline) r.non_gemm_speedup = r.non_gemm_ms > 0 ? base_ms / r.non_gemm_ms : 0;
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<StackedFigure> fusion_figures(const FigureInput& in) {
  const auto groups = fusion_groups(in.set);
  std::vector<std::string> devices;
  for (const auto& g : groups) {
    if (std::find(devices.begin(), devices.end(), g.device) == devices.end()) devices.push_back(g.device);
  }
  const size_t gemm = palette_index(in.palette, "GEMM");
  const std::string gemm_color = gemm < in.palette.size() ? in.palette[gemm].color : "#1f77b4";
  std::vector<StackedFigure> out;
  for (const auto& device : devices) {
    StackedFigure f;
    f.stem = "fusion_" + file_part(device);
    f.title = fmt::format("Fig. 8, {}: GEMM vs non-GEMM per flow", device);  // non-GEMM ms on the bars
    f.ylabel = "share of attributed time (%)";
    f.series = {{"GEMM (incl. fused GEMM+non-GEMM, fused attention)", gemm_color},
                {"non-GEMM (all groups)", kNonGemmTotalColor}};
    double x = 1;
    for (const auto& g : groups) {
      if (g.device != device) continue;
      const double start = x;
      for (const auto& r : g.runs) {
        PlotBar bar;
        bar.x = x;
        bar.xtic = run_tic(r.result->config);
        const double total = r.attributed_ms > 0 ? r.attributed_ms : 1;
        bar.values = {r.gemm_ms / total * 100, r.non_gemm_ms / total * 100};
        bar.note = fmt::format("{:.1f}", r.non_gemm_ms);
        bar.note_y = bar.values[0] + bar.values[1] / 2;
        f.bars.push_back(std::move(bar));
        x += 1;
      }
      f.clusters.push_back({(start + x - 1) / 2, g.label});
      x += kClusterGap;
    }
    f.x_min = 0.3;
    f.x_max = x - kClusterGap - 0.3;
    out.push_back(std::move(f));
  }
  return out;
}

TextTable table_v(const std::vector<FusionGroup>& groups) {
  TextTable t;
  t.header = {"model", "flow", "latency ms", "non-GEMM ms", "non-GEMM share", "non-GEMM speedup", "fusion rate",
              "fused with GEMM", "fused among non-GEMM", "non-GEMM nodes", "stability"};
  t.numeric = {false, false, true, true, true, true, true, true, true, true, false};
  for (const auto& g : groups) {
    for (const auto& r : g.runs) {
      const FusionSummary& f = r.result->fusion;
      const auto pct = [](double v) { return fmt::format("{:.1f}%", v * 100); };
      t.add({g.label, r.label + (r.baseline ? " (unfused)" : ""), fmt::format("{:.3f}", r.result->latency_ms.median),
             fmt::format("{:.3f}", r.non_gemm_ms), pct(r.attributed_ms > 0 ? r.non_gemm_ms / r.attributed_ms : 0),
             r.baseline ? "1.00x" : fmt::format("{:.2f}x", r.non_gemm_speedup),
             f.analyzed ? pct(f.fusion_rate()) : "-", f.analyzed ? pct(f.fusion_rate_with_gemm()) : "-",
             f.analyzed ? pct(f.fusion_rate_non_gemm()) : "-", f.analyzed ? std::to_string(f.original_non_gemm) : "-",
             r.result->stability.verdict});
    }
  }
  return t;
}

nlohmann::json fusion_groups_json(const std::vector<FusionGroup>& groups) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : groups) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : g.runs) {
      const FusionSummary& f = r.result->fusion;
      runs.push_back({{"label", r.label},
                      {"flow", r.result->config.flow},
                      {"backend_options", r.result->config.backend_options},
                      {"baseline", r.baseline},
                      {"latency_ms", r.result->latency_ms.median},
                      {"gemm_ms", r.gemm_ms},
                      {"non_gemm_ms", r.non_gemm_ms},
                      {"attributed_ms", r.attributed_ms},
                      {"non_gemm_speedup", r.non_gemm_speedup},
                      {"fusion_analyzed", f.analyzed},
                      {"fusion_rate", f.fusion_rate()},
                      {"fusion_rate_with_gemm", f.fusion_rate_with_gemm()},
                      {"fusion_rate_non_gemm", f.fusion_rate_non_gemm()},
                      {"stability", r.result->stability.verdict}});
    }
    out.push_back({{"label", g.label}, {"device", g.device}, {"runs", std::move(runs)}});
  }
  return out;
}

}  // namespace ngbench::report
