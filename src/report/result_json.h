#pragma once
// The JSON form of a RunResult (docs/results-schema.md). Every field is
// defined once (result_json.cc: one type macro per struct, listing its
// members) and that definition serves writing and reading. Readers take the
// current schema version and migrate version 1 files (result_json_v1.h).
#include <nlohmann/json.hpp>
#include <string>

#include "core/run_result.h"

namespace ngbench::report {

nlohmann::json to_json(const RunResult& result);

// Parses a result; `source` names it in errors. Throws ngbench::Error on
// malformed input (a missing section, a value of the wrong type) or an
// unsupported schema_version.
RunResult result_from_json(const nlohmann::json& j, const std::string& source);

// The JSON form of a fusion summary, as results hold it.
nlohmann::json fusion_json(const FusionSummary& fusion);

// Derived totals (not stored separately in RunResult).
double gemm_ms(const Breakdown& b);
double non_gemm_ms(const Breakdown& b);

}  // namespace ngbench::report
