#pragma once
// Where results live on disk: one JSON file per configuration in a directory.
#include <string>
#include <vector>

#include "core/result_name.h"
#include "core/run_result.h"

namespace ngbench::report {

// File stem of a configuration's results (core/result_name.h).
using ngbench::result_stem;

struct LoadedResult {
  std::string path;
  RunResult result;
};

// Reads every *.json result in `dir` (not recursive), sorted by path. Throws
// ngbench::Error if the directory cannot be read, holds no result, or a file
// is malformed (the message names the file).
std::vector<LoadedResult> load_results(const std::string& dir);

// Reads one result file.
RunResult load_result(const std::string& path);

// Parses the text of a result file; `source` names it in errors. Throws
// ngbench::Error on malformed JSON and whatever result_from_json rejects.
RunResult parse_result(const std::string& text, const std::string& source);

}  // namespace ngbench::report
