#pragma once
// ONNX Runtime's profiling JSON -> ProfiledTrace.
//
// With SessionOptions profiling on, ORT records every event from the session's
// creation on, as a Chrome trace (a JSON array of events, "ts" and "dur" in
// microseconds from the start of profiling):
//  - cat "Session": model_loading_uri, session_initialization, and one
//    "model_run" per Session::Run (with SequentialExecutor::Execute inside);
//  - cat "Node": per node and run "<node>_fence_before", "<node>_kernel_time"
//    (args: op_name, provider, node_index, input_type_shape, ...), "<node>_fence_after".
// The parser keeps the kernel_time events of the last `profiled_runs` model_run
// events and drops everything before the first of them (session creation,
// warm-up runs). Each node event becomes two records: a scope named after the
// node (so per-node detail survives attribution) holding an op named by the
// node's op type (what the taxonomy classifies). Times are converted to ns.
#include <cstdint>
#include <map>
#include <string>

#include "core/op_record.h"

namespace ngbench::ort {

struct ProfileOptions {
  int profiled_runs = 1;    // the last this many model_run events are the profiled iterations
  int expected_runs = -1;   // total model_run events the session made (warm-up + profiled); -1: not checked
  bool record_shapes = true;
};

struct Profile {
  ProfiledTrace trace;
  int64_t node_events = 0;                  // kernel_time events kept
  int64_t dropped_events = 0;               // events before the first profiled run (creation, warm-up)
  int model_runs = 0;                       // model_run events in the file
  std::map<std::string, int64_t> providers;  // kernel_time events per execution provider (kept ones)
};

// Parses the text of a profile; `source` names it in every error. Throws
// ngbench::Error (one line, naming the source) for malformed or truncated
// JSON, events missing required fields, or too few model_run events.
Profile parse_profile(const std::string& json_text, const std::string& source, const ProfileOptions& options);

// Reads and parses a profile file.
Profile load_profile(const std::string& path, const ProfileOptions& options);

}  // namespace ngbench::ort
