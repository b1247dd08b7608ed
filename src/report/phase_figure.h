#pragma once
// Prefill vs decode as a figure (phase_comparison.h): for every model
// configuration with a decode result, one cluster per context and two bars,
// prefill (per forward) and decode (per generated token), each the GEMM and
// non-GEMM share of its attributed time, with the non-GEMM share on the bar
// ("~": a depth-scaled estimate, "!": the run judged itself unstable).
// `ngbench figures` draws it (figure kind "phase"), `ngbench html` charts the
// same data (phase_html_json).
#include <nlohmann/json.hpp>
#include <vector>

#include "report/figures.h"
#include "report/phase_comparison.h"
#include "report/result_set.h"

namespace ngbench::report {

// The comparison of every result in the set, failed ones included (with where each was read).
std::vector<PhaseRow> phase_rows(const ResultSet& set);

// One figure per series (phase_series); none without a decode result.
std::vector<StackedFigure> phase_figures(const FigureInput& in);

// The charts' data for the HTML report: per series its label and rows (both sides, shares in fractions).
nlohmann::json phase_html_json(const ResultSet& set);

}  // namespace ngbench::report
