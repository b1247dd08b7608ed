#include "report/figures.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/fusion_figure.h"
#include "report/gnuplot.h"
#include "report/output_guard.h"
#include "report/phase_figure.h"
#include "report/quant_figure.h"
#include "report/top_groups.h"

namespace ngbench::report {

namespace fs = std::filesystem;

namespace {

constexpr double kClusterGap = 0.6;  // between models
constexpr double kSectionGap = 0.8;  // extra, between tasks

// Lays the cells of a matrix out left to right: tasks as sections, series as
// clusters, one bar per batch size. `fill` sets a bar's values from its cell.
StackedFigure layout(const DeviceMatrix& m, const std::function<void(const MatrixCell&, PlotBar&)>& fill) {
  StackedFigure f;
  double x = 1;
  size_t i = 0;
  while (i < m.series.size()) {
    const std::string& task = m.series[i].task;
    const double section_start = x;
    for (; i < m.series.size() && m.series[i].task == task; ++i) {
      const MatrixSeries& s = m.series[i];
      const double cluster_start = x;
      for (const MatrixCell& cell : s.cells) {
        PlotBar bar;
        bar.x = x;
        bar.xtic = fmt::format("b{}", cell.batch);
        bar.state = cell.state;
        if (cell.state == CellState::kOk) fill(cell, bar);
        f.bars.push_back(std::move(bar));
        x += 1;
      }
      f.clusters.push_back({(cluster_start + x - 1) / 2, s.label});
      x += kClusterGap;
    }
    f.sections.push_back({(section_start + x - 1 - kClusterGap) / 2, task.empty() ? "other" : task});
    if (i < m.series.size()) {
      f.separators.push_back(x - 0.5 - kClusterGap / 2 + kSectionGap / 2);
      x += kSectionGap;
    }
  }
  f.x_min = 0.3;
  f.x_max = x - kClusterGap - 0.3;
  return f;
}

}  // namespace

std::string file_part(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out.empty() ? "_" : out;
}

std::vector<StackedFigure> breakdown_figures(const FigureInput& in) {
  std::vector<StackedFigure> out;
  for (const DeviceMatrix& m : in.matrices) {
    StackedFigure f = layout(m, [&](const MatrixCell& cell, PlotBar& bar) {
      for (double s : cell.shares) bar.values.push_back(s * 100);
      if (cell.unstable) {  // "!": the run's timings failed its own stability check (index.md says why)
        bar.note = "!";
        bar.note_y = 50;
      }
    });
    f.stem = "breakdown_" + file_part(m.device);
    f.title = fmt::format("Share of operator time by group, {}", m.device);
    for (const GroupStyle& g : in.palette) f.series.push_back({g.name, g.color});
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<StackedFigure> gemm_share_figures(const FigureInput& in) {
  std::vector<StackedFigure> out;
  const size_t gemm = palette_index(in.palette, "GEMM");
  const std::string gemm_color = gemm < in.palette.size() ? in.palette[gemm].color : "#1f77b4";
  for (const DeviceMatrix& m : in.matrices) {
    StackedFigure f = layout(m, [&](const MatrixCell& cell, PlotBar& bar) {
      bar.values = {cell.gemm_share * 100, cell.non_gemm_share * 100};
      // "~": the share of a depth-scaled (extrapolated) run is an estimate.
      bar.note = fmt::format("{}{:.0f}%{}", cell.extrapolated ? "~" : "", cell.non_gemm_share * 100,
                             cell.unstable ? " !" : "");
      bar.note_y = cell.gemm_share * 100 + cell.non_gemm_share * 50;
    });
    f.stem = "gemm_share_" + file_part(m.device);
    f.title = fmt::format("GEMM vs non-GEMM share over batch sizes, {}", m.device);
    f.series = {{"GEMM (incl. fused attention)", gemm_color}, {"non-GEMM (all groups)", kNonGemmTotalColor}};
    out.push_back(std::move(f));
  }
  return out;
}

const std::vector<FigureKind>& figure_kinds() {
  static const std::vector<FigureKind> kinds{
      {"breakdown",
       "100%-stacked share of every operator group per model and batch size, grouped by task (paper Fig. 5/6)",
       breakdown_figures},
      {"gemm-share", "GEMM vs non-GEMM share per model over batch sizes (paper Fig. 7)", gemm_share_figures},
      {"fusion", "GEMM vs non-GEMM per flow for each model run unfused and fused (paper Fig. 8; fusion_figure.h)",
       fusion_figures},
      {"quantization",
       "GEMM, Quantization and other non-GEMM time per --quant scheme over sequence lengths, as a percent of the "
       "unquantized run (paper Fig. 9); the bar's note is its non-GEMM share",
       quant_figures},
      {"phase",
       "GEMM vs non-GEMM share of the prefill (per forward) and the decode (per generated token) per model and "
       "context (phase_figure.h); the bar's note is its non-GEMM share",
       phase_figures},
  };
  return kinds;
}

FiguresOutput write_figures(std::vector<LoadedResult> results, const std::string& out_dir,
                            const std::vector<std::string>& inputs) {
  const std::string gnuplot = find_gnuplot();
  const ResultSet set = split_by_status(std::move(results));
  if (set.ok.empty()) throw Error("no successful run among the results: nothing to plot");
  const auto palette = group_palette(set.all());
  const auto matrices = breakdown_matrix(set, palette);
  const FigureInput in{set, palette, matrices};

  // Every figure is built and every path checked before the first file is written.
  std::vector<std::vector<StackedFigure>> figures;
  std::vector<std::string> planned{"table_iv.csv", "table_iv_by_model.csv", "table_iv.md", "index.md"};
  for (const FigureKind& kind : figure_kinds()) {
    figures.push_back(kind.build(in));
    for (const StackedFigure& f : figures.back()) {
      for (const auto& img : stacked_figure_images(f.stem)) planned.push_back(img);
      planned.push_back(f.stem + ".gp");
      planned.push_back(f.stem + ".dat");
    }
  }
  for (const auto& name : planned) check_output_path((fs::path(out_dir) / name).string(), inputs, "--out");
  ensure_writable_dir(out_dir);

  FiguresOutput out;
  out.ok_runs = set.ok.size();
  std::string index = "# ngbench figures\n\n";
  index += fmt::format("{} successful run(s), {} failed.\n\n## Figures\n\n", set.ok.size(), set.failed.size());
  for (size_t k = 0; k < figure_kinds().size(); ++k) {
    const FigureKind& kind = figure_kinds()[k];
    index += fmt::format("### {}\n\n{}\n\n", kind.name, kind.description);
    for (const StackedFigure& f : figures[k]) {
      write_stacked_figure(f, out_dir);
      run_gnuplot(gnuplot, out_dir, f.stem + ".gp");
      for (const auto& img : stacked_figure_images(f.stem)) {
        out.files.push_back(img);
        index += fmt::format("- [{}]({})\n", img, img);
      }
      out.files.push_back(f.stem + ".gp");
      out.files.push_back(f.stem + ".dat");
    }
    index += "\n";
  }

  const auto rows = top_group_rows(set);
  auto write = [&](const std::string& name, const std::string& content) {
    write_file_atomically((fs::path(out_dir) / name).string(), content);
    out.files.push_back(name);
  };
  write("table_iv.csv", top_groups_table(rows).csv());
  write("table_iv_by_model.csv", top_group_averages_table(top_group_averages(rows)).csv());
  write("table_iv.md", top_groups_markdown(rows));
  index += "## Tables\n\n- [table_iv.md](table_iv.md) (also table_iv.csv, table_iv_by_model.csv)\n";
  const auto fusion = fusion_groups(set);
  if (!fusion.empty()) {  // Table V: the fusion study (fusion_figure.h)
    write("table_v.csv", table_v(fusion).csv());
    write("table_v.md", table_v(fusion).markdown());
    index += "- [table_v.md](table_v.md) (also table_v.csv): non-GEMM latency before and after fusion, fusion rate\n";
  }

  for (const auto& l : set.failed) {
    out.failed.push_back(fmt::format("{}: {}", config_label(l.result.config), l.result.error));
  }
  for (const DeviceMatrix& m : matrices) {
    for (const MatrixSeries& s : m.series) {
      for (const MatrixCell& c : s.cells) {
        if (c.state == CellState::kMissing) out.missing.push_back(fmt::format("{}: {} b{}", m.device, s.label, c.batch));
      }
    }
  }
  index += "\n## Extrapolated runs (labelled \"extrapolated from N of L layers\"; \"~\" before a share)\n\n"
           "Depth-scaled with --layers: group times are estimates for the full depth, from the layers built.\n\n";
  size_t extrapolated = 0;
  for (const auto& l : set.ok) {
    if (!l.result.extrapolation.applied) continue;
    index += "- " + run_label(l.result) + "\n";
    ++extrapolated;
  }
  if (extrapolated == 0) index += "none\n";
  index += "\n## Unstable runs (\"!\" on their bars): the timings failed the run's own stability check\n\n";
  size_t unstable = 0;
  for (const auto& l : set.ok) {
    if (l.result.stability.verdict != "unstable") continue;
    index += "- " + run_label(l.result) + ": " + fmt::format("{}", fmt::join(l.result.stability.reasons, "; ")) + "\n";
    ++unstable;
  }
  if (unstable == 0) index += "none\n";
  index += "\n## Failed runs (hatched, labelled \"failed\")\n\n";
  for (const auto& f : out.failed) index += "- " + f + "\n";
  if (out.failed.empty()) index += "none\n";
  index += "\n## Missing configurations (hatched, labelled \"n/a\")\n\n";
  for (const auto& m : out.missing) index += "- " + m + "\n";
  if (out.missing.empty()) index += "none\n";
  write("index.md", index);
  return out;
}

}  // namespace ngbench::report
