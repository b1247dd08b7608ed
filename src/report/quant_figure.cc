#include "report/quant_figure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace ngbench::report {

namespace {

constexpr double kClusterGap = 0.6;

// A bar's three segments, in percent of the baseline's attributed time (or of its own without a baseline).
struct Segments {
  double gemm = 0, quant = 0, other = 0;
  double total() const { return gemm + quant + other; }
};

Segments segments(const QuantRow& row, const QuantRow* base) {
  const double denom =
      base != nullptr && base->ok() && base->attributed_ms > 0 ? base->attributed_ms : row.attributed_ms;
  if (denom <= 0) return {};
  return {row.gemm_ms / denom * 100, row.quantization_ms / denom * 100,
          (row.non_gemm_ms - row.quantization_ms) / denom * 100};
}

// The scheme variants of a series, in the order its comparisons list them.
std::vector<std::string> variants_of(const std::vector<const QuantComparison*>& series) {
  std::vector<std::string> out;
  for (const auto* c : series) {
    for (const auto& r : c->rows) {
      if (std::find(out.begin(), out.end(), r.variant) == out.end()) out.push_back(r.variant);
    }
  }
  return out;
}

const QuantRow* row_of(const QuantComparison& c, const std::string& variant) {
  for (const auto& r : c.rows) {
    if (r.variant == variant) return &r;
  }
  return nullptr;
}

// "llama3.1-8b eager cpu float32 b1 l2 (extrapolated from 2 of 32 layers)": the label without the length.
std::string series_label(const QuantComparison& c) {
  const RunConfig& k = c.config;
  std::string label = fmt::format("{} {} {} {} b{}", k.model, k.flow, k.device, k.dtype, k.batch);
  const auto open = c.label.find(" (");
  if (open != std::string::npos) return label + c.label.substr(open);
  return k.layers > 0 ? label + fmt::format(" l{}", k.layers) : label;
}

// The bar's tic, short enough to sit under one bar: the scheme without "int8-" ("lt", "dynamic", "fbgemm"),
// int8-lt's outlier variants as "lt det" or "lt N"; the study's tables keep the full names.
std::string bar_tic(const std::string& variant) {
  std::string s = variant.rfind("int8-", 0) == 0 ? variant.substr(5) : variant;
  const auto space = s.find(" outliers");
  if (space != std::string::npos) {
    const std::string rest = s.substr(space + 9);
    s = s.substr(0, space) + (rest == "-detected" ? " det" : " " + rest);
  }
  return s;
}

std::vector<QuantComparison> comparisons_of(const ResultSet& set) {
  std::vector<const RunResult*> results;
  std::vector<std::string> files;
  for (const auto& l : set.ok) {
    results.push_back(&l.result);
    files.push_back(l.path);
  }
  for (const auto& l : set.failed) {
    results.push_back(&l.result);
    files.push_back(l.path);
  }
  return quant_comparisons(results, files);
}

}  // namespace

std::vector<StackedFigure> quant_figures(const FigureInput& in) {
  const auto comparisons = comparisons_of(in.set);
  const size_t gemm = palette_index(in.palette, "GEMM");
  const size_t qdq = palette_index(in.palette, "Quantization");
  std::vector<StackedFigure> out;
  std::set<std::string> stems;
  for (const auto& series : quant_series(comparisons)) {
    StackedFigure f;
    const std::string label = series_label(*series.front());
    f.stem = "quant_" + file_part(label.substr(0, label.find(" (")));
    for (int n = 2; !stems.insert(f.stem).second; ++n) f.stem += fmt::format("_{}", n);
    // A title that fits: the configuration without the depth note ("~" on the bars marks estimates).
    f.title = fmt::format("Fig. 9, {}: GEMM and non-GEMM per --quant", label.substr(0, label.find(" (")));
    f.ylabel = "operator time, % of the unquantized run at the same length";
    f.series = {{"GEMM (incl. fused attention)", gemm < in.palette.size() ? in.palette[gemm].color : "#1f77b4"},
                {"Quantization (QDQ)", qdq < in.palette.size() ? in.palette[qdq].color : "#98df8a"},
                {"other non-GEMM groups", kNonGemmTotalColor}};
    const auto variants = variants_of(series);
    double x = 1, top = 100;
    for (const QuantComparison* c : series) {
      const double start = x;
      const QuantRow* base = c->baseline();
      for (const auto& v : variants) {
        PlotBar bar;
        bar.x = x;
        bar.xtic = bar_tic(v);
        const QuantRow* row = row_of(*c, v);
        if (row == nullptr) {
          bar.state = CellState::kMissing;
        } else if (!row->ok()) {
          bar.state = CellState::kFailed;
        } else {
          const Segments s = segments(*row, base);
          bar.values = {s.gemm, s.quant, s.other};
          const RunResult& r = *row->result;
          bar.note = fmt::format("{}{:.0f}%{}", r.extrapolation.applied ? "~" : "", row->non_gemm_share * 100,
                                 r.stability.verdict == "unstable" ? " !" : "");
          bar.note_y = s.gemm + (s.quant + s.other) / 2;
          top = std::max(top, s.total());
        }
        f.bars.push_back(std::move(bar));
        x += 1;
      }
      const bool normalized = base != nullptr && base->ok();
      f.clusters.push_back(
          {(start + x - 1) / 2, fmt::format("s{}{}", c->config.seq_len, normalized ? "" : " (no none run: own time)")});
      x += kClusterGap;
    }
    f.x_min = 0.3;
    f.x_max = x - kClusterGap - 0.3;
    f.y_max = std::ceil(top / 50) * 50;
    out.push_back(std::move(f));
  }
  return out;
}

nlohmann::json quant_html_json(const ResultSet& set) {
  const auto comparisons = comparisons_of(set);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& series : quant_series(comparisons)) {
    nlohmann::json clusters = nlohmann::json::array();
    const auto variants = variants_of(series);
    for (const QuantComparison* c : series) {
      nlohmann::json bars = nlohmann::json::array();
      const QuantRow* base = c->baseline();
      for (const auto& v : variants) {
        const QuantRow* row = row_of(*c, v);
        nlohmann::json b = {{"variant", v}, {"state", row == nullptr ? "missing" : row->ok() ? "ok" : "failed"}};
        if (row != nullptr && !row->ok()) b["error"] = row->result->error;
        if (row != nullptr && row->ok()) {
          const Segments s = segments(*row, base);
          b.update({{"gemm_pct", s.gemm},
                    {"quant_pct", s.quant},
                    {"other_pct", s.other},
                    {"gemm_ms", row->gemm_ms},
                    {"non_gemm_ms", row->non_gemm_ms},
                    {"quantization_ms", row->quantization_ms},
                    {"non_gemm_share", row->non_gemm_share},
                    {"gemm_speedup", row->gemm_speedup},
                    {"non_gemm_slowdown", row->non_gemm_slowdown},
                    {"operators_added", row->operators_added},
                    {"extrapolated", row->result->extrapolation.applied},
                    {"stability", row->result->stability.verdict}});
        }
        bars.push_back(std::move(b));
      }
      clusters.push_back(
          {{"seq_len", c->config.seq_len}, {"baseline", base != nullptr && base->ok()}, {"bars", std::move(bars)}});
    }
    out.push_back({{"label", series_label(*series.front())}, {"clusters", std::move(clusters)}});
  }
  return out;
}

}  // namespace ngbench::report
