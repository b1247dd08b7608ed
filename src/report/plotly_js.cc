#include "report/plotly_js.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

#ifndef NGBENCH_PLOTLY_JS_DEFAULT
#define NGBENCH_PLOTLY_JS_DEFAULT ""
#endif

namespace ngbench::report {

std::string find_plotly_js() {
  std::error_code ec;
  if (const char* env = std::getenv("NGBENCH_PLOTLY_JS"); env && *env) {
    if (!std::filesystem::is_regular_file(env, ec)) {
      throw Error(fmt::format("NGBENCH_PLOTLY_JS='{}' is not a file (point it at plotly.min.js, or unset it)", env));
    }
    return env;
  }
  const std::string configured = NGBENCH_PLOTLY_JS_DEFAULT;
  if (!configured.empty() && std::filesystem::is_regular_file(configured, ec)) return configured;
  throw Error(
      "plotly.js not found: run scripts/setup.sh (it installs plotly into the project's Python environment and "
      "reconfigures), or set NGBENCH_PLOTLY_JS to plotly.min.js");
}

std::string read_plotly_js(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read plotly.js '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string js = ss.str();
  if (js.find("plotly") == std::string::npos || js.find("newPlot") == std::string::npos) {
    throw Error(fmt::format("'{}' is not plotly.js (expected plotly/package_data/plotly.min.js)", path));
  }
  return js;
}

}  // namespace ngbench::report
