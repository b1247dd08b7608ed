#pragma once
// `ngbench html`: one self-contained HTML file that works offline. plotly.js
// (plotly_js.h) is inlined in a <script> tag, the data is embedded as JSON,
// and a small script (html_assets.cc) draws the breakdown charts (stacked bars
// per run, non-GEMM share over batch sizes), Table IV, the quantization study,
// prefill vs decode, sortable operator tables, the workload and non-GEMM reports, each run's context and the
// failed runs.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_files.h"

namespace ngbench::report {

// Everything the page shows, as JSON (see html_assets.cc for its use).
nlohmann::json html_report_data(std::vector<LoadedResult> results, const std::string& source);

// JSON text safe inside <script type="application/json">: '<', '>' and '&'
// are written as \u003c, \u003e, \u0026 (so "</script>" cannot occur).
std::string embed_json(const nlohmann::json& j);

// The page. Throws ngbench::Error when `results` is empty or plotly.js cannot be read.
std::string html_report(std::vector<LoadedResult> results, const std::string& source, const std::string& plotly_js);

// Finds plotly.js (find_plotly_js), builds the page, writes it atomically.
void write_html_report(std::vector<LoadedResult> results, const std::string& source, const std::string& out_path);

// The page's style sheet and script (html_assets.cc), and the function the script calls to draw the
// "Prefill vs decode" section when decode results are present (html_phase_assets.cc).
extern const char* const kHtmlCss;
extern const char* const kHtmlScript;
extern const char* const kHtmlPhaseScript;

}  // namespace ngbench::report
