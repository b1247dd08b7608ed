#pragma once
// The JSON form of a ProfiledTrace: every raw record of a profiled phase
// (`ngbench run --raw-trace` writes one per configuration to <out>/raw/), for
// debugging attribution and as recorded fixtures for tests that replay it.
#include <nlohmann/json.hpp>
#include <string>

#include "core/op_record.h"

namespace ngbench::report {

inline constexpr int kRawTraceSchemaVersion = 1;

nlohmann::json raw_trace_to_json(const ProfiledTrace& trace);

// Throws ngbench::Error naming `source` on malformed input.
ProfiledTrace raw_trace_from_json(const nlohmann::json& j, const std::string& source);

// Parses the text of a raw trace file; throws ngbench::Error naming `source`.
ProfiledTrace parse_raw_trace(const std::string& text, const std::string& source);

// Reads a raw trace file; throws ngbench::Error naming the path.
ProfiledTrace load_raw_trace(const std::string& path);

}  // namespace ngbench::report
