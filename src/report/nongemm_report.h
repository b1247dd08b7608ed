#pragma once
// The non-GEMM report (paper Sec. III-C): within each non-GEMM group of a run,
// the operator variants that make it up (e.g. DETR's two normalizations: a
// frozen batch-norm module and aten::batch_norm), with the calls and time of
// each. Data first; Markdown, CSV and JSON from it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_set.h"
#include "report/text_table.h"

namespace ngbench::report {

struct GroupVariant {
  std::string name;
  std::string kind;  // "op" or "module"
  std::vector<std::string> scopes;  // innermost scopes it ran in ("" = top level)
  double calls = 0, time_ms = 0;    // per iteration
  double share_of_group = 0;        // fraction of the group's time
  double share_of_run = 0;          // fraction of attributed time
};

struct GroupVariants {
  std::string group;
  double time_ms = 0;
  double share = 0;  // of attributed time
  std::vector<GroupVariant> variants;  // by time, descending
};

struct NonGemmRun {
  std::string label;  // run_label(): says when the run is depth-scaled
  RunConfig config;
  std::string task;
  Extrapolation extrapolation;  // applied: times are depth-scaled estimates
  double non_gemm_ms = 0, non_gemm_share = 0;
  std::vector<GroupVariants> groups;  // non-GEMM groups with time, by time, descending
};

struct NonGemmReport {
  std::vector<NonGemmRun> runs;  // ok runs in report order
};

NonGemmReport nongemm_report(const ResultSet& set);

std::string nongemm_markdown(const NonGemmReport& r);
// One row per run, group and variant; the depth columns (result_set.h
// depth_columns) follow seq_len.
TextTable nongemm_table(const NonGemmReport& r);
nlohmann::json nongemm_json(const NonGemmReport& r);

}  // namespace ngbench::report
