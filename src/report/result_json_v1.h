#pragma once
// Reading version 1 result files (written before 2026-12): their JSON is
// rewritten into the current layout, then read as any other result.
#include <nlohmann/json.hpp>

namespace ngbench::report {

// The version-1 result `v1` in the current layout (schema_version 2). Throws
// nlohmann::json::exception or ngbench::Error where `v1` is malformed.
nlohmann::json migrate_v1(const nlohmann::json& v1);

}  // namespace ngbench::report
