#pragma once
// Results are plain data: a RunResult is what one configuration produced.
// Reporters (src/report/) are sinks that write it; nothing here formats itself.
// The JSON form is documented in docs/results-schema.md.
#include <cstdint>
#include <string>
#include <vector>

#include "core/op_record.h"
#include "core/run_config.h"
#include "core/side.h"
#include "core/stats.h"

namespace ngbench {

// Version of the result file format; bump on any incompatible change.
inline constexpr int kSchemaVersion = 1;

struct MachineContext {
  std::string hostname;
  std::string cpu_model;
  int logical_cpus = 0;
  int64_t memory_bytes = 0;
  std::string os;         // kernel name and release
};

struct RunContext {
  MachineContext machine;
  int threads = 0;           // intra-op threads in effect
  int interop_threads = 0;
  std::string ngbench_version;
  std::string git_commit;
  bool git_dirty = false;
  std::string build_type;
  std::string compiler;
  std::string torch_version;  // libtorch in use at run time
  std::string taxonomy;       // "<flow>@<version>" of the rules applied
  std::string timestamp;      // UTC, ISO 8601
  std::string command_line;
};

struct ModelSummary {
  std::string task;        // "NLP", "IC", "OD", "IS"
  std::string reference;   // e.g. "hf:gpt2" or "torchvision:vit_b_16"
  int64_t parameters = 0;
};

struct GroupTime {
  std::string name;
  Side side = Side::kNonGemm;
  double time_ms = 0;           // mean per profiled iteration
  double share = 0;             // of the attributed time
  std::vector<double> iter_ms;  // per profiled iteration
};

// Calls and time of one distinct input signature of an operator.
struct ShapeStat {
  std::vector<ArgInfo> inputs;
  double calls = 0;    // per iteration
  double time_ms = 0;  // per iteration, inclusive
};

// One attributed operator: an outermost op, or a module that a scope rule makes
// one operator (NewGELUActivation, ...), aggregated over the profiled iterations.
struct OpStat {
  std::string name;
  RecordKind kind = RecordKind::kOp;
  std::string group;
  Side side = Side::kNonGemm;
  std::string scope;    // innermost enclosing module scope, "" at top level
  double calls = 0;     // per iteration
  double total_ms = 0;  // inclusive of nested ops, per iteration; what groups sum
  double self_ms = 0;   // exclusive of nested ops and scopes, per iteration
  double share = 0;     // total_ms / attributed time
  std::vector<double> iter_ms;  // total per profiled iteration (for significance tests)
  std::vector<ShapeStat> shapes;
};

// One attributed operator in one profiled iteration, in execution order.
struct TraceEvent {
  std::string name;
  RecordKind kind = RecordKind::kOp;
  std::string group;
  std::vector<std::string> scope;  // enclosing module scopes, outermost first
  std::vector<ArgInfo> inputs;
  double start_us = 0;  // from the start of the iteration
  double dur_us = 0;
};

// What attribution derived from a profiled phase.
struct Breakdown {
  int iterations = 0;
  SampleStats profiled_ms;      // wall time of each profiled iteration
  double attributed_ms = 0;     // mean per iteration of attributed operator time
  double coverage = 0;          // attributed / profiled wall time (mean over iterations)
  std::vector<GroupTime> groups;  // every group of the taxonomy, Unclassified last
  std::vector<OpStat> ops;        // sorted by total_ms, descending
  std::vector<TraceEvent> trace;  // the last profiled iteration
  int64_t other_thread_records = 0;   // outermost ops seen on threads other than the model's
  double other_thread_ms = 0;         // their time, per iteration; overlaps thread 0, not attributed
  int64_t records_outside_iterations = 0;  // outermost ops on thread 0 outside every iteration span
};

struct RunResult {
  int schema_version = kSchemaVersion;
  std::string status = "ok";  // "ok" or "failed"
  std::string error;          // one line, when failed
  RunContext context;
  RunConfig config;           // as run: seq_len resolved, threads in effect
  ModelSummary model;
  SampleStats latency_ms;     // timed phase, observer off
  double overhead = 0;        // profiled median / timed median
  Breakdown breakdown;
};

}  // namespace ngbench
