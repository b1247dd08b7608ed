#include "report/phase_figure.h"

#include <fmt/format.h>

#include <set>

namespace ngbench::report {

namespace {

constexpr double kClusterGap = 0.6;

PlotBar side_bar(const PhaseSide& s, double x, const char* tic) {
  PlotBar bar;
  bar.x = x;
  bar.xtic = tic;
  if (s.result == nullptr) {
    bar.state = CellState::kMissing;
  } else if (!s.ok()) {
    bar.state = CellState::kFailed;
  } else {
    bar.values = {(1 - s.non_gemm_share) * 100, s.non_gemm_share * 100};
    // "~": the share of a depth-scaled run is an estimate; "!": its timings failed its own stability check.
    bar.note = fmt::format("{}{:.0f}%{}", s.extrapolated ? "~" : "", s.non_gemm_share * 100,
                           s.result->stability.verdict == "unstable" ? " !" : "");
    bar.note_y = (1 - s.non_gemm_share) * 100 + s.non_gemm_share * 50;
  }
  return bar;
}

// "s128 g32": the context, and the decode's generated tokens.
std::string cluster_label(const PhaseRow& r) {
  return r.gen_tokens > 0 ? fmt::format("s{} g{}", r.context, r.gen_tokens) : fmt::format("s{}", r.context);
}

nlohmann::json side_json(const PhaseSide& s) {
  nlohmann::json j = {{"state", s.result == nullptr ? "missing" : s.ok() ? "ok" : "failed"}};
  if (s.result != nullptr && !s.ok()) j["error"] = s.result->error;
  if (!s.ok()) return j;
  j.update({{"ms", s.ms},
            {"non_gemm_share", s.non_gemm_share},
            {"top_group", s.top_group},
            {"top_group_share", s.top_group_share},
            {"extrapolated", s.extrapolated},
            {"stability", s.result->stability.verdict}});
  if (s.result->config.phase == "decode") j["tokens_per_s"] = s.tokens_per_s;
  if (s.halves) {
    j["early"] = {{"median_ms", s.early.median_ms}, {"non_gemm_share", s.early.non_gemm_share},
                  {"top_group", s.early.top_group}};
    j["late"] = {{"median_ms", s.late.median_ms}, {"non_gemm_share", s.late.non_gemm_share},
                 {"top_group", s.late.top_group}};
  }
  return j;
}

}  // namespace

std::vector<PhaseRow> phase_rows(const ResultSet& set) {
  std::vector<const RunResult*> results;
  std::vector<std::string> files;
  for (const auto* side : {&set.ok, &set.failed}) {
    for (const auto& l : *side) {
      results.push_back(&l.result);
      files.push_back(l.path);
    }
  }
  return phase_comparisons(results, files);
}

std::vector<StackedFigure> phase_figures(const FigureInput& in) {
  const auto rows = phase_rows(in.set);
  const size_t gemm = palette_index(in.palette, "GEMM");
  std::vector<StackedFigure> out;
  std::set<std::string> stems;
  for (const auto& series : phase_series(rows)) {
    StackedFigure f;
    const std::string label = phase_series_label(*series.front());
    const std::string config = label.substr(0, label.find(" ("));
    f.stem = "phase_" + file_part(config);
    for (int n = 2; !stems.insert(f.stem).second; ++n) f.stem += fmt::format("_{}", n);
    // A title that fits: the configuration without the depth note ("~" on the bars marks estimates).
    f.title = fmt::format("Prefill vs decode, {}", config);
    f.series = {{"GEMM (incl. fused attention)", gemm < in.palette.size() ? in.palette[gemm].color : "#1f77b4"},
                {"non-GEMM (all groups)", kNonGemmTotalColor}};
    double x = 1;
    for (const PhaseRow* r : series) {
      const double start = x;
      f.bars.push_back(side_bar(r->prefill, x, "prefill"));
      f.bars.push_back(side_bar(r->decode, x + 1, "decode"));
      x += 2;
      f.clusters.push_back({(start + x - 1) / 2, cluster_label(*r)});
      x += kClusterGap;
    }
    f.x_min = 0.3;
    f.x_max = x - kClusterGap - 0.3;
    out.push_back(std::move(f));
  }
  return out;
}

nlohmann::json phase_html_json(const ResultSet& set) {
  const auto rows = phase_rows(set);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& series : phase_series(rows)) {
    nlohmann::json items = nlohmann::json::array();
    for (const PhaseRow* r : series) {
      items.push_back({{"context", r->context},
                       {"gen_tokens", r->gen_tokens},
                       {"cluster", cluster_label(*r)},
                       {"label", r->label},
                       {"prefill", side_json(r->prefill)},
                       {"decode", side_json(r->decode)}});
    }
    out.push_back({{"label", phase_series_label(*series.front())}, {"rows", std::move(items)}});
  }
  return out;
}

}  // namespace ngbench::report
