#pragma once
// What every multi-run report shares: the fixed group palette, task order,
// configuration labels, and per-iteration series derived from a breakdown.
#include <string>
#include <vector>

#include "core/run_result.h"
#include "report/result_files.h"

namespace ngbench::report {

// A group as reports draw it. The color is the taxonomy rule file's, so a
// group has the same color in every figure, chart and trace.
struct GroupStyle {
  std::string name;
  Side side = Side::kNonGemm;
  std::string color;  // "#rrggbb"
};

// The groups of the taxonomies the results were classified with, in rule-file
// order (GEMM side first as the files list them), each group once; a group
// that no built-in taxonomy knows (a user rule file) is appended in a neutral
// gray. With no results: the eager groups.
std::vector<GroupStyle> group_palette(const std::vector<const RunResult*>& results);

// Index of `name` in `palette`, or palette.size() when absent.
size_t palette_index(const std::vector<GroupStyle>& palette, const std::string& name);

// Color of the "non-GEMM (all groups)" aggregate in GEMM-vs-non-GEMM figures.
inline constexpr const char* kNonGemmTotalColor = "#ff9896";
// Missing and failed configurations (hatched, never drawn as zero).
inline constexpr const char* kMissingColor = "#9e9e9e";
inline constexpr const char* kFailedColor = "#c0392b";

// The paper's task order (IC, OD, IS, NLP), then any other task by name.
int task_rank(const std::string& task);

// "gpt2-tiny eager cpu float32 b8 s32" (" l4" appended for --layers 4, " q-int8-lt" for --quant int8-lt,
// " decode g32" for --phase decode with 32 generated tokens, " no cache" for a prefill with --kv-cache off).
std::string config_label(const RunConfig& c);

// What tells a decode or a cacheless prefill apart from the default prefill of the same configuration:
// "decode g<gen_tokens>" for --phase decode, "no cache" for --kv-cache off, "" for the prefill with the cache
// (or a result where no cache applies, or one older than --phase). Its times are per generated token for decode.
std::string phase_variant(const RunConfig& c);

// The --quant variant of a configuration: "" for none, else the scheme, with " outliers-detected" or
// " outliers<N>" when int8-lt's --int8-outliers is not the default.
std::string quant_variant(const RunConfig& c);

// How every report marks a depth-scaled result (--layers N of a model's L
// layers; group and operator times scaled by L / N, latency as measured):
// "extrapolated from 1 of 32 layers"; "" when the result was not depth-scaled.
std::string extrapolation_note(const Extrapolation& x);

// config_label, then " (extrapolated from 1 of 32 layers)" for a depth-scaled result.
std::string run_label(const RunResult& r);

// The depth columns of every per-run CSV row and table, after the
// configuration's: `layers` (the depth the times stand for: L when
// extrapolated, else --layers, 0 meaning all of the model's layers),
// `measured_layers` (the depth built and profiled) and `extrapolated`
// ("true" when the times are depth-scaled estimates, else "false").
inline constexpr const char* kDepthHeader = "layers,measured_layers,extrapolated";
std::vector<std::string> depth_columns(int64_t layers, const Extrapolation& x);

// Splits loaded results by status; each keeps the load order (sorted by path).
struct ResultSet {
  std::vector<LoadedResult> ok;
  std::vector<LoadedResult> failed;
  std::vector<const RunResult*> all() const;
  std::vector<const RunResult*> ok_results() const;
};
ResultSet split_by_status(std::vector<LoadedResult> loaded);

// The task of a result; a failed run may not know it, then the task of an ok
// run of the same model is used, else "".
std::string task_of(const RunResult& r, const ResultSet& set);

// Per profiled iteration: the summed time of every group on `side`, and of all
// groups. Empty when the groups hold no per-iteration samples.
std::vector<double> side_iter_ms(const Breakdown& b, Side side);
std::vector<double> total_iter_ms(const Breakdown& b);

// Per-iteration share (fraction) of `part` in `total`; 0 where total is 0.
std::vector<double> iter_shares(const std::vector<double>& part, const std::vector<double>& total);

// Breakdown share (fraction of attributed time) of the named group; 0 if absent.
double group_share(const Breakdown& b, const std::string& group);

// The non-GEMM group with the most time (ties: the earlier group); nullptr
// when no non-GEMM group took any time.
const GroupTime* top_non_gemm_group(const Breakdown& b);

// An operator's time per iteration on the run's basis: kernel time on device
// runs (breakdown.basis "device"), host time otherwise; what its share is of.
inline double op_time_ms(const OpStat& o, const Breakdown& b) {
  return b.basis == "device" ? o.device_ms : o.total_ms;
}

// "float32[1,4,8], scalar, list<float32>[2]": an input signature for people.
std::string inputs_text(const std::vector<ArgInfo>& inputs);

}  // namespace ngbench::report
