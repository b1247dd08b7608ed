#pragma once
// The quantization study (the paper's Section IV-C, Fig. 9): one model
// configuration and sequence length run unquantized (--quant none) and with
// each scheme; per scheme the GEMM and non-GEMM time, the non-GEMM share, the
// GEMM speedup and non-GEMM slowdown against the unquantized run, and the
// operators the scheme adds per forward. `ngbench quant` writes it, `figures`
// and `html` draw it from ordinary results. Results are data; these functions
// only derive and format.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace ngbench::report {

// One scheme's run, with what the study derives from it.
struct QuantRow {
  std::string variant;              // "none", "int8-lt", "int8-lt outliers-detected", ...
  const RunResult* result = nullptr;  // null: no result for this scheme
  std::string result_file;          // where it was read or written ("" unknown)
  bool ok() const { return result != nullptr && result->status == "ok"; }
  // Per forward, depth-scaled estimates when the run is (times per profiled iteration, ms).
  double gemm_ms = 0, non_gemm_ms = 0, quantization_ms = 0, attributed_ms = 0;
  double non_gemm_share = 0;
  double operators = 0;        // attributed operators (sum of ops[].calls)
  double dispatcher_ops = 0;   // every dispatcher call, nested ones included (breakdown.dispatcher_ops)
  double quant_linears = 0;    // quantized Linears at full depth (0 for none)
  // Against the unquantized run (0 when it or this run is missing):
  double gemm_speedup = 0;       // none GEMM / this GEMM
  double non_gemm_slowdown = 0;  // this non-GEMM / none non-GEMM
  double operators_added = 0;
  double dispatcher_ops_added = 0;
  double outlier_columns = -1;  // int8-lt: mean outlier columns per Linear of the last forward; -1 n/a
};

// One model configuration at one sequence length, every scheme that ran: "none" first.
struct QuantComparison {
  RunConfig config;   // the configuration without --quant (quant "none", default outliers)
  std::string label;  // config_label of it, plus "(extrapolated ...)" when depth-scaled
  std::vector<QuantRow> rows;
  const QuantRow* baseline() const;  // the "none" row, or null
};

// Groups results (ok and failed) by everything but --quant and --int8-outliers (and where they were
// written); keeps the groups that hold a quantized run, ordered by model configuration, then sequence
// length. `files` (optional, parallel to `results`) names where each was read from.
std::vector<QuantComparison> quant_comparisons(const std::vector<const RunResult*>& results,
                                               const std::vector<std::string>& files = {});

// The series of Fig. 9: comparisons that differ only in sequence length, in order.
std::vector<std::vector<const QuantComparison*>> quant_series(const std::vector<QuantComparison>& comparisons);

// <stem>.quant.json: the comparison with every row; "kind": "ngbench-quant" so that result readers skip it.
nlohmann::json quant_study_json(const QuantComparison& c, const std::string& command_line);

// <stem>.quant.csv: a header and one row per scheme (concatenable across studies).
std::string quant_study_csv(const QuantComparison& c);

// The console table of every comparison.
void print_quant_study(std::ostream& out, const std::vector<QuantComparison>& comparisons);

}  // namespace ngbench::report
