#pragma once
// The paper's Fig. 8 and Table V from whatever results exist: every model
// configuration (model, device, dtype, batch, sequence length, layers, threads) that ran
// on an unfused flow (one that runs the model as written: no fusion analysis,
// e.g. eager) and on at least one fusing flow (a result with a fusion analysis:
// ort, inductor) is a group; each run of it is a bar (GEMM vs non-GEMM share,
// its non-GEMM ms written on it) and a row of Table V (non-GEMM latency and
// share, fusion rate and its split, non-GEMM speedup over the unfused run).
// `ngbench fusion --flows eager,inductor,ort` makes such results.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/figures.h"
#include "report/result_set.h"
#include "report/text_table.h"

namespace ngbench::report {

struct FusionRun {
  const RunResult* result = nullptr;
  std::string label;      // flow and its own options: "eager", "inductor freezing=on", "ort graph-opt=disabled"
  bool baseline = false;  // the unfused run the others are compared with
  double gemm_ms = 0, non_gemm_ms = 0, attributed_ms = 0;
  double non_gemm_speedup = 0;  // baseline non-GEMM ms / this run's; 0 for the baseline
};

struct FusionGroup {
  std::string label;  // "swin_t cpu float32 b1" (+ " s<N>", " l<N>", " t<N>")
  std::string device;
  std::vector<FusionRun> runs;  // the baseline first, then by flow and options
};

// The groups of a result set (successful runs only), in the order of first appearance.
std::vector<FusionGroup> fusion_groups(const ResultSet& set);
// The groups point into the set: a temporary set would leave them dangling.
std::vector<FusionGroup> fusion_groups(ResultSet&& set) = delete;

// Fig. 8: one 100%-stacked figure (GEMM / non-GEMM) per device; none without groups.
std::vector<StackedFigure> fusion_figures(const FigureInput& in);

// Table V: one row per run of every group.
TextTable table_v(const std::vector<FusionGroup>& groups);

// The groups as JSON (for the HTML report's data).
nlohmann::json fusion_groups_json(const std::vector<FusionGroup>& groups);

}  // namespace ngbench::report
