#pragma once
// The paper's Fig. 9 from ordinary results: for every model configuration run
// with --quant, one cluster per sequence length and one bar per scheme, the
// GEMM, Quantization (QDQ) and other non-GEMM time as a percent of the
// unquantized run's operator time at that length (so "none" is 100%), with the
// scheme's non-GEMM share on the bar. `ngbench figures` draws it (figure kind
// "quantization"), `ngbench html` charts the same data (quant_html_json).
#include <nlohmann/json.hpp>
#include <vector>

#include "report/figures.h"
#include "report/quant_study.h"
#include "report/result_set.h"

namespace ngbench::report {

// One figure per model configuration that has a quantized run; none without one.
std::vector<StackedFigure> quant_figures(const FigureInput& in);

// The figure's data for the HTML report: per series its clusters and bars (quant_study.h rows).
nlohmann::json quant_html_json(const ResultSet& set);

}  // namespace ngbench::report
