#pragma once
// `ngbench figures`: the paper's figures and Table IV from a results directory.
//
// Every figure kind turns the loaded results into stacked-bar figures that
// stacked_plot.h renders with gnuplot (PNG and SVG, plus the .gp/.dat that made
// them). Kinds now: "breakdown" (Figures 5/6 style) and "gemm-share" (Figure 7
// style), "fusion" (Figure 8), "quantization" (Figure 9) and "phase" (prefill
// vs decode); a kind whose results are absent draws nothing (docs/reports.md).
#include <functional>
#include <string>
#include <vector>

#include "report/breakdown_matrix.h"
#include "report/stacked_plot.h"

namespace ngbench::report {

struct FigureInput {
  const ResultSet& set;
  const std::vector<GroupStyle>& palette;
  const std::vector<DeviceMatrix>& matrices;
};

struct FigureKind {
  const char* name;
  const char* description;  // one line, for index.md and docs
  std::function<std::vector<StackedFigure>(const FigureInput&)> build;
};

// The figure kinds, in output order.
const std::vector<FigureKind>& figure_kinds();

// Figure builders (exposed for tests).
std::vector<StackedFigure> breakdown_figures(const FigureInput& in);
std::vector<StackedFigure> gemm_share_figures(const FigureInput& in);

struct FiguresOutput {
  std::vector<std::string> files;    // written, relative to the output directory
  std::vector<std::string> failed;   // config labels of failed runs
  std::vector<std::string> missing;  // "device: series label b<batch>" of missing cells
  size_t ok_runs = 0;
};

// Writes into `out_dir` (created if needed): per figure STEM.png, STEM.svg,
// STEM.gp, STEM.dat; table_iv.csv, table_iv_by_model.csv, table_iv.md; and
// index.md listing them with the failed runs and missing configurations.
// Looks for gnuplot first and throws ngbench::Error naming its package when
// it is missing; throws when `results` holds no successful run, and when a
// file it would write is one of `inputs` or a result (output_guard.h), before
// writing anything.
FiguresOutput write_figures(std::vector<LoadedResult> results, const std::string& out_dir,
                            const std::vector<std::string>& inputs = {});

// A device name as a file name part ("cuda:0" -> "cuda_0").
std::string file_part(const std::string& s);

}  // namespace ngbench::report
