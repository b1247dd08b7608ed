#pragma once
// The workload report (paper Sec. III-C): per run, every operator type with its
// calls, time and input signatures (shapes and dtypes, with the time of each),
// and per model the ordered trace of its non-GEMM operators in one profiled
// iteration. Data first; Markdown, CSV and JSON (for the HTML report) from it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_set.h"
#include "report/text_table.h"

namespace ngbench::report {

struct WorkloadShape {
  std::string inputs;  // inputs_text(): "float32[1,32,768], scalar"
  std::string dtypes;  // distinct tensor dtypes, "float32" / "float32 int64"
  double calls = 0;    // per iteration
  double time_ms = 0;  // per iteration
};

struct WorkloadOp {
  std::string name;
  std::string group;  // "A / B" if the name was attributed to several groups
  std::string side;   // "gemm" / "non-gemm"
  double calls = 0, time_ms = 0;
  double share = 0;   // of attributed time
  std::vector<WorkloadShape> shapes;  // by time, descending
};

struct WorkloadRun {
  std::string label;  // run_label(): says when the run is depth-scaled
  RunConfig config;
  std::string task;
  Extrapolation extrapolation;  // applied: times are depth-scaled estimates
  std::vector<WorkloadOp> ops;  // by time, descending; ops of one name merged across scopes
};

struct TraceStep {
  std::string name, group, scope;  // scope: innermost module scope
  std::string inputs;
  double start_us = 0, dur_us = 0;
};

struct NonGemmTrace {
  std::string label;  // run_label() of the run it comes from
  RunConfig config;
  std::string task;
  Extrapolation extrapolation;  // applied: the trace is as measured, of the layers built
  size_t all_ops = 0;  // every operator of the iteration, GEMM included
  std::vector<TraceStep> steps;  // non-GEMM operators, in execution order
};

struct WorkloadReport {
  std::vector<WorkloadRun> runs;      // ok runs, by task, model, flow, device, dtype, seq_len, layers, batch
  std::vector<NonGemmTrace> traces;   // one per model configuration: its smallest batch
};

WorkloadReport workload_report(const ResultSet& set);

std::string workload_markdown(const WorkloadReport& w);
// One row per run, operator and input signature; the depth columns
// (result_set.h depth_columns) follow seq_len.
TextTable workload_table(const WorkloadReport& w);
// One row per run and non-GEMM trace step (depth columns as above).
TextTable nongemm_trace_table(const WorkloadReport& w);
nlohmann::json workload_json(const WorkloadReport& w);

// Ok runs in report order (task, model, flow, device, dtype, seq_len, layers, batch).
std::vector<const LoadedResult*> runs_in_report_order(const ResultSet& set);

}  // namespace ngbench::report
