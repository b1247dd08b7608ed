#pragma once
// `ngbench compare A B`: what changed from run A to run B, per group, per
// operator and in total, with the uncertainty of each change.
//
// Samples: end-to-end latency uses latency_ms.samples (timed iterations);
// totals, groups and operators use the per-profiled-iteration times
// (groups[].iter_ms, ops[].iter_ms). Each change is the change of the median
// (the latency median is the one `run` prints), with a seeded percentile
// bootstrap for its p-value and the intervals of the difference and of the
// ratio B / A (significance.h); shares are per-iteration fractions of the
// attributed time, tested the same way. Within each table (totals, groups,
// operators) p-values are Holm-adjusted, a row is significant when its
// adjusted p is below alpha, and its intervals are at the level Holm tests it
// at, so they exclude 0 exactly when it is significant.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_files.h"
#include "report/significance.h"

namespace ngbench::report {

struct CompareOptions {
  double alpha = 0.05;  // significance level; CIs are at 1 - alpha
  int replicates = stats::kBootstrapReplicates;  // bootstrap resamples per row (fewer: faster, coarser)
};

struct ChangeRow {
  std::string name;
  std::string group;   // operators only
  std::string scope;   // operators only
  std::string presence = "both";  // "both", "only_a" (gone in B), "only_b" (new in B)
  bool testable = false;     // at least two samples on both sides
  stats::MedianChange time;  // ms per iteration: medians, B - A, ratio B / A, intervals at the row's Holm level
  double p_holm = 1;
  bool significant = false;
  bool has_share = false;
  stats::MedianChange share;  // fraction of attributed time: medians, B - A
  double share_p_holm = 1;
  bool share_significant = false;
};

struct ComparedPair {
  std::string label_a, label_b;  // run_label(): says when a run is depth-scaled
  std::string path_a, path_b;
  std::vector<ChangeRow> totals;  // latency (end to end), attributed, GEMM, non-GEMM
  std::vector<ChangeRow> groups;  // groups with time on either side
  std::vector<ChangeRow> ops;     // by |change in ms|, descending
  // Settings that change what is measured and differ between A and B, beyond
  // the label ("allocator: retain vs system"); empty when they agree.
  std::vector<std::string> differences;
  // What a reader must know to read the rows, e.g. that a side is depth-scaled
  // (its latency is as measured, its other times are estimates).
  std::vector<std::string> notes;
  const ChangeRow* total(const std::string& name) const;
};

struct Comparison {
  double alpha = 0.05;
  std::vector<ComparedPair> pairs;
  std::vector<std::string> only_in_a, only_in_b;  // configurations without a partner
  std::vector<std::string> failed;                // failed runs, not compared
};

// Row names of ComparedPair::totals.
inline constexpr const char* kLatencyRow = "end-to-end latency";
inline constexpr const char* kAttributedRow = "attributed (all groups)";
inline constexpr const char* kGemmRow = "GEMM side";
inline constexpr const char* kNonGemmRow = "non-GEMM side";

// Compares one run with another, whatever their configurations.
ComparedPair compare_runs(const LoadedResult& a, const LoadedResult& b, const CompareOptions& options);

// Pairs configurations by model, batch, seq_len, device and dtype (and flow
// where that is ambiguous) and compares each pair. When `a` and `b` are one
// run each they are compared whatever their configurations.
Comparison compare_results(const std::vector<LoadedResult>& a, const std::vector<LoadedResult>& b,
                           const CompareOptions& options);

// Human-readable tables: per pair, the totals with the non-GEMM statement,
// groups, and the `top_ops` operators that changed most.
std::string comparison_text(const Comparison& c, int top_ops);
nlohmann::json comparison_json(const Comparison& c);

}  // namespace ngbench::report
