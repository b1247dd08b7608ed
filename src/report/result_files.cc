#include "report/result_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "report/result_json.h"

namespace ngbench::report {

namespace fs = std::filesystem;

RunResult load_result(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read result file '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_result(ss.str(), path);
}

RunResult parse_result(const std::string& text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(fmt::format("{}: malformed JSON at byte {} (truncated or not a result file)", source, e.byte));
  } catch (const nlohmann::json::exception& e) {  // a number beyond double's range (out_of_range)
    throw Error(fmt::format("{}: malformed JSON (not a result file): {}", source, e.what()));
  }
  return result_from_json(j, source);
}

std::vector<LoadedResult> load_results(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(fmt::format("results directory '{}' does not exist", dir));
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path().string());
  }
  if (ec) throw Error(fmt::format("cannot read results directory '{}': {}", dir, ec.message()));
  if (paths.empty()) throw Error(fmt::format("no result files (*.json) in '{}'", dir));
  std::sort(paths.begin(), paths.end());
  std::vector<LoadedResult> out;
  for (const auto& p : paths) out.push_back({p, load_result(p)});
  return out;
}

}  // namespace ngbench::report
