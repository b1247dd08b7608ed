#pragma once
// The JSON form of a RunResult (docs/results-schema.md). Writing and reading
// live together so the two cannot drift; the round trip is tested.
#include <nlohmann/json.hpp>
#include <string>

#include "core/run_result.h"

namespace ngbench::report {

nlohmann::json to_json(const RunResult& result);

// Parses a result; `source` names it in errors. Throws ngbench::Error on
// malformed input or an unsupported schema_version.
RunResult result_from_json(const nlohmann::json& j, const std::string& source);

// Derived totals (not stored separately in RunResult).
double gemm_ms(const Breakdown& b);
double non_gemm_ms(const Breakdown& b);

}  // namespace ngbench::report
