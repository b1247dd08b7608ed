#pragma once
// Where results live on disk: one JSON file per configuration in a directory.
#include <string>
#include <vector>

#include "core/run_result.h"

namespace ngbench::report {

// File stem from model, flow, device, dtype, batch and sequence length,
// e.g. "gpt2__eager__cpu__float32__b1__s128" ("__l4" appended for --layers 4).
std::string result_stem(const RunConfig& config);

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

}  // namespace ngbench::report
