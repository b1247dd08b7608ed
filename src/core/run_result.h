#pragma once
// Results are plain data: a RunResult is what one configuration produced.
// Reporters (src/report/) are sinks that write it; nothing here formats itself.
// The JSON form is documented in docs/results-schema.md.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/op_record.h"
#include "core/run_config.h"
#include "core/side.h"
#include "core/stats.h"

namespace ngbench {

// Version of the result file format; bump on any incompatible change. Readers
// also take version 1 files (report/result_json.h migrates them).
inline constexpr int kSchemaVersion = 2;

struct MachineContext {
  std::string hostname;
  std::string cpu_model;
  int logical_cpus = 0;
  int64_t memory_bytes = 0;
  std::string os;         // kernel name and release
};

// The runtime that executed the model, as its backend describes it.
struct Runtime {
  std::string name;     // "libtorch", "onnxruntime", ...
  std::string version;  // the runtime's own version string at run time
};

struct RunContext {
  MachineContext machine;
  Runtime runtime;
  int threads = 0;           // intra-op threads in effect
  int interop_threads = 0;
  std::string ngbench_version;
  std::string git_commit;
  bool git_dirty = false;
  std::string build_type;
  std::string compiler;
  std::string libtorch_version;  // libtorch the binary was built against (it builds the models)
  std::string taxonomy;       // "<flow>@<version>" of the rules applied
  std::string allocator;      // heap policy in effect (core/allocator.h describe_allocator)
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
  double share = 0;     // of the attributed time, on the run's basis (host or device)
  std::vector<double> iter_ms;  // per profiled iteration, on the run's basis (for significance tests)
  double device_ms = 0;  // kernel time the op launched, per iteration (device runs only)
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

// Where device time went, per iteration (device runs only): the reconciliation
// span = busy + idle, where busy is the union of kernel, memcpy and memset
// intervals and idle the time the device waited (launch-bound time).
struct DeviceSummary {
  double span_ms = 0;        // iteration wall time (mean)
  double busy_ms = 0;        // device busy time (mean)
  double idle_ms = 0;        // span - busy (mean)
  double busy_fraction = 0;  // busy / span (profiled iterations, profiler overhead included)
  double busy_fraction_timed = 0;  // busy / median of the timed phase (no profiler): the un-profiled run
  double activity_ms = 0;    // sum of activity durations (= busy unless activities overlap)
  double attributed_ms = 0;  // activity time attributed to an operator
  double kernels = 0;        // kernels per iteration
  std::vector<double> busy_iter_ms;
  std::vector<GroupTime> host_groups;  // host-side time of the same operators, for reference
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
  // "host": groups and ops hold host (CPU) time. "device": they hold kernel
  // time, host time is in device.host_groups and ops[].total_ms is still host.
  std::string basis = "host";
  double depth_scale = 1;  // depth-scaled / measured attributed time (1 unless --layers)
  // Operator calls per iteration on the model's thread, nested ones included (every op record inside an
  // attributed unit: aten::to and the aten::_to_copy and aten::copy_ it runs count 3), depth-scaled as
  // the units are. Counts what a forward pass asks of the dispatcher, where units count what the groups sum.
  double dispatcher_ops = 0;
  DeviceSummary device;
};

// Energy of the timed phase, from the device's cumulative energy counter
// (NVML nvmlDeviceGetTotalEnergyConsumption: millijoules since driver load,
// read before and after, with the device synchronized). Absent on the CPU.
struct EnergyResult {
  bool measured = false;
  std::string method;          // how it was read
  double joules = 0;           // whole timed phase
  double joules_per_inference = 0;
  double average_watts = 0;    // joules / timed phase wall time
  int iterations = 0;
};

// Depth-scaled profiling (--layers N of a model's L layers): the per-layer
// operators' times are scaled by L / N, embeddings and head count once.
struct Extrapolation {
  bool applied = false;
  int64_t layers_built = 0;
  int64_t layers_total = 0;
  double factor = 1;         // L / N
  std::string layer_scope;   // module class of one layer
  double latency_ms = 0;     // estimated full-depth median: measured median x depth_scale
};

// Decode (RunConfig::phase "decode"): what each generated token cost. A step is
// one forward of one token per sequence over the KV cache plus the greedy step
// around it (models/generate.h); step k runs over context + k cached tokens.
// The run's latency_ms and breakdown are per token (over every step); this
// section splits them by step. Times are as measured: with --layers they are
// the depth-scaled model's (multiply by breakdown.depth_scale for the full
// depth's estimate, as extrapolation.latency_ms is).
struct DecodeStep {
  int64_t step = 0;           // 0: the first generated token
  int64_t context = 0;        // tokens in the cache when the step starts
  double median_ms = 0;       // timed phase, over the timed sequences
  int samples = 0;
  double attributed_ms = 0;   // profiled phase: mean over the profiled sequences
  double non_gemm_share = 0;  // of attributed_ms
};
// The early or the late half of the generated tokens.
struct DecodeHalf {
  int64_t first_step = 0;
  int64_t last_step = 0;
  double median_ms = 0;       // over every timed step of the half
  double non_gemm_share = 0;  // over every profiled step of the half
  std::string top_group;      // its largest non-GEMM group
};
struct DecodeResult {
  bool present = false;
  int64_t context = 0;           // tokens prefilled (seq_len), not timed
  int64_t gen_tokens = 0;        // steps per sequence
  int sequences_timed = 0;
  int sequences_profiled = 0;
  double tokens_per_s = 0;       // batch / median per-token latency
  std::vector<DecodeStep> steps;
  DecodeHalf early, late;
};

// One input a run used: an image file, its size and the size the model's
// preprocessing turned it into; or a text file, its size and content hash.
struct InputRecord {
  std::string source;
  int64_t height = 0;
  int64_t width = 0;
  int64_t model_height = 0;
  int64_t model_width = 0;
  int64_t bytes = 0;   // text files: size
  std::string sha256;  // text files: hex digest of the content
};

// How a phase's warm-up ended (runner/measure.h): it runs at least
// RunConfig::warmup iterations, then until the iteration times stop drifting,
// for at most RunConfig::warmup_max_s.
struct WarmupRecord {
  int iterations = 0;
  bool stable = false;  // false: the time budget or the iteration cap ended it first
  double seconds = 0;
};

struct Warmup {
  WarmupRecord timed;     // before the timed phase
  WarmupRecord profiled;  // before the profiled phase, profiling on
};

// How many of a node type's original non-GEMM nodes met each fate.
struct NodeTypeFate {
  std::string type;
  std::string group;
  int64_t original = 0;
  int64_t kept = 0;
  int64_t replaced = 0;
  int64_t fused_with_gemm = 0;
  int64_t fused_non_gemm = 0;
  int64_t folded = 0;
  int64_t removed = 0;
};

// One kind of fused node: its type and what it took in.
struct FusedPattern {
  std::string type;
  std::string pattern;      // constituents joined by '+', e.g. "MatMul+Add"
  bool with_gemm = false;
  bool replacement = false;  // took in one node only: no fusion
  int64_t count = 0;
};

// What a flow's graph compiler did to the model's non-GEMM nodes (the paper's
// Table V): filled by flows that fuse (ONNX Runtime's optimizer), absent
// (`analyzed` false) for flows that run the model as written.
struct FusionSummary {
  bool analyzed = false;
  std::string method;              // how nodes were matched; the counts are estimates where it says so
  int64_t original_nodes = 0;
  int64_t optimized_nodes = 0;
  int64_t original_gemm = 0;
  int64_t original_non_gemm = 0;
  int64_t kept_non_gemm = 0;       // still a node of their own
  int64_t replaced_non_gemm = 0;   // replaced one for one by another node
  int64_t fused_with_gemm = 0;     // inside a fused node that holds a GEMM
  int64_t fused_non_gemm = 0;      // inside a fused node of non-GEMM ops only
  int64_t folded_non_gemm = 0;     // computed at load time into a constant
  int64_t removed_non_gemm = 0;    // eliminated without a trace
  int64_t new_unmatched = 0;       // optimized nodes that cover no original node
  std::vector<NodeTypeFate> by_type;
  std::vector<FusedPattern> patterns;

  // (fused_with_gemm + fused_non_gemm) / original_non_gemm, and its two parts; 0 without non-GEMM nodes.
  double fusion_rate() const;
  double fusion_rate_with_gemm() const;
  double fusion_rate_non_gemm() const;
};

// Whether a result's timings can be trusted, judged by the tool from its own
// evidence (core/stability.h): the verdict, the reasons (one line each) and the
// evidence behind them.
struct Stability {
  std::string verdict;               // "stable" or "unstable"; "" when not judged (failed runs)
  std::vector<std::string> reasons;  // why unstable, one line each
  double target_ci = 0;              // the relative half-width the timed phase aimed for
  double median_ci_low_ms = 0;       // 95% confidence interval of the timed median (order statistics)
  double median_ci_high_ms = 0;
  double median_ci_rel = 0;          // its half-width / the median
  double robust_cv = 0;              // 1.4826 x median absolute deviation / median
  bool bimodal = false;              // the timed samples fall into two separated clusters
  double drift = 0;                  // (median of the second half - of the first half) / median
  double other_load_cpus = -1;       // CPUs' worth of other work during the measurement; -1: unknown
  int logical_cpus = 0;
  int timed_blocks = 0;              // blocks the timed and profiled passes were interleaved in (1: not interleaved)
};

struct RunResult {
  int schema_version = kSchemaVersion;
  std::string status = "ok";  // "ok" or "failed"
  std::string error;          // one line, when failed
  RunContext context;
  RunConfig config;           // as run: seq_len resolved, threads in effect
  ModelSummary model_info;  // what the model is (task, reference implementation, parameters)
  SampleStats latency_ms;     // timed phase, observer off
  double page_faults_per_iter = -1;  // minor page faults per timed iteration; -1: not measured
  double overhead = 0;        // profiled median / timed median
  Breakdown breakdown;
  Warmup warmup;
  Stability stability;
  EnergyResult energy;
  Extrapolation extrapolation;
  FusionSummary fusion;
  DecodeResult decode;        // present for --phase decode
  std::vector<InputRecord> inputs;               // empty for synthetic inputs (random token ids)
  std::map<std::string, double> workload_counts;  // data-dependent counts per forward pass (detections, ...)
};

}  // namespace ngbench
