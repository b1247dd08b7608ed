#pragma once
// `ngbench trace`: the profiled iteration of a result (its `trace`) as Chrome /
// Perfetto trace-event JSON (the "JSON Object Format"): one complete event
// ("ph": "X") per attributed operator with ts/dur in microseconds, the group
// as category and a Chrome reserved color name ("cname") per group.
#include <nlohmann/json.hpp>
#include <string>

#include "core/run_result.h"

namespace ngbench::report {

// Chrome's reserved color name for a group (fixed per group; "generic_work"
// for a group ngbench does not know).
const char* chrome_cname(const std::string& group);

// {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}.
// Throws ngbench::Error when the run failed or holds no trace.
nlohmann::json chrome_trace(const RunResult& r);

// Writes chrome_trace(r) to `path` atomically.
void write_chrome_trace(const RunResult& r, const std::string& path);

}  // namespace ngbench::report
