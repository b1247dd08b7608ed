#pragma once
// Where `ngbench html` finds plotly.js (plotly.min.js from PyPI's plotly package).
#include <string>

namespace ngbench::report {

// $NGBENCH_PLOTLY_JS if set (it must name a readable file), else the file CMake
// found at configure time (cmake/Plotly.cmake) if it still exists. Throws
// ngbench::Error with a one-line fix (scripts/setup.sh, or NGBENCH_PLOTLY_JS) otherwise.
std::string find_plotly_js();

// The file's content; throws ngbench::Error if it does not look like plotly.js.
std::string read_plotly_js(const std::string& path);

}  // namespace ngbench::report
